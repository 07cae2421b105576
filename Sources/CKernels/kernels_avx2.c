// AVX2 + FMA + F16C kernels (integer dots via maddubs/madd). Compiled for those extensions per function, so the
// package needs no global -march flag; used only when CPUFeatures reports AVX2, FMA and F16C.
#include "CKernels.h"
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define TW_ISA avx2
#define TW_VNNI 0
#define TW_BF16 0
#define TW_TILE_R 4
#define TW_TILE_T 2
#define TW_X8_T 2
#include "kernels_x86.h"
#pragma clang attribute pop
#endif
