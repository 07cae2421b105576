#!/usr/bin/env bash
# Builds the llama.cpp peer for side-by-side benchmarks and reference fixtures, from the source that the
# llama-cpp-python PyPI package ships (vendor/llama.cpp). Nothing is committed: it lives in the cache.
#   LLAMA_DIR (default ~/.cache/tokenworks/llama.cpp) gets bin/llama-bench, llama-tokenize, llama-batched-bench,
#   llama-completion, llama-quantize and ref-dump (our fixture dumper in bench/reference/ref-dump.cpp).
set -euo pipefail
version="0.3.36"
sha_expected="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
dir="${LLAMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenworks/llama.cpp}"
here="$(cd "$(dirname "$0")" && pwd)"
if [ -x "$dir/bin/llama-bench" ] && [ -x "$dir/bin/llama-quantize" ] && [ -x "$dir/ref-dump" ]; then echo "llama.cpp: $dir"; exit 0; fi
command -v cmake >/dev/null || { sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq cmake g++ >/dev/null; }
mkdir -p "$dir"
cd "$dir"
if [ ! -d src ]; then
    rm -rf dl && mkdir dl
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python -d dl "llama-cpp-python==$version"
    sum="$(sha256sum dl/llama_cpp_python-$version.tar.gz | cut -d' ' -f1)"
    [ "$sum" = "$sha_expected" ] || { echo "checksum mismatch for llama-cpp-python $version: $sum" >&2; exit 1; }
    tar xzf "dl/llama_cpp_python-$version.tar.gz"
    mv "llama_cpp_python-$version/vendor/llama.cpp" src
    rm -rf dl "llama_cpp_python-$version"
fi
cmake -S src -B build -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target llama-bench llama-tokenize llama-batched-bench llama-completion llama-quantize
mkdir -p bin
for t in llama-bench llama-tokenize llama-batched-bench llama-completion llama-quantize; do cp "build/bin/$t" bin/; done
g++ -O2 -std=c++17 "$here/reference/ref-dump.cpp" -Isrc/include -Isrc/ggml/include -o ref-dump \
    build/src/libllama.a build/ggml/src/libggml.a build/ggml/src/libggml-cpu.a build/ggml/src/libggml-base.a \
    -fopenmp -lpthread -ldl
echo "llama.cpp: $dir"
