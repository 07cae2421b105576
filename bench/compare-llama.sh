#!/usr/bin/env bash
# Prompt processing (pp512) and generation (tg128) speed beside llama.cpp's llama-bench on the same files, 2 threads.
#   bash bench/compare-llama.sh          the default model (SmolLM2-135M-Instruct Q4_1)
#   bash bench/compare-llama.sh --all    also F16, Q8_0, Q4_0, Q4_K_M and Q6_K copies of it, made once by llama.cpp's
#                                        llama-quantize into ~/.cache/tokenworks/models/copies
# Builds llama.cpp first if needed (bench/setup-llama.sh). THREADS, REPS override 2 and 3. On a shared machine the
# figures move with the load: compare the ratios of interleaved runs, and see bench/RESULTS.md for how they were taken.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks"
llama="${LLAMA_DIR:-$cache/llama.cpp}"
bash "$here/setup-llama.sh"
bin="$root/.build/release/tokenworks"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tokenworks)
model="${TOKENWORKS_MODEL:-$cache/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${THREADS:-2}"
reps="${REPS:-3}"
run() { "$bin" bench -m "$1" --llama-bench "$llama/bin/llama-bench" -t "$threads" -r "$reps" -p 512 -n 128; }
run "$model"
if [ "${1:-}" = "--all" ]; then
    copies="$cache/models/copies"
    mkdir -p "$copies"
    for type in F16 Q8_0 Q4_0 Q4_K_M Q6_K; do
        out="$copies/smol-$type.gguf"
        [ -f "$out" ] || "$llama/bin/llama-quantize" --allow-requantize "$model" "$out" "$type" >/dev/null 2>&1
        run "$out"
    done
fi
