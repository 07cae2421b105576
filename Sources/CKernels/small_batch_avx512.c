// Small-N matrix products for decoding (1..16 activation rows: one token of each of N sequences, or a
// speculative verification of k+1 rows) over the packed 8-row groups, AVX-512 VNNI. Kept apart from the prefill
// kernels (kernels_x86.h): here every weight block is loaded and unpacked once per tile of up to four tokens and the
// activation scales arrive already in f32, so a token costs only its dot products. The arithmetic per output is
// operation for operation that of the one-token packed kernels (tw_gemm_x8_*), so a sequence's logits do not
// depend on how many others share the step (tested in SmallBatchKernelTests).
#include "CKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni"))), apply_to = function)

#define TW_SB_INLINE static inline __attribute__((always_inline))
/// Tokens per register tile: 4 × 4 accumulators + 4 weight registers + scales fit the 32 zmm registers.
#define TW_SB_T 4
/// Bytes ahead of the block being multiplied that its loop asks the memory system for. With several tokens a block
/// costs enough arithmetic that the hardware prefetcher falls behind the stream and the loads wait on memory; 2 KB
/// ahead (about 8-13 blocks, the next group's first blocks near a group's end) measured 4-5 % faster steps at 4
/// sequences and 7-20 % at 8 than none, 1 KB and 4 KB in between (bench --batch, interleaved runs).
#define TW_SB_PREFETCH 2048

/// Prefetches the weight bytes [p + TW_SB_PREFETCH, + n): one request per 64-byte line. Past a matrix's end it
/// touches nothing (a prefetch never faults).
TW_SB_INLINE void tw_sb_prefetch(const uint8_t *p, int n) {
    for (int k = 0; k < n; k += 64) _mm_prefetch((const char *)(p + TW_SB_PREFETCH + k), _MM_HINT_T0);
}

/// ggml's per-row sum of its eight lane accumulators for 8 rows at once (as tw_x8_pair_sum in kernels_x86.h):
/// `pair[p]` holds lanes 2p and 2p+1 of rows 0..7 interleaved.
TW_SB_INLINE __m256 tw_sb_pair_sum(const __m512 pair[4]) {
    const __m512 c = _mm512_add_ps(_mm512_add_ps(pair[0], pair[2]), _mm512_add_ps(pair[1], pair[3]));
    const __m512 s = _mm512_add_ps(c, _mm512_permute_ps(c, 0xb1));
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
    return _mm512_castps512_ps256(_mm512_permutexvar_ps(even, s));
}

TW_SB_INLINE void tw_sb_store(float *y, __m256 v, int valid) {
    if (valid == 8) {
        _mm256_storeu_ps(y, v);
    } else {
        float tmp[8];
        _mm256_storeu_ps(tmp, v);
        for (int i = 0; i < valid; i++) y[i] = tmp[i];
    }
}

TW_SB_INLINE int64_t tw_sb_load8(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

// ---- activation scales ------------------------------------------------------------------------------------------

void tw_small_scales_q8_1_avx512(const void *av, int64_t blocks, float *out) {
    const uint8_t *a = (const uint8_t *)av;
    for (int64_t b = 0; b < blocks; b++) {
        uint16_t d, s;
        memcpy(&d, a + 36 * b, 2);
        memcpy(&s, a + 36 * b + 2, 2);
        out[2 * b] = _cvtsh_ss(d);
        out[2 * b + 1] = _cvtsh_ss(s);
    }
}

void tw_small_scales_q8_0_avx512(const void *av, int64_t blocks, float *out) {
    const uint8_t *a = (const uint8_t *)av;
    for (int64_t b = 0; b < blocks; b++) {
        uint16_t d;
        memcpy(&d, a + 34 * b, 2);
        out[b] = _cvtsh_ss(d);
    }
}

// ---- Q4_1 × Q8_1 --------------------------------------------------------------------------------------------------
// One group (8 rows), T tokens. f: per token 2·nb floats (d, s of each activation block), token stride fs floats.

TW_SB_INLINE void tw_sb_q4_1(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as, const float *f,
                             size_t fs, float *y, size_t ys, int valid) {
    __m512 acc[TW_SB_T][4];
    __m256 mins[TW_SB_T];
    for (int t = 0; t < T; t++) {
        mins[t] = _mm256_setzero_ps();
        for (int c = 0; c < 4; c++) acc[t][c] = _mm512_setzero_ps();
    }
    const __m512i m4 = _mm512_set1_epi8(0x0f);
    const __m512i twice = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 160;
        tw_sb_prefetch(blk, 160);
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m512 d16 = _mm512_permutexvar_ps(twice, _mm512_castps256_ps512(d8));
        const __m256 m8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + 16)));
        __m512i wq[4];  // lane pairs (0,1), (2,3), (4,5), (6,7)
        for (int p = 0; p < 2; p++) {
            const __m512i raw = _mm512_loadu_si512((const void *)(blk + 32 + 64 * p));
            wq[p] = _mm512_and_si512(raw, m4);
            wq[p + 2] = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
        }
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 36;
            const float *fb = f + (size_t)t * fs + 2 * b;
            const __m512 scale = _mm512_mul_ps(d16, _mm512_set1_ps(fb[0]));
#pragma clang loop unroll(full)
            for (int c = 0; c < 4; c++) {
                const __m512i av = _mm512_set1_epi64(tw_sb_load8(ab + 4 + 8 * c));
                const __m512i isum = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wq[c], av);
                acc[t][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), scale, acc[t][c]);
            }
            mins[t] = _mm256_fmadd_ps(m8, _mm256_set1_ps(fb[1]), mins[t]);
        }
    }
    for (int t = 0; t < T; t++) tw_sb_store(y + (size_t)t * ys, _mm256_add_ps(tw_sb_pair_sum(acc[t]), mins[t]), valid);
}

// ---- Q4_0 × Q8_0 --------------------------------------------------------------------------------------------------
// Σ(q − 8)·a = Σq·a − 8·Σa (sums: one per activation block, token stride nb); lane = row, one FMA per block.

TW_SB_INLINE void tw_sb_q4_0(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                             const int32_t *sums, const float *f, size_t fs, float *y, size_t ys, int valid) {
    __m256 acc[TW_SB_T];
    for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 144;
        tw_sb_prefetch(blk, 144);
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        __m256i lo[4], hi[4];
        for (int c = 0; c < 4; c++) {
            const __m256i raw = _mm256_loadu_si256((const __m256i *)(blk + 16 + 32 * c));
            lo[c] = _mm256_and_si256(raw, m4);
            hi[c] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
        }
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34 + 2;
            __m256i s = _mm256_set1_epi32(-8 * sums[(size_t)t * nb + b]);
            for (int c = 0; c < 4; c++) {
                int32_t v;
                memcpy(&v, ab + 4 * c, 4);
                s = _mm256_dpbusd_epi32(s, lo[c], _mm256_set1_epi32(v));
            }
            for (int c = 0; c < 4; c++) {
                int32_t v;
                memcpy(&v, ab + 16 + 4 * c, 4);
                s = _mm256_dpbusd_epi32(s, hi[c], _mm256_set1_epi32(v));
            }
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_mul_ps(d8, _mm256_set1_ps(f[(size_t)t * fs + b])),
                                     acc[t]);
        }
    }
    for (int t = 0; t < T; t++) tw_sb_store(y + (size_t)t * ys, acc[t], valid);
}

// ---- Q8_0 × Q8_0 --------------------------------------------------------------------------------------------------
// Weights read as unsigned (w + 128); each lane starts at −128 · Σ of its activation chunk (sums: 8 per block,
// token stride 8·nb). Lane c = chunk c in ggml's order, FMA per block, then the lane-sum tree.

TW_SB_INLINE void tw_sb_q8_0(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                             const int32_t *sums, const float *f, size_t fs, float *y, size_t ys, int valid) {
    __m512 acc[TW_SB_T][4];
    for (int t = 0; t < T; t++)
        for (int c = 0; c < 4; c++) acc[t][c] = _mm512_setzero_ps();
    const __m512i twice = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 272;
        tw_sb_prefetch(blk, 272);
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m512 d16 = _mm512_permutexvar_ps(twice, _mm512_castps256_ps512(d8));
        __m512i wq[4];
        for (int p = 0; p < 4; p++) wq[p] = _mm512_xor_si512(_mm512_loadu_si512((const void *)(blk + 16 + 64 * p)), bias);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34 + 2;
            const int32_t *cs = sums + ((size_t)t * nb + b) * 8;
            const __m512 scale = _mm512_mul_ps(d16, _mm512_set1_ps(f[(size_t)t * fs + b]));
#pragma clang loop unroll(full)
            for (int p = 0; p < 4; p++) {
                int64_t cv;
                memcpy(&cv, cs + 2 * p, 8);
                const __m512i isum = _mm512_dpbusd_epi32(_mm512_set1_epi64(cv), wq[p],
                                                         _mm512_set1_epi64(tw_sb_load8(ab + 8 * p)));
                acc[t][p] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), scale, acc[t][p]);
            }
        }
    }
    for (int t = 0; t < T; t++) tw_sb_store(y + (size_t)t * ys, tw_sb_pair_sum(acc[t]), valid);
}

// ---- drivers --------------------------------------------------------------------------------------------------------
// w: the group holding row 0 of the call; nr rows (the last group may be partial); nt tokens in tiles of 4, the rest
// in one narrower tile (never one token at a time unless nt is 1). f: activation scales from tw_small_scales_*,
// token-major; sums as for tw_gemm_x8_* (NULL for Q4_1).

#define TW_SB_DISPATCH(call)                                                                                        \
    switch (T) {                                                                                                    \
    case 4: call(4); break;                                                                                          \
    case 3: call(3); break;                                                                                          \
    case 2: call(2); break;                                                                                          \
    default: call(1); break;                                                                                         \
    }

void tw_small_q4_1_avx512(int64_t n, const void *wv, int64_t nr, const void *av, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys) {
    (void)sums;
    const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;
    const int64_t nb = n / 32;
    const size_t fs = (size_t)(2 * nb);
    for (int64_t g = 0; g * 8 < nr; g++) {
        const int valid = nr - g * 8 < 8 ? (int)(nr - g * 8) : 8;
        const uint8_t *wg = w + (size_t)g * (size_t)nb * 160;
        for (int64_t t = 0; t < nt; t += TW_SB_T) {
            const int T = nt - t < TW_SB_T ? (int)(nt - t) : TW_SB_T;
#define TW_SB_Q4_1(k) tw_sb_q4_1(k, nb, wg, a + (size_t)t * as, as, f + (size_t)t * fs, fs, y + (size_t)t * ys + g * 8, ys, valid)
            TW_SB_DISPATCH(TW_SB_Q4_1)
#undef TW_SB_Q4_1
        }
    }
}

void tw_small_q4_0_avx512(int64_t n, const void *wv, int64_t nr, const void *av, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys) {
    const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;
    const int64_t nb = n / 32;
    const size_t fs = (size_t)nb;
    for (int64_t g = 0; g * 8 < nr; g++) {
        const int valid = nr - g * 8 < 8 ? (int)(nr - g * 8) : 8;
        const uint8_t *wg = w + (size_t)g * (size_t)nb * 144;
        for (int64_t t = 0; t < nt; t += TW_SB_T) {
            const int T = nt - t < TW_SB_T ? (int)(nt - t) : TW_SB_T;
#define TW_SB_Q4_0(k)                                                                                               \
    tw_sb_q4_0(k, nb, wg, a + (size_t)t * as, as, sums + (size_t)t * nb, f + (size_t)t * fs, fs,                     \
               y + (size_t)t * ys + g * 8, ys, valid)
            TW_SB_DISPATCH(TW_SB_Q4_0)
#undef TW_SB_Q4_0
        }
    }
}

void tw_small_q8_0_avx512(int64_t n, const void *wv, int64_t nr, const void *av, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys) {
    const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;
    const int64_t nb = n / 32;
    const size_t fs = (size_t)nb;
    for (int64_t g = 0; g * 8 < nr; g++) {
        const int valid = nr - g * 8 < 8 ? (int)(nr - g * 8) : 8;
        const uint8_t *wg = w + (size_t)g * (size_t)nb * 272;
        for (int64_t t = 0; t < nt; t += TW_SB_T) {
            const int T = nt - t < TW_SB_T ? (int)(nt - t) : TW_SB_T;
#define TW_SB_Q8_0(k)                                                                                               \
    tw_sb_q8_0(k, nb, wg, a + (size_t)t * as, as, sums + (size_t)t * nb * 8, f + (size_t)t * fs, fs,                 \
               y + (size_t)t * ys + g * 8, ys, valid)
            TW_SB_DISPATCH(TW_SB_Q8_0)
#undef TW_SB_Q8_0
        }
    }
}

#pragma clang attribute pop
#endif
