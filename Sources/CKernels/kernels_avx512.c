// AVX-512 (VL/BW) + VNNI + BF16 kernels: `vpdpbusd` for the integer dots and `vdpbf16ps` for bf16 rows, on 256-bit
// registers (32 of them, so a 4×4 tile of accumulators fits). Used only when CPUFeatures reports all of them.
#include "CKernels.h"
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx512bf16"))), apply_to = function)
#define TW_ISA avx512
#define TW_VNNI 1
#define TW_BF16 1
#define TW_TILE_R 4
#define TW_TILE_T 4
#define TW_X8_T 4
#include "kernels_x86.h"
#pragma clang attribute pop
#endif
