#!/usr/bin/env bash
# Produces the llama.cpp reference fixtures in this folder (greedy-*.json, first-logits-capital.f32).
# Needs llama.cpp built by bench/setup-llama.sh (LLAMA_DIR) and bench/reference/ref-dump.cpp compiled against it:
#   bash bench/setup-llama.sh
#   cd Tests/Fixtures/reference && python3 make-prompts.py MODEL && bash make-goldens.sh MODEL
# llama.cpp: llama-cpp-python==0.3.36's vendor/llama.cpp, default context params (F16 KV cache) with flash
# attention off (ref-dump.cpp sets it), 2 threads, greedy = argmax of the logits, 64 tokens or until an end-of-generation token.
set -euo pipefail
model="$1"
dump="${REF_DUMP:-${LLAMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks/llama.cpp}/ref-dump}"
for p in prompt-*.txt; do
    name="${p#prompt-}"; name="${name%.txt}"
    "$dump" "$model" "$p" 64 > "greedy-$name.json"
done
"$dump" "$model" prompt-capital.txt 1 --logits | python3 -c '
import json, struct, sys
d = json.load(sys.stdin)
open("first-logits-capital.f32", "wb").write(struct.pack("<%df" % len(d["first_logits"]), *d["first_logits"]))'
