#!/usr/bin/env bash
# Builds the fuzz targets: Swift code with AddressSanitizer and libFuzzer's coverage instrumentation, C code
# (libyaml, the kernels) with -fsanitize=fuzzer-no-link,address, and libFuzzer's driver linked in from the
# toolchain (libclang_rt.fuzzer_no_main). Needs a swift.org toolchain on Linux (it ships libFuzzer).
set -euo pipefail
cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v "$SWIFT")")")")
runtime=$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -n 1 || true)
if [ -z "$runtime" ]; then
    runtime=$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-*.a 2>/dev/null | head -n 1 || true)
fi
if [ -z "$runtime" ]; then
    echo "fuzz/build.sh: libFuzzer (libclang_rt.fuzzer_no_main) not found under $toolchain/lib/clang:" \
         "use a swift.org toolchain on Linux" >&2
    exit 1
fi
exec nice -n 10 "$SWIFT" build -c release \
    -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xcc -fsanitize=fuzzer-no-link,address \
    -Xlinker "$runtime" -Xlinker -lstdc++ "$@"
