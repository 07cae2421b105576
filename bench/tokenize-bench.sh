#!/usr/bin/env bash
# Tokenizer speed: tokenworks tokenize vs llama.cpp's llama-tokenize on the same 1 MB text, for two vocabularies
# (byte-level BPE: llama-bpe; SentencePiece: llama-spm) from llama.cpp's conformance material.
# Needs: a release build (swift build -c release), bench/setup-llama.sh (for llama-tokenize), and the conformance
# material (downloaded by the test suite into ~/.cache/tokenworks/conformance, or by this script).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks"
models="$cache/conformance/llama_cpp_python-0.3.36/vendor/llama.cpp/models"
llama="${LLAMA_DIR:-$cache/llama.cpp}/bin/llama-tokenize"
tw=.build/release/tokenworks
if [ ! -d "$models" ]; then
    mkdir -p "$cache/conformance" && cd "$cache/conformance"
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python -d dl llama-cpp-python==0.3.36
    tar xzf dl/llama_cpp_python-0.3.36.tar.gz llama_cpp_python-0.3.36/vendor/llama.cpp/models && rm -rf dl
    touch .complete; cd - >/dev/null
fi
text="$(mktemp)"; trap 'rm -f "$text"' EXIT
# 1 MB of mixed prose and code: this repository's Markdown and Swift sources, repeated.
while [ "$(stat -c %s "$text")" -lt 1048576 ]; do cat README.md Sources/Inference/Model/*.swift prompts/system/*.md >> "$text"; done
head -c 1048576 "$text" > "$text.1m" && mv "$text.1m" "$text"
now() { date +%s.%N; }
printf "%-10s %-12s %10s %12s\n" vocab tool tokens "tokens/s"
for vocab in llama-bpe llama-spm; do
    gguf="$models/ggml-vocab-$vocab.gguf"
    for tool in tokenworks llama.cpp; do
        best=0; count=0
        for rep in 1 2 3; do
            t0=$(now)
            if [ "$tool" = tokenworks ]; then
                count=$("$tw" tokenize --model "$gguf" --json --no-add-special --no-parse-special < "$text" \
                    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["ids"]))')
            else
                [ -x "$llama" ] || { count=0; break; }
                count=$("$llama" -m "$gguf" -f "$text" --ids --log-disable --no-parse-special 2>/dev/null \
                    | python3 -c 'import sys; print(sys.stdin.read().count(",") + 1)')
            fi
            t1=$(now)
            rate=$(python3 -c "print(int($count / ($t1 - $t0)))")
            [ "$rate" -gt "$best" ] && best=$rate
        done
        printf "%-10s %-12s %10s %12s\n" "$vocab" "$tool" "$count" "$best"
    done
done
