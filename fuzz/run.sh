#!/usr/bin/env bash
# Runs fuzz targets one after another for SECONDS each (nice'd): first their regression inputs (must pass),
# then libFuzzer from the committed seed corpus plus the working corpus of earlier runs (fuzz/.work/).
# Prints executions and coverage per target; exits 1 if any target found a crash, a timeout or an OOM.
#   fuzz/run.sh SECONDS [TARGET...]    targets: gguf jinja profile script theme schema gbnf toolcall sse serve
# The serve target runs the real model: TOKENWORKS_MODEL must name the default GGUF file.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(gguf jinja profile script theme schema gbnf toolcall sse serve)
declare -A names=([gguf]=FuzzGGUF [jinja]=FuzzJinja [profile]=FuzzProfile [theme]=FuzzTheme
                  [schema]=FuzzSchema [gbnf]=FuzzGBNF [toolcall]=FuzzToolCall [sse]=FuzzSSE [serve]=FuzzServe [script]=FuzzScript)
failed=0
# LeakSanitizer off at exit too (libFuzzer's -detect_leaks=0 covers only its runs): Swift keeps enum tags in the
# spare bits of pointers, so a once-initialised global (GrammarExpression.empty) looks leaked and the exit-time check
# failed finished runs on the schema and script targets.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export TOKENWORKS_MODEL=${TOKENWORKS_MODEL:-$HOME/.cache/tokenworks/models/SmolLM2-135M-Instruct.Q4_1.gguf}
summary=.work/summary.txt
mkdir -p .work
printf "%-9s %8s %12s %10s %8s %8s  %s\n" target seconds executions exec/s cov ft result | tee -a "$summary"
for target in "${targets[@]}"; do
    binary=.build/release/${names[$target]:-unknown}
    if [ ! -x "$binary" ]; then echo "no fuzz binary for '$target' ($binary): run make fuzz-build" >&2; exit 2; fi
    work=.work/$target
    mkdir -p "$work/corpus"
    # Findings of earlier runs move aside, so this run's verdict names only what it found itself.
    if compgen -G "$work/[cotls]*-*" > /dev/null; then
        mkdir -p "$work/earlier"
        for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* "$work"/slow-unit-*; do
            [ -e "$f" ] && mv "$f" "$work/earlier/"
        done
    fi
    if compgen -G "regressions/$target/*" > /dev/null; then
        if ! "$binary" -timeout=60 -detect_leaks=0 regressions/$target/* > "$work/regressions.log" 2>&1; then
            echo "$target: a regression input fails again (see fuzz/$work/regressions.log)"
            failed=1
            continue
        fi
    fi
    # The serve target prefills up to a 512-token context on the real model with one thread, under ASan: seconds.
    per_input=10
    [ "$target" = serve ] && per_input=60
    dict=()
    [ -f "dicts/$target.dict" ] && dict=(-dict="dicts/$target.dict")
    started=$(date +%s)
    # -detect_leaks=0: Swift keeps enum tags in the spare bits of pointers, so LeakSanitizer cannot see that a
    # once-initialised global (GrammarExpression.empty) still holds its box and reports it as a leak.
    nice -n 10 "$binary" -max_total_time="$seconds" -timeout="$per_input" -rss_limit_mb=3072 -max_len=65536 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$work/" "${dict[@]}" "$work/corpus" "corpus/$target" \
        > "$work/log" 2>&1
    status=$?
    took=$(( $(date +%s) - started ))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | tail -n 1 | awk '{print $2}')
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | tail -n 1 | awk '{print $2}')
    cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | awk '{print $2}')
    ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -n 1 | awk '{print $2}')
    result=ok
    if [ $status -ne 0 ] || compgen -G "$work/crash-*" > /dev/null || compgen -G "$work/timeout-*" > /dev/null \
        || compgen -G "$work/oom-*" > /dev/null; then
        result="FOUND: $(ls "$work" | grep -E '^(crash|timeout|oom|leak)-' | tr '\n' ' ')(see fuzz/$work/log)"
        failed=1
    fi
    printf '%-9s %8s %12s %10s %8s %8s  %s\n' "$target" "$took" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
        "$result" | tee -a "$summary"
done
exit $failed
