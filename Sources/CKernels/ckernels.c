// Build-time facts about this C target; the kernels themselves live in one file per ISA family.
#include "CKernels.h"

int tw_ckernels_has_x86(void) {
#if defined(__x86_64__)
    return 1;
#else
    return 0;
#endif
}
