#!/usr/bin/env bash
# Regenerates the llama.cpp references in this folder: for every model of models.txt, ref/NAME.json with the
# model file's SHA-256 and, per prompt (prompt-*.txt), the prompt ids, 32 greedy tokens, each step's greedy
# margin and the first-step logits, all computed by llama.cpp on the file make-model.py writes.
#
#   bash bench/setup-llama.sh                              # llama.cpp from llama-cpp-python==0.3.36's sdist
#   bash Tests/Fixtures/synthetic/make-references.sh
#
# llama.cpp is run by bench/reference/ref-synth.cpp (compiled here against the static libraries): context 512,
# one 512-token batch for the prompt, F16 K/V cache, flash attention off, 2 threads, greedy = argmax, 32 steps
# that do not stop at end-of-generation tokens. Where llama.cpp lives: REF_SYNTH (a built ref-synth), else
# LLAMA_SRC and LLAMA_BUILD (default: setup-llama.sh's LLAMA_DIR/src and LLAMA_DIR/build).
# The references of this commit were made with
#   LLAMA_SRC=/work/ref/src/llama_cpp_python-0.3.36/vendor/llama.cpp LLAMA_BUILD=/work/ref/lcpp-build \
#   bash Tests/Fixtures/synthetic/make-references.sh
# with the numpy and gguf versions each file's made_with names.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dir="${LLAMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks/llama.cpp}"
src="${LLAMA_SRC:-$dir/src}"
build="${LLAMA_BUILD:-$dir/build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dump="${REF_SYNTH:-}"
if [ -z "$dump" ]; then
    dump="$work/ref-synth"
    g++ -O2 -std=c++17 "$root/bench/reference/ref-synth.cpp" -I"$src/include" -I"$src/ggml/include" -o "$dump" \
        "$build/src/libllama.a" "$build/ggml/src/libggml.a" "$build/ggml/src/libggml-cpu.a" \
        "$build/ggml/src/libggml-base.a" -fopenmp -lpthread -ldl
fi

python3 "$here/make-model.py" --batch "$here/models.txt" "$work" > "$work/digests.txt"
mkdir -p "$here/ref"
while read -r name digest; do
    for p in "$here"/prompt-*.txt; do
        prompt="${p##*/prompt-}"; prompt="${prompt%.txt}"
        "$dump" "$work/$name.gguf" "$p" 32 > "$work/$name.$prompt.json"
    done
    python3 - "$here/models.txt" "$name" "$digest" "$work" "$here/ref/$name.json" <<'EOF'
import glob, importlib.metadata, json, sys
spec, name, digest, work, out = sys.argv[1:]
line = next(l.split() for l in open(spec) if l.split() and l.split()[0] == name)
versions = {p: importlib.metadata.version(p) for p in ("numpy", "gguf")}
prompts = {}
for path in sorted(glob.glob(f"{work}/{name}.*.json")):
    prompts[path[len(work) + len(name) + 2:-5]] = json.load(open(path))
# One array per line keeps the file readable and its diffs small.
head = {"model": name, "arch": line[1], "weight_type": line[2], "flags": line[3:], "sha256": digest,
        "made_with": f"make-model.py with numpy {versions['numpy']}, gguf {versions['gguf']}; llama.cpp of "
                     "llama-cpp-python 0.3.36 via bench/reference/ref-synth.cpp MODEL PROMPT 32"}
lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
lines.append(' "prompts": {')
for i, (prompt, d) in enumerate(prompts.items()):
    fields = ",\n".join(f"   {json.dumps(k)}: {json.dumps(d[k])}"
                        for k in ("prompt_ids", "generated_ids", "greedy_margins", "first_logits"))
    lines.append(f"  {json.dumps(prompt)}: {{\n{fields}\n  }}" + ("," if i + 1 < len(prompts) else ""))
lines.append(" }")
text = "{\n" + "\n".join(lines) + "\n}\n"
json.loads(text)
open(out, "w").write(text)
EOF
    echo "$name"
done < "$work/digests.txt"
