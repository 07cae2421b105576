// C intrinsics for the hottest kernel loops only. Every function here has a Swift scalar twin in the Kernels
// target that it is tested against; callers pick a function once at load time from the CPU's features.
#ifndef TOKENWORKS_CKERNELS_H
#define TOKENWORKS_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Reports whether this build of CKernels carries x86-64 AVX2 code paths (1) or only the portable ones (0).
int tw_ckernels_has_x86(void);

#endif
