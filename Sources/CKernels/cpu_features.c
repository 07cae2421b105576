// Detects the CPU's vector extensions once, including whether the OS saves the wider register state (XGETBV),
// so the Kernels target can choose its kernel table at start-up without global -march flags.
#include "CKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t tw_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t tw_cpu_features(void) {
    unsigned int eax, ebx, ecx, edx;
    uint32_t f = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return 0;
    const uint64_t xcr0 = tw_xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return 0;  // XMM and YMM state
    const int zmm = (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM state
    if ((ecx >> 12) & 1) f |= TW_CPU_FMA;
    if ((ecx >> 29) & 1) f |= TW_CPU_F16C;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return f;
    if ((ebx >> 5) & 1) f |= TW_CPU_AVX2;
    if (zmm) {
        if ((ebx >> 16) & 1) f |= TW_CPU_AVX512F;
        if ((ebx >> 17) & 1) f |= TW_CPU_AVX512DQ;
        if ((ebx >> 30) & 1) f |= TW_CPU_AVX512BW;
        if ((ebx >> 31) & 1) f |= TW_CPU_AVX512VL;
        if ((ecx >> 11) & 1) f |= TW_CPU_AVX512VNNI;
    }
    const unsigned int maxSub = eax;
    if (maxSub >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) {
        if ((eax >> 4) & 1) f |= TW_CPU_AVXVNNI;
        if (zmm && ((eax >> 5) & 1)) f |= TW_CPU_AVX512BF16;
    }
    return f;
}

#else

uint32_t tw_cpu_features(void) {
    uint32_t f = 0;
#if defined(__ARM_NEON)
    f |= TW_CPU_NEON;
#endif
#if defined(__ARM_FEATURE_DOTPROD)
    f |= TW_CPU_DOTPROD;
#endif
    return f;
}

#endif
