// The x86-64 kernel bodies, written once and compiled twice: by kernels_avx2.c (AVX2+FMA+F16C, maddubs-based
// integer dots) and by kernels_avx512.c (AVX-512 VL/BW + VNNI `vpdpbusd`, BF16 `vdpbf16ps`). The including file
// sets TW_ISA (function name suffix), TW_VNNI, TW_BF16, TW_TILE_R and TW_TILE_T and a target pragma first.
//
// Numerics follow ggml-cpu exactly where llama.cpp's are integer (block sums). For Q4_1 and Q8_0 (the default model)
// the float accumulation also follows ggml-cpu's x86 vec_dot kernels operation for operation — eight lanes, lane j
// holding elements 4j..4j+3 of every block, fused multiply-adds, the same horizontal-sum tree — so results equal
// llama.cpp's to the bit (see BlockQ4_1.dotReference). Other formats accumulate in float in their own order.
#include <immintrin.h>
#include <math.h>
#include <string.h>

#define TW_CAT2(a, b) a##_##b
#define TW_CAT(a, b) TW_CAT2(a, b)
#define TW_FN(name) TW_CAT(name, TW_ISA)
#define TW_INLINE static inline __attribute__((always_inline))

TW_INLINE float tw_h2f(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

TW_INLINE float tw_hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

TW_INLINE int tw_hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

/// 16 packed bytes → 32 bytes: low nibbles (elements 0..15) then high nibbles (elements 16..31).
TW_INLINE __m256i tw_nibbles(const uint8_t *p) {
    const __m128i t = _mm_loadu_si128((const __m128i *)p);
    const __m256i v = _mm256_set_m128i(_mm_srli_epi16(t, 4), t);
    return _mm256_and_si256(v, _mm256_set1_epi8(0x0f));
}

/// acc + Σ u·s over groups of four bytes (u unsigned, s signed). Exact when every pair sum fits int16 on AVX2.
TW_INLINE __m256i tw_dot_u8s8(__m256i acc, __m256i u, __m256i s) {
#if TW_VNNI
    return _mm256_dpbusd_epi32(acc, u, s);
#else
    const __m256i p = _mm256_maddubs_epi16(u, s);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
#endif
}

// ---- Q4_1 × Q8_1 ----------------------------------------------------------------------------------------------
// block_q4_1 {f16 d, f16 m, u8 qs[16]} (20 B) · block_q8_1 {f16 d, f16 s, i8 qs[32]} (36 B):
// per block (dw·da)·Σq·qa + m·s.

TW_INLINE void tw_tile_q4_1(const int R, const int T, int64_t nb, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    float ms[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) {
            acc[i][j] = _mm256_setzero_ps();
            ms[i][j] = 0.0f;
        }
    for (int64_t b = 0; b < nb; b++) {
        __m256i wq[TW_TILE_R];
        float wd[TW_TILE_R], wm[TW_TILE_R];
        for (int i = 0; i < R; i++) {
            const uint8_t *wb = w + (size_t)i * ws + (size_t)b * 20;
            wd[i] = tw_h2f(wb);
            wm[i] = tw_h2f(wb + 2);
            wq[i] = tw_nibbles(wb + 4);
        }
        for (int j = 0; j < T; j++) {
            const uint8_t *ab = a + (size_t)j * as + (size_t)b * 36;
            const float ad = tw_h2f(ab), asum = tw_h2f(ab + 2);
            const __m256i aq = _mm256_loadu_si256((const __m256i *)(ab + 4));
            for (int i = 0; i < R; i++) {
                const __m256i p = tw_dot_u8s8(_mm256_setzero_si256(), wq[i], aq);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(wd[i] * ad), acc[i][j]);
                ms[i][j] = fmaf(wm[i], asum, ms[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) y[(size_t)j * ys + i] = tw_hsum(acc[i][j]) + ms[i][j];
}

// ---- Q4_0 × Q8_0 ----------------------------------------------------------------------------------------------
// block_q4_0 {f16 d, u8 qs[16]} (18 B) · block_q8_0 {f16 d, i8 qs[32]} (34 B): (dw·da)·Σ(q−8)·qa, computed as
// Σq·qa − 8·Σqa so the unsigned×signed instruction applies (exact in int32).

TW_INLINE void tw_tile_q4_0(const int R, const int T, int64_t nb, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) acc[i][j] = _mm256_setzero_ps();
    const __m256i eights = _mm256_set1_epi8(8);
    for (int64_t b = 0; b < nb; b++) {
        __m256i wq[TW_TILE_R];
        float wd[TW_TILE_R];
        for (int i = 0; i < R; i++) {
            const uint8_t *wb = w + (size_t)i * ws + (size_t)b * 18;
            wd[i] = tw_h2f(wb);
            wq[i] = tw_nibbles(wb + 2);
        }
        for (int j = 0; j < T; j++) {
            const uint8_t *ab = a + (size_t)j * as + (size_t)b * 34;
            const float ad = tw_h2f(ab);
            const __m256i aq = _mm256_loadu_si256((const __m256i *)(ab + 2));
            const __m256i corr = _mm256_sub_epi32(_mm256_setzero_si256(),
                                                  tw_dot_u8s8(_mm256_setzero_si256(), eights, aq));
            for (int i = 0; i < R; i++) {
                const __m256i p = tw_dot_u8s8(corr, wq[i], aq);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(wd[i] * ad), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) y[(size_t)j * ys + i] = tw_hsum(acc[i][j]);
}

// ---- Q8_0 × Q8_0 ----------------------------------------------------------------------------------------------
// (dw·da)·Σqw·qa. VNNI: (qw+128) as unsigned, minus 128·Σqa. AVX2: |qw| · sign(qa, qw) (no int16 overflow since
// activations are within ±127).

TW_INLINE void tw_tile_q8_0(const int R, const int T, int64_t nb, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) acc[i][j] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        __m256i wq[TW_TILE_R];
        float wd[TW_TILE_R];
        for (int i = 0; i < R; i++) {
            const uint8_t *wb = w + (size_t)i * ws + (size_t)b * 34;
            wd[i] = tw_h2f(wb);
            wq[i] = _mm256_loadu_si256((const __m256i *)(wb + 2));
#if TW_VNNI
            wq[i] = _mm256_xor_si256(wq[i], _mm256_set1_epi8((char)0x80));
#endif
        }
        for (int j = 0; j < T; j++) {
            const uint8_t *ab = a + (size_t)j * as + (size_t)b * 34;
            const float ad = tw_h2f(ab);
            const __m256i aq = _mm256_loadu_si256((const __m256i *)(ab + 2));
#if TW_VNNI
            const __m256i corr = _mm256_sub_epi32(
                _mm256_setzero_si256(), _mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_set1_epi8((char)0x80), aq));
#endif
            for (int i = 0; i < R; i++) {
#if TW_VNNI
                const __m256i p = _mm256_dpbusd_epi32(corr, wq[i], aq);
#else
                const __m256i p = tw_dot_u8s8(_mm256_setzero_si256(), _mm256_sign_epi8(wq[i], wq[i]),
                                              _mm256_sign_epi8(aq, wq[i]));
#endif
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(wd[i] * ad), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) y[(size_t)j * ys + i] = tw_hsum(acc[i][j]);
}

// ---- F16 × F16, BF16 × BF16, F32 × F32 -------------------------------------------------------------------------
// Eight columns per step, widened to f32 and fused multiply-added; a scalar tail for n % 8.

TW_INLINE __m256 tw_load_f16(const uint8_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
TW_INLINE __m256 tw_load_bf16(const uint8_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}
TW_INLINE __m256 tw_load_f32(const uint8_t *p) { return _mm256_loadu_ps((const float *)p); }
TW_INLINE float tw_scalar_f16(const uint8_t *p, int64_t k) { return tw_h2f(p + 2 * k); }
TW_INLINE float tw_scalar_bf16(const uint8_t *p, int64_t k) {
    uint16_t h;
    memcpy(&h, p + 2 * k, 2);
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
TW_INLINE float tw_scalar_f32(const uint8_t *p, int64_t k) {
    float f;
    memcpy(&f, p + 4 * k, 4);
    return f;
}

#define TW_FLOAT_TILE(kind, esize)                                                                                 \
    TW_INLINE void tw_tile_##kind(const int R, const int T, int64_t n, const uint8_t *w, size_t ws,               \
                                  const uint8_t *a, size_t as, float *y, size_t ys) {                              \
        __m256 acc[TW_TILE_R][TW_TILE_T];                                                                          \
        for (int i = 0; i < R; i++)                                                                                \
            for (int j = 0; j < T; j++) acc[i][j] = _mm256_setzero_ps();                                           \
        int64_t k = 0;                                                                                             \
        for (; k + 8 <= n; k += 8) {                                                                               \
            __m256 wv[TW_TILE_R];                                                                                  \
            for (int i = 0; i < R; i++) wv[i] = tw_load_##kind(w + (size_t)i * ws + (size_t)k * esize);            \
            for (int j = 0; j < T; j++) {                                                                          \
                const __m256 av = tw_load_##kind(a + (size_t)j * as + (size_t)k * esize);                          \
                for (int i = 0; i < R; i++) acc[i][j] = _mm256_fmadd_ps(wv[i], av, acc[i][j]);                     \
            }                                                                                                      \
        }                                                                                                          \
        for (int i = 0; i < R; i++)                                                                                \
            for (int j = 0; j < T; j++) {                                                                          \
                float s = tw_hsum(acc[i][j]);                                                                      \
                for (int64_t kk = k; kk < n; kk++)                                                                 \
                    s += tw_scalar_##kind(w + (size_t)i * ws, kk) * tw_scalar_##kind(a + (size_t)j * as, kk);      \
                y[(size_t)j * ys + i] = s;                                                                         \
            }                                                                                                      \
    }

TW_FLOAT_TILE(f16, 2)
TW_FLOAT_TILE(f32, 4)
#define tw_tile_tiled_f16 tw_tile_f16
#define tw_tile_tiled_f32 tw_tile_f32
#define tw_tile_tiled_bf16 tw_tile_bf16
#if !TW_BF16
TW_FLOAT_TILE(bf16, 2)
#else
/// vdpbf16ps: 16 bf16 pairs per step into 8 f32 lanes (as ggml's AVX512BF16 path).
TW_INLINE void tw_tile_bf16(const int R, const int T, int64_t n, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) acc[i][j] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= n; k += 16) {
        __m256bh wv[TW_TILE_R];
        for (int i = 0; i < R; i++) wv[i] = (__m256bh)_mm256_loadu_si256((const __m256i *)(w + (size_t)i * ws + 2 * k));
        for (int j = 0; j < T; j++) {
            const __m256bh av = (__m256bh)_mm256_loadu_si256((const __m256i *)(a + (size_t)j * as + 2 * k));
            for (int i = 0; i < R; i++) acc[i][j] = _mm256_dpbf16_ps(acc[i][j], wv[i], av);
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) {
            float s = tw_hsum(acc[i][j]);
            for (int64_t kk = k; kk < n; kk++)
                s += tw_scalar_bf16(w + (size_t)i * ws, kk) * tw_scalar_bf16(a + (size_t)j * as, kk);
            y[(size_t)j * ys + i] = s;
        }
}
#endif

// ---- drivers ---------------------------------------------------------------------------------------------------
// Row tiles of TW_TILE_R × token tiles of TW_TILE_T; leftovers with narrower tiles. `len` is blocks for the
// quantized formats and elements for the float formats.

#define TW_GEMM(kind, blockElems)                                                                                  \
    void TW_FN(tw_gemm_##kind)(int64_t n, const void *wv, size_t ws, int64_t nr, const void *av, size_t as,        \
                               int64_t nt, float *y, size_t ys) {                                                  \
        const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;                                          \
        const int64_t len = n / (blockElems);                                                                      \
        int64_t r = 0;                                                                                             \
        for (; r + TW_TILE_R <= nr; r += TW_TILE_R) {                                                              \
            int64_t t = 0;                                                                                         \
            for (; t + TW_TILE_T <= nt; t += TW_TILE_T)                                                            \
                tw_tile_##kind(TW_TILE_R, TW_TILE_T, len, w + (size_t)r * ws, ws, a + (size_t)t * as, as,          \
                               y + (size_t)t * ys + r, ys);                                                        \
            for (; t < nt; t++)                                                                                    \
                tw_tile_##kind(TW_TILE_R, 1, len, w + (size_t)r * ws, ws, a + (size_t)t * as, as,                  \
                               y + (size_t)t * ys + r, ys);                                                        \
        }                                                                                                          \
        for (; r < nr; r++) {                                                                                      \
            int64_t t = 0;                                                                                         \
            for (; t + TW_TILE_T <= nt; t += TW_TILE_T)                                                            \
                tw_tile_##kind(1, TW_TILE_T, len, w + (size_t)r * ws, ws, a + (size_t)t * as, as,                  \
                               y + (size_t)t * ys + r, ys);                                                        \
            for (; t < nt; t++)                                                                                    \
                tw_tile_##kind(1, 1, len, w + (size_t)r * ws, ws, a + (size_t)t * as, as, y + (size_t)t * ys + r,  \
                               ys);                                                                                \
        }                                                                                                          \
    }

TW_GEMM(q4_1, 32)
TW_GEMM(q4_0, 32)
TW_GEMM(q8_0, 32)
/// Decode over 16-bit float rows widens the activation row to f32 once per call (on the stack, rows up to
/// TW_WIDE_MAX), so each weight element costs one conversion instead of two: measured +15-25% single-core bandwidth.
#define TW_WIDE_MAX 4096
TW_INLINE void tw_widen_f16(const uint8_t *a, float *out, int64_t n) {
    int64_t k = 0;
    for (; k + 8 <= n; k += 8) _mm256_storeu_ps(out + k, tw_load_f16(a + 2 * k));
    for (; k < n; k++) out[k] = tw_scalar_f16(a, k);
}
TW_INLINE void tw_widen_bf16(const uint8_t *a, float *out, int64_t n) {
    int64_t k = 0;
    for (; k + 8 <= n; k += 8) _mm256_storeu_ps(out + k, tw_load_bf16(a + 2 * k));
    for (; k < n; k++) out[k] = tw_scalar_bf16(a, k);
}
TW_INLINE void tw_widen_f32(const uint8_t *a, float *out, int64_t n) { memcpy(out, a, (size_t)n * 4); }

/// Decode (one token) over float rows: one row at a time with four independent accumulators, so each core reads
/// a single sequential stream (several interleaved row streams measured at half the bandwidth).
#define TW_FLOAT_ROW(kind, esize)                                                                                  \
    TW_INLINE float tw_row_##kind(int64_t n, const uint8_t *w, const uint8_t *a) {                                \
        __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;                                 \
        int64_t k = 0;                                                                                             \
        for (; k + 32 <= n; k += 32) {                                                                             \
            acc0 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 0) * esize), tw_load_##kind(a + (k + 0) * esize), acc0); \
            acc1 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 8) * esize), tw_load_##kind(a + (k + 8) * esize), acc1); \
            acc2 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 16) * esize), tw_load_##kind(a + (k + 16) * esize), acc2); \
            acc3 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 24) * esize), tw_load_##kind(a + (k + 24) * esize), acc3); \
        }                                                                                                          \
        for (; k + 8 <= n; k += 8)                                                                                 \
            acc0 = _mm256_fmadd_ps(tw_load_##kind(w + k * esize), tw_load_##kind(a + k * esize), acc0);           \
        float s = tw_hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));                    \
        for (; k < n; k++) s += tw_scalar_##kind(w, k) * tw_scalar_##kind(a, k);                                   \
        return s;                                                                                                  \
    }                                                                                                              \
    TW_INLINE float tw_row_wide_##kind(int64_t n, const uint8_t *w, const float *a) {                             \
        __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;                                 \
        int64_t k = 0;                                                                                             \
        for (; k + 32 <= n; k += 32) {                                                                             \
            acc0 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 0) * esize), _mm256_loadu_ps(a + k + 0), acc0);        \
            acc1 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 8) * esize), _mm256_loadu_ps(a + k + 8), acc1);        \
            acc2 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 16) * esize), _mm256_loadu_ps(a + k + 16), acc2);      \
            acc3 = _mm256_fmadd_ps(tw_load_##kind(w + (k + 24) * esize), _mm256_loadu_ps(a + k + 24), acc3);      \
        }                                                                                                          \
        for (; k + 8 <= n; k += 8) acc0 = _mm256_fmadd_ps(tw_load_##kind(w + k * esize), _mm256_loadu_ps(a + k), acc0); \
        float s = tw_hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));                    \
        for (; k < n; k++) s += tw_scalar_##kind(w, k) * a[k];                                                     \
        return s;                                                                                                  \
    }                                                                                                              \
    void TW_FN(tw_gemm_##kind)(int64_t n, const void *wv, size_t ws, int64_t nr, const void *av, size_t as,        \
                               int64_t nt, float *y, size_t ys) {                                                  \
        if (nt == 1) {                                                                                             \
            if (esize == 2 && n <= TW_WIDE_MAX && nr > 1) {                                                        \
                float wide[TW_WIDE_MAX];                                                                           \
                tw_widen_##kind((const uint8_t *)av, wide, n);                                                     \
                for (int64_t r = 0; r < nr; r++)                                                                   \
                    y[r] = tw_row_wide_##kind(n, (const uint8_t *)wv + (size_t)r * ws, wide);                      \
                return;                                                                                            \
            }                                                                                                      \
            for (int64_t r = 0; r < nr; r++)                                                                       \
                y[r] = tw_row_##kind(n, (const uint8_t *)wv + (size_t)r * ws, (const uint8_t *)av);               \
            return;                                                                                                \
        }                                                                                                          \
        TW_FN(tw_gemm_tiled_##kind)(n, wv, ws, nr, av, as, nt, y, ys);                                             \
    }

TW_GEMM(tiled_f16, 1)
TW_GEMM(tiled_bf16, 1)
TW_GEMM(tiled_f32, 1)
TW_FLOAT_ROW(f16, 2)
TW_FLOAT_ROW(bf16, 2)
TW_FLOAT_ROW(f32, 4)

// ---- activation conversion -------------------------------------------------------------------------------------

/// ggml-cpu x86 quantize_row_q8_0 / q8_1: d = amax/127, id = 127/amax, round to nearest even.
TW_INLINE void tw_quantize_block(const float *x, uint8_t *out, int withSum) {
    __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8), v2 = _mm256_loadu_ps(x + 16),
           v3 = _mm256_loadu_ps(x + 24);
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    __m256 m = _mm256_andnot_ps(signBit, v0);
    m = _mm256_max_ps(m, _mm256_andnot_ps(signBit, v1));
    m = _mm256_max_ps(m, _mm256_andnot_ps(signBit, v2));
    m = _mm256_max_ps(m, _mm256_andnot_ps(signBit, v3));
    __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const float amax = _mm_cvtss_f32(m4);
    const float d = amax / 127.f;
    const uint16_t dh = _cvtss_sh(d, 0);
    memcpy(out, &dh, 2);
    const __m256 mul = _mm256_set1_ps(amax != 0.0f ? 127.f / amax : 0.0f);
    __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    uint8_t *qs = out + 2;
    if (withSum) {
        const int sum = tw_hsum_i32(_mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3)));
        const uint16_t sh = _cvtss_sh(d * (float)sum, 0);
        memcpy(out + 2, &sh, 2);
        qs = out + 4;
    }
    i0 = _mm256_packs_epi32(i0, i1);
    i2 = _mm256_packs_epi32(i2, i3);
    i0 = _mm256_packs_epi16(i0, i2);
    i0 = _mm256_permutevar8x32_epi32(i0, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)qs, i0);
}

void TW_FN(tw_quantize_q8_0)(const float *x, void *out, int64_t n) {
    for (int64_t b = 0; b < n / 32; b++) tw_quantize_block(x + 32 * b, (uint8_t *)out + 34 * b, 0);
}

void TW_FN(tw_quantize_q8_1)(const float *x, void *out, int64_t n) {
    for (int64_t b = 0; b < n / 32; b++) tw_quantize_block(x + 32 * b, (uint8_t *)out + 36 * b, 1);
}

void TW_FN(tw_convert_f16)(const float *x, void *out, int64_t n) {
    uint8_t *o = (uint8_t *)out;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(o + 2 * i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) {
        const uint16_t h = _cvtss_sh(x[i], 0);
        memcpy(o + 2 * i, &h, 2);
    }
}

/// Round to nearest even on the upper 16 bits; NaN → quiet NaN (ggml_compute_fp32_to_bf16).
void TW_FN(tw_convert_bf16)(const float *x, void *out, int64_t n) {
    uint8_t *o = (uint8_t *)out;
    int64_t i = 0;
    const __m256i absMask = _mm256_set1_epi32(0x7fffffff), inf = _mm256_set1_epi32(0x7f800000);
    for (; i + 8 <= n; i += 8) {
        const __m256i u = _mm256_loadu_si256((const __m256i *)(x + i));
        const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
        const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7fff))), 16);
        const __m256i nan = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(64));
        const __m256i isNaN = _mm256_cmpgt_epi32(_mm256_and_si256(u, absMask), inf);
        __m256i r = _mm256_blendv_epi8(rounded, nan, isNaN);
        r = _mm256_and_si256(r, _mm256_set1_epi32(0xffff));
        const __m128i packed = _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
        _mm_storeu_si128((__m128i *)(o + 2 * i), packed);
    }
    for (; i < n; i++) {
        uint32_t u;
        memcpy(&u, x + i, 4);
        const uint16_t h = (u & 0x7fffffff) > 0x7f800000 ? (uint16_t)((u >> 16) | 64)
                                                         : (uint16_t)((u + (0x7fff + ((u >> 16) & 1))) >> 16);
        memcpy(o + 2 * i, &h, 2);
    }
}

void TW_FN(tw_dequantize_f16)(const void *src, float *out, int64_t n) {
    const uint8_t *s = (const uint8_t *)src;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, tw_load_f16(s + 2 * i));
    for (; i < n; i++) out[i] = tw_h2f(s + 2 * i);
}

// ---- packed 8-row groups ("x8") -------------------------------------------------------------------------------
// Layout (built once at load time by the Kernels target): rows in groups of 8; per group, per 32-element block:
//   the 8 rows' f16 scales side by side (16 B), for Q4_1 then the 8 f16 minimums (16 B), then the quants as
//   4-byte chunks interleaved by row — chunk c holds bytes 4c..4c+3 of rows 0..7 (32 B per chunk; 4 chunks for
//   the 4-bit formats, 8 for Q8_0). Q4_1 and Q8_0 pair their chunks instead (64 B per pair p: row r's chunks 2p and
//   2p+1 at bytes 8r..8r+7). A group's rows land in the lanes of one register, so a block costs a few
//   instructions for all 8 rows and results are stored without horizontal sums.
// Integer block sums stay exact; rows past the matrix end are zero padding and never stored.

TW_INLINE __m256 tw_bcast_h2f(const uint8_t *p) {
    int16_t h;
    memcpy(&h, p, 2);
    return _mm256_cvtph_ps(_mm_set1_epi16(h));
}

TW_INLINE __m256i tw_bcast32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

TW_INLINE void tw_store_rows(float *y, __m256 v, int valid) {
    if (valid == 8) {
        _mm256_storeu_ps(y, v);
    } else {
        float tmp[8];
        _mm256_storeu_ps(tmp, v);
        for (int i = 0; i < valid; i++) y[i] = tmp[i];
    }
}

/// Σ over four chunk pairs of unsigned 4-bit weights × broadcast signed activations, plus `init` (int32 lanes).
/// AVX2 adds the eight maddubs results in int16 first: each is ≤ 2·15·127, so eight fit (≤ 30480).
TW_INLINE __m256i tw_x8_dot4(__m256i init, const __m256i lo[4], const __m256i hi[4], const uint8_t *q) {
#if TW_VNNI
    __m256i s = init;
    for (int c = 0; c < 4; c++) s = _mm256_dpbusd_epi32(s, lo[c], tw_bcast32(q + 4 * c));
    for (int c = 0; c < 4; c++) s = _mm256_dpbusd_epi32(s, hi[c], tw_bcast32(q + 16 + 4 * c));
    return s;
#else
    __m256i p = _mm256_maddubs_epi16(lo[0], tw_bcast32(q));
    for (int c = 1; c < 4; c++) p = _mm256_add_epi16(p, _mm256_maddubs_epi16(lo[c], tw_bcast32(q + 4 * c)));
    for (int c = 0; c < 4; c++) p = _mm256_add_epi16(p, _mm256_maddubs_epi16(hi[c], tw_bcast32(q + 16 + 4 * c)));
    return _mm256_add_epi32(init, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
#endif
}

TW_INLINE void tw_x8_nibbles(const uint8_t *q, __m256i lo[4], __m256i hi[4]) {
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    for (int c = 0; c < 4; c++) {
        const __m256i raw = _mm256_loadu_si256((const __m256i *)(q + 32 * c));
        lo[c] = _mm256_and_si256(raw, m4);
        hi[c] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
    }
}

/// ggml's per-row sum of its eight lane accumulators, ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)), for 8 rows at once.
#if TW_ZMM
/// `pair[p]` holds lanes 2p and 2p+1 of rows 0..7 interleaved (element 2r = row r's lane 2p, 2r+1 its lane 2p+1).
TW_INLINE __m256 tw_x8_pair_sum(const __m512 pair[4]) {
    const __m512 c = _mm512_add_ps(_mm512_add_ps(pair[0], pair[2]), _mm512_add_ps(pair[1], pair[3]));
    const __m512 s = _mm512_add_ps(c, _mm512_permute_ps(c, 0xb1));
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
    return _mm512_castps512_ps256(_mm512_permutexvar_ps(even, s));
}
#else
/// `pair[p][h]` holds lanes 2p and 2p+1 of rows 4h..4h+3 interleaved.
TW_INLINE __m256 tw_x8_pair_sum(__m256 pair[4][2]) {
    __m256 c[2];
    for (int h = 0; h < 2; h++)
        c[h] = _mm256_add_ps(_mm256_add_ps(pair[0][h], pair[2][h]), _mm256_add_ps(pair[1][h], pair[3][h]));
    // hadd gives rows 0,1 | 4,5 | 2,3 | 6,7 in 64-bit quarters; reorder them.
    const __m256 s = _mm256_hadd_ps(c[0], c[1]);
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(s), 0xd8));
}
#endif

/// Q4_1 in ggml's order: per row, lane c (elements 4c..4c+3 of each block) accumulates Σq·a · (dw·da) by FMA and the
/// minimums m·s accumulate by FMA in a chain of their own, added after the lane sum. The paired chunk layout
/// (WeightPacker) puts lanes 2p, 2p+1 of every row in one register: low nibbles of pair p are lanes (2p, 2p+1),
/// high nibbles lanes (2p+4, 2p+5), and their activation bytes are the 8 bytes at 8p (resp. 16 + 8p).
TW_INLINE void tw_x8_q4_1(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                          const int32_t *sums, float *y, size_t ys, int valid) {
    (void)sums;
    __m256 mins[TW_X8_T];
    for (int t = 0; t < T; t++) mins[t] = _mm256_setzero_ps();
#if TW_ZMM
    __m512 acc[TW_X8_T][4];
    for (int t = 0; t < T; t++)
        for (int c = 0; c < 4; c++) acc[t][c] = _mm512_setzero_ps();
    const __m512i m4 = _mm512_set1_epi8(0x0f);
    const __m512i twice = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 160;
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
            const __m512 scale = _mm512_mul_ps(d16, _mm512_set1_ps(tw_h2f(ab)));
            for (int c = 0; c < 4; c++) {
                const __m512i av = _mm512_broadcast_i32x2(_mm_loadl_epi64((const __m128i *)(ab + 4 + 8 * c)));
                const __m512i isum = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wq[c], av);
                acc[t][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), scale, acc[t][c]);
            }
            mins[t] = _mm256_fmadd_ps(m8, tw_bcast_h2f(ab + 2), mins[t]);
        }
    }
#else
    __m256 acc[TW_X8_T][4][2];
    for (int t = 0; t < T; t++)
        for (int c = 0; c < 4; c++) acc[t][c][0] = acc[t][c][1] = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 160;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m256 dh[2] = {_mm256_permutevar8x32_ps(d8, _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3)),
                              _mm256_permutevar8x32_ps(d8, _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7))};
        const __m256 m8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + 16)));
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 36;
            const __m256 ad = tw_bcast_h2f(ab);
            for (int c = 0; c < 4; c++) {
                int64_t pair;
                memcpy(&pair, ab + 4 + 8 * c, 8);
                const __m256i av = _mm256_set1_epi64x(pair);
                for (int h = 0; h < 2; h++) {
                    const __m256i raw = _mm256_loadu_si256((const __m256i *)(blk + 32 + 64 * (c & 1) + 32 * h));
                    const __m256i q = c < 2 ? _mm256_and_si256(raw, m4) : _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
                    const __m256i isum = tw_dot_u8s8(_mm256_setzero_si256(), q, av);
                    acc[t][c][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(dh[h], ad), acc[t][c][h]);
                }
            }
            mins[t] = _mm256_fmadd_ps(m8, tw_bcast_h2f(ab + 2), mins[t]);
        }
    }
#endif
    for (int t = 0; t < T; t++) tw_store_rows(y + (size_t)t * ys, _mm256_add_ps(tw_x8_pair_sum(acc[t]), mins[t]), valid);
}

/// Q4_0: Σ(q − 8)·a = Σq·a − 8·Σa, with Σa per activation block from `sums` ([token · nb + block]).
TW_INLINE void tw_x8_q4_0(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                          const int32_t *sums, float *y, size_t ys, int valid) {
    __m256 acc[TW_X8_T];
    for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 144;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        __m256i lo[4], hi[4];
        tw_x8_nibbles(blk + 16, lo, hi);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34;
            const __m256i init = _mm256_set1_epi32(-8 * sums[(size_t)t * nb + b]);
            const __m256i isum = tw_x8_dot4(init, lo, hi, ab + 2);
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d8, tw_bcast_h2f(ab)), acc[t]);
        }
    }
    for (int t = 0; t < T; t++) tw_store_rows(y + (size_t)t * ys, acc[t], valid);
}

/// Q8_0 in ggml's order (lane c = chunk c, FMA per block, then the lane-sum tree). The quants use the paired layout
/// of Q4_1 (WeightPacker): register p holds chunks 2p and 2p+1 of all 8 rows, and the matching activation bytes are
/// one 8-byte broadcast. VNNI reads the weights as unsigned (w + 128) and starts each lane at −128 · Σ activation
/// chunk (`sums`: 8 per activation block, `tw_chunk_sums_q8_0`); AVX2 uses |w| · sign(a, w) and needs no sums.
TW_INLINE void tw_x8_q8_0(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                          const int32_t *sums, float *y, size_t ys, int valid) {
#if TW_ZMM
    __m512 acc[TW_X8_T][4];
    for (int t = 0; t < T; t++)
        for (int c = 0; c < 4; c++) acc[t][c] = _mm512_setzero_ps();
    const __m512i twice = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 272;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m512 d16 = _mm512_permutexvar_ps(twice, _mm512_castps256_ps512(d8));
        __m512i wq[4];
        for (int p = 0; p < 4; p++) wq[p] = _mm512_xor_si512(_mm512_loadu_si512((const void *)(blk + 16 + 64 * p)), bias);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34;
            const int32_t *cs = sums + ((size_t)t * nb + b) * 8;
            const __m512 scale = _mm512_mul_ps(d16, _mm512_set1_ps(tw_h2f(ab)));
            for (int p = 0; p < 4; p++) {
                int64_t av, cv;
                memcpy(&av, ab + 2 + 8 * p, 8);
                memcpy(&cv, cs + 2 * p, 8);
                const __m512i isum = _mm512_dpbusd_epi32(_mm512_set1_epi64(cv), wq[p], _mm512_set1_epi64(av));
                acc[t][p] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), scale, acc[t][p]);
            }
        }
    }
#else
    (void)sums;
    __m256 acc[TW_X8_T][4][2];
    for (int t = 0; t < T; t++)
        for (int c = 0; c < 4; c++) acc[t][c][0] = acc[t][c][1] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 272;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m256 dh[2] = {_mm256_permutevar8x32_ps(d8, _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3)),
                              _mm256_permutevar8x32_ps(d8, _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7))};
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34;
            const __m256 ad = tw_bcast_h2f(ab);
            const __m256 scale[2] = {_mm256_mul_ps(dh[0], ad), _mm256_mul_ps(dh[1], ad)};
            for (int p = 0; p < 4; p++) {
                int64_t pair;
                memcpy(&pair, ab + 2 + 8 * p, 8);
                const __m256i av = _mm256_set1_epi64x(pair);
                for (int h = 0; h < 2; h++) {
                    const __m256i wq = _mm256_loadu_si256((const __m256i *)(blk + 16 + 64 * p + 32 * h));
                    const __m256i isum = tw_dot_u8s8(_mm256_setzero_si256(), _mm256_sign_epi8(wq, wq), _mm256_sign_epi8(av, wq));
                    acc[t][p][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), scale[h], acc[t][p][h]);
                }
            }
        }
    }
#endif
    for (int t = 0; t < T; t++) tw_store_rows(y + (size_t)t * ys, tw_x8_pair_sum(acc[t]), valid);
}

// Packed drivers: w is the first group of the rows to compute (row 0 of the call is a group's first row), nr rows
// (the last group may be partial), nt tokens; sums[t · nb + b] = Σ activation quants of block b of token t.
#define TW_GEMM_X8(kind, groupBlockBytes) TW_GEMM_X8_SUMS(kind, groupBlockBytes, 1)
#define TW_GEMM_X8_SUMS(kind, groupBlockBytes, sumsPerBlock)                                                       \
    void TW_FN(tw_gemm_x8_##kind)(int64_t n, const void *wv, int64_t nr, const void *av, size_t as,                \
                                  const int32_t *sums, int64_t nt, float *y, size_t ys) {                          \
        const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;                                          \
        const int64_t nb = n / 32;                                                                                 \
        const size_t groupBytes = (size_t)nb * (groupBlockBytes);                                                  \
        for (int64_t g = 0; g * 8 < nr; g++) {                                                                     \
            const int valid = nr - g * 8 < 8 ? (int)(nr - g * 8) : 8;                                              \
            const uint8_t *wg = w + (size_t)g * groupBytes;                                                        \
            int64_t t = 0;                                                                                         \
            for (; t + TW_X8_T <= nt; t += TW_X8_T)                                                                \
                tw_x8_##kind(TW_X8_T, nb, wg, a + (size_t)t * as, as, sums ? sums + (size_t)t * nb * (sumsPerBlock) : 0, \
                             y + (size_t)t * ys + g * 8, ys, valid);                                               \
            for (; t < nt; t++)                                                                                    \
                tw_x8_##kind(1, nb, wg, a + (size_t)t * as, as, sums ? sums + (size_t)t * nb * (sumsPerBlock) : 0, \
                             y + (size_t)t * ys + g * 8, ys, valid);                                               \
        }                                                                                                          \
    }

TW_GEMM_X8(q4_1, 160)
TW_GEMM_X8(q4_0, 144)
TW_GEMM_X8_SUMS(q8_0, 272, 8)

/// −128 · Σ of each 4-byte chunk of each Q8_0 activation block (8 per block), for the packed Q8_0 VNNI kernel.
void TW_FN(tw_chunk_sums_q8_0)(const void *av, int64_t blocks, int32_t *out) {
    const uint8_t *a = (const uint8_t *)av;
    for (int64_t b = 0; b < blocks; b++) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(a + 34 * b + 2));
        const __m256i ones = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
        _mm256_storeu_si256((__m256i *)(out + 8 * b), _mm256_mullo_epi32(ones, _mm256_set1_epi32(-128)));
    }
}

/// Σ of the 32 quants of each Q8_0 activation block (34-byte blocks), for the packed Q4_0/Q5_0 kernels.
void TW_FN(tw_block_sums_q8_0)(const void *av, int64_t blocks, int32_t *out) {
    const uint8_t *a = (const uint8_t *)av;
    const __m256i ones8 = _mm256_set1_epi8(1);
    for (int64_t b = 0; b < blocks; b++) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(a + 34 * b + 2));
        out[b] = tw_hsum_i32(_mm256_madd_epi16(_mm256_maddubs_epi16(ones8, q), _mm256_set1_epi16(1)));
    }
}

// ---- Q5_0 × Q8_0 and Q5_1 × Q8_1 (row-major tiles) ---------------------------------------------------------------
// block_q5_0 {f16 d, u8 qh[4], u8 qs[16]} (22 B): q = nibble | bit << 4, value d·(q − 16);
// block_q5_1 {f16 d, f16 m, u8 qh[4], u8 qs[16]} (24 B): value d·q + m.

/// Byte i = 0xFF where bit i of x is set.
TW_INLINE __m256i tw_bits_to_bytes(uint32_t x) {
    const __m256i shuffle = _mm256_setr_epi64x(0x0000000000000000, 0x0101010101010101, 0x0202020202020202,
                                               0x0303030303030303);
    const __m256i bits = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    const __m256i v = _mm256_and_si256(_mm256_shuffle_epi8(_mm256_set1_epi32((int)x), shuffle), bits);
    return _mm256_cmpeq_epi8(v, bits);
}

TW_INLINE __m256i tw_q5_quants(const uint8_t *qh, const uint8_t *qs) {
    uint32_t h;
    memcpy(&h, qh, 4);
    return _mm256_or_si256(tw_nibbles(qs), _mm256_and_si256(tw_bits_to_bytes(h), _mm256_set1_epi8(0x10)));
}

TW_INLINE void tw_tile_q5_0(const int R, const int T, int64_t nb, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) acc[i][j] = _mm256_setzero_ps();
    const __m256i sixteens = _mm256_set1_epi8(16);
    for (int64_t b = 0; b < nb; b++) {
        __m256i wq[TW_TILE_R];
        float wd[TW_TILE_R];
        for (int i = 0; i < R; i++) {
            const uint8_t *wb = w + (size_t)i * ws + (size_t)b * 22;
            wd[i] = tw_h2f(wb);
            wq[i] = tw_q5_quants(wb + 2, wb + 6);
        }
        for (int j = 0; j < T; j++) {
            const uint8_t *ab = a + (size_t)j * as + (size_t)b * 34;
            const float ad = tw_h2f(ab);
            const __m256i aq = _mm256_loadu_si256((const __m256i *)(ab + 2));
            const __m256i corr = _mm256_sub_epi32(_mm256_setzero_si256(),
                                                  tw_dot_u8s8(_mm256_setzero_si256(), sixteens, aq));
            for (int i = 0; i < R; i++) {
                const __m256i p = tw_dot_u8s8(corr, wq[i], aq);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(wd[i] * ad), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) y[(size_t)j * ys + i] = tw_hsum(acc[i][j]);
}

TW_INLINE void tw_tile_q5_1(const int R, const int T, int64_t nb, const uint8_t *w, size_t ws, const uint8_t *a,
                            size_t as, float *y, size_t ys) {
    __m256 acc[TW_TILE_R][TW_TILE_T];
    float ms[TW_TILE_R][TW_TILE_T];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) {
            acc[i][j] = _mm256_setzero_ps();
            ms[i][j] = 0.0f;
        }
    for (int64_t b = 0; b < nb; b++) {
        __m256i wq[TW_TILE_R];
        float wd[TW_TILE_R], wm[TW_TILE_R];
        for (int i = 0; i < R; i++) {
            const uint8_t *wb = w + (size_t)i * ws + (size_t)b * 24;
            wd[i] = tw_h2f(wb);
            wm[i] = tw_h2f(wb + 2);
            wq[i] = tw_q5_quants(wb + 4, wb + 8);
        }
        for (int j = 0; j < T; j++) {
            const uint8_t *ab = a + (size_t)j * as + (size_t)b * 36;
            const float ad = tw_h2f(ab), asum = tw_h2f(ab + 2);
            const __m256i aq = _mm256_loadu_si256((const __m256i *)(ab + 4));
            for (int i = 0; i < R; i++) {
                const __m256i p = tw_dot_u8s8(_mm256_setzero_si256(), wq[i], aq);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(wd[i] * ad), acc[i][j]);
                ms[i][j] = fmaf(wm[i], asum, ms[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < T; j++) y[(size_t)j * ys + i] = tw_hsum(acc[i][j]) + ms[i][j];
}

TW_GEMM(q5_0, 32)
TW_GEMM(q5_1, 32)

// ---- K-quants × Q8_K ----------------------------------------------------------------------------------------------
// Each super-block (256 elements) is unpacked once into unsigned quants q (0…63), a 16-bit scale per 16-element
// group and a "min" per group, so that for a Q8_K activation block (f32 dy, i8 a[256], i16 bsums[16]):
//   dot = (d·dy) · Σ_g scale_g · Σ_{i∈g} q_i·a_i − (dm·dy) · Σ_g min_g · bsum_g
// Q2_K/Q4_K/Q5_K: min = the format's min, dm = dmin. Q3_K (value q − 4) and Q6_K (value q − 32): min = 4·scale or
// 32·scale and dm = d, which folds the offset into the same correction. The integer parts are exact.

typedef struct {
    uint8_t q[256];
    int16_t scales[8][16];  // per 32-element chunk: lanes 0-7 scale of group 2k, lanes 8-15 of group 2k+1
    int16_t mins[16];
    float d, dm;
} tw_kq;

TW_INLINE void tw_kq_set_scales(tw_kq *u, const int16_t sc[16], const int16_t mn[16]) {
    for (int k = 0; k < 8; k++) {
        for (int l = 0; l < 8; l++) {
            u->scales[k][l] = sc[2 * k];
            u->scales[k][8 + l] = sc[2 * k + 1];
        }
    }
    for (int g = 0; g < 16; g++) u->mins[g] = mn[g];
}

/// Q4_K/Q5_K 6-bit scale and min of sub-block j from the 12 packed bytes (get_scale_min_k4).
TW_INLINE void tw_scale_min_k4(int j, const uint8_t *q, int16_t *sc, int16_t *mn) {
    if (j < 4) {
        *sc = q[j] & 63;
        *mn = q[j + 4] & 63;
    } else {
        *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *mn = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

TW_INLINE void tw_unpack_q4_K(const uint8_t *x, tw_kq *u) {
    int16_t sc[16], mn[16];
    for (int s = 0; s < 8; s++) {
        tw_scale_min_k4(s, x + 4, &sc[2 * s], &mn[2 * s]);
        sc[2 * s + 1] = sc[2 * s];
        mn[2 * s + 1] = mn[2 * s];
    }
    tw_kq_set_scales(u, sc, mn);
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    for (int j = 0; j < 4; j++) {
        const __m256i raw = _mm256_loadu_si256((const __m256i *)(x + 16 + 32 * j));
        _mm256_storeu_si256((__m256i *)(u->q + 64 * j), _mm256_and_si256(raw, m4));
        _mm256_storeu_si256((__m256i *)(u->q + 64 * j + 32), _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4));
    }
    u->d = tw_h2f(x);
    u->dm = tw_h2f(x + 2);
}

TW_INLINE void tw_unpack_q5_K(const uint8_t *x, tw_kq *u) {
    int16_t sc[16], mn[16];
    for (int s = 0; s < 8; s++) {
        tw_scale_min_k4(s, x + 4, &sc[2 * s], &mn[2 * s]);
        sc[2 * s + 1] = sc[2 * s];
        mn[2 * s + 1] = mn[2 * s];
    }
    tw_kq_set_scales(u, sc, mn);
    const __m256i m4 = _mm256_set1_epi8(0x0f), one = _mm256_set1_epi8(1);
    const __m256i qh = _mm256_loadu_si256((const __m256i *)(x + 16));
    for (int j = 0; j < 4; j++) {
        const __m256i raw = _mm256_loadu_si256((const __m256i *)(x + 48 + 32 * j));
        const __m256i h0 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * j), one), 4);
        const __m256i h1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * j + 1), one), 4);
        _mm256_storeu_si256((__m256i *)(u->q + 64 * j), _mm256_or_si256(_mm256_and_si256(raw, m4), h0));
        _mm256_storeu_si256((__m256i *)(u->q + 64 * j + 32),
                            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(raw, 4), m4), h1));
    }
    u->d = tw_h2f(x);
    u->dm = tw_h2f(x + 2);
}

TW_INLINE void tw_unpack_q6_K(const uint8_t *x, tw_kq *u) {
    int16_t sc[16], mn[16];
    for (int g = 0; g < 16; g++) {
        sc[g] = (int8_t)x[192 + g];
        mn[g] = (int16_t)(32 * sc[g]);
    }
    tw_kq_set_scales(u, sc, mn);
    const __m256i m4 = _mm256_set1_epi8(0x0f), m30 = _mm256_set1_epi8(0x30);
    for (int n = 0; n < 2; n++) {
        const __m256i ql0 = _mm256_loadu_si256((const __m256i *)(x + 64 * n));
        const __m256i ql1 = _mm256_loadu_si256((const __m256i *)(x + 64 * n + 32));
        const __m256i qh = _mm256_loadu_si256((const __m256i *)(x + 128 + 32 * n));
        uint8_t *q = u->q + 128 * n;
        _mm256_storeu_si256((__m256i *)(q + 0), _mm256_or_si256(_mm256_and_si256(ql0, m4),
                                                                _mm256_and_si256(_mm256_slli_epi16(qh, 4), m30)));
        _mm256_storeu_si256((__m256i *)(q + 32), _mm256_or_si256(_mm256_and_si256(ql1, m4),
                                                                 _mm256_and_si256(_mm256_slli_epi16(qh, 2), m30)));
        _mm256_storeu_si256((__m256i *)(q + 64), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4),
                                                                 _mm256_and_si256(qh, m30)));
        _mm256_storeu_si256((__m256i *)(q + 96), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                                                                 _mm256_and_si256(_mm256_srli_epi16(qh, 2), m30)));
    }
    u->d = tw_h2f(x + 208);
    u->dm = u->d;
}

TW_INLINE void tw_unpack_q3_K(const uint8_t *x, tw_kq *u) {
    uint32_t aux[4];
    memcpy(aux, x + 96, 12);
    const uint32_t tmp = aux[2], k1 = 0x03030303, k2 = 0x0f0f0f0f;
    aux[2] = ((aux[0] >> 4) & k2) | (((tmp >> 4) & k1) << 4);
    aux[3] = ((aux[1] >> 4) & k2) | (((tmp >> 6) & k1) << 4);
    aux[0] = (aux[0] & k2) | (((tmp >> 0) & k1) << 4);
    aux[1] = (aux[1] & k2) | (((tmp >> 2) & k1) << 4);
    const int8_t *s8 = (const int8_t *)aux;
    int16_t sc[16], mn[16];
    for (int g = 0; g < 16; g++) {
        sc[g] = (int16_t)(s8[g] - 32);
        mn[g] = (int16_t)(4 * sc[g]);
    }
    tw_kq_set_scales(u, sc, mn);
    const __m256i m3 = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    const __m256i hm = _mm256_loadu_si256((const __m256i *)x);
    for (int k = 0; k < 2; k++) {
        const __m256i qs = _mm256_loadu_si256((const __m256i *)(x + 32 + 32 * k));
        for (int j = 0; j < 4; j++) {
            const __m256i low = _mm256_and_si256(_mm256_srli_epi16(qs, 2 * j), m3);
            const __m256i high = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hm, 4 * k + j), one), 2);
            _mm256_storeu_si256((__m256i *)(u->q + 128 * k + 32 * j), _mm256_or_si256(low, high));
        }
    }
    u->d = tw_h2f(x + 108);
    u->dm = u->d;
}

TW_INLINE void tw_unpack_q2_K(const uint8_t *x, tw_kq *u) {
    int16_t sc[16], mn[16];
    for (int g = 0; g < 16; g++) {
        sc[g] = x[g] & 0xF;
        mn[g] = x[g] >> 4;
    }
    tw_kq_set_scales(u, sc, mn);
    const __m256i m3 = _mm256_set1_epi8(3);
    for (int k = 0; k < 2; k++) {
        const __m256i qs = _mm256_loadu_si256((const __m256i *)(x + 16 + 32 * k));
        for (int j = 0; j < 4; j++)
            _mm256_storeu_si256((__m256i *)(u->q + 128 * k + 32 * j), _mm256_and_si256(_mm256_srli_epi16(qs, 2 * j), m3));
    }
    u->d = tw_h2f(x + 80);
    u->dm = tw_h2f(x + 82);
}

/// acc += (d·dy)·Σ scale·q·a − (dm·dy)·Σ min·bsum for one unpacked super-block and one Q8_K block.
/// maddubs pairs stay within int16 (2·63·127); scaled pair sums within int32.
TW_INLINE __m256 tw_kq_dot(const tw_kq *u, const uint8_t *ab, __m256 acc) {
    __m256i isum = _mm256_setzero_si256();
    for (int k = 0; k < 8; k++) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(u->q + 32 * k));
        const __m256i a = _mm256_loadu_si256((const __m256i *)(ab + 4 + 32 * k));
        const __m256i p = _mm256_maddubs_epi16(q, a);
        const __m256i s = _mm256_loadu_si256((const __m256i *)u->scales[k]);
#if TW_VNNI
        isum = _mm256_dpwssd_epi32(isum, p, s);
#else
        isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, s));
#endif
    }
    const __m256i corr = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)u->mins),
                                           _mm256_loadu_si256((const __m256i *)(ab + 260)));
    float dy;
    memcpy(&dy, ab, 4);
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(u->d * dy), acc);
    return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(corr), _mm256_set1_ps(u->dm * dy), acc);
}

/// Row by row: each super-block is unpacked once and dotted with every token of the call (≤ 64 per call from the
/// engine; more are processed in slices of 64).
#define TW_GEMM_K(kind, blockBytes)                                                                                \
    void TW_FN(tw_gemm_##kind)(int64_t n, const void *wv, size_t ws, int64_t nr, const void *av, size_t as,        \
                               int64_t nt, float *y, size_t ys) {                                                  \
        const uint8_t *w = (const uint8_t *)wv, *a = (const uint8_t *)av;                                          \
        const int64_t nb = n / 256;                                                                                \
        tw_kq u;                                                                                                   \
        __m256 acc[64];                                                                                            \
        for (int64_t t0 = 0; t0 < nt; t0 += 64) {                                                                  \
            const int64_t tn = nt - t0 < 64 ? nt - t0 : 64;                                                        \
            for (int64_t r = 0; r < nr; r++) {                                                                     \
                for (int64_t t = 0; t < tn; t++) acc[t] = _mm256_setzero_ps();                                     \
                for (int64_t b = 0; b < nb; b++) {                                                                 \
                    tw_unpack_##kind(w + (size_t)r * ws + (size_t)b * (blockBytes), &u);                           \
                    for (int64_t t = 0; t < tn; t++)                                                               \
                        acc[t] = tw_kq_dot(&u, a + (size_t)(t0 + t) * as + (size_t)b * 292, acc[t]);               \
                }                                                                                                  \
                for (int64_t t = 0; t < tn; t++) y[(size_t)(t0 + t) * ys + r] = tw_hsum(acc[t]);                   \
            }                                                                                                      \
        }                                                                                                          \
    }

TW_GEMM_K(q2_K, 84)
TW_GEMM_K(q3_K, 110)
TW_GEMM_K(q4_K, 144)
TW_GEMM_K(q5_K, 176)
TW_GEMM_K(q6_K, 210)

/// quantize_row_q8_K_ref: iscale = −127 / (first value of largest magnitude), q = min(127, nearest-even(iscale·x)),
/// d = 1 / iscale, bsums of 16; an all-zero block gives zeros.
void TW_FN(tw_quantize_q8_K)(const float *x, void *out, int64_t n) {
    for (int64_t b = 0; b < n / 256; b++) {
        const float *src = x + 256 * b;
        uint8_t *blk = (uint8_t *)out + 292 * b;
        const __m256 signBit = _mm256_set1_ps(-0.0f);
        __m256 m = _mm256_setzero_ps();
        for (int j = 0; j < 256; j += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(signBit, _mm256_loadu_ps(src + j)));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        if (!(amax > 0.0f)) {
            memset(blk, 0, 292);
            continue;
        }
        float maxValue = 0.0f;
        for (int j = 0; j < 256; j++)
            if (fabsf(src[j]) == amax) {
                maxValue = src[j];
                break;
            }
        const float iscale = -127.f / maxValue;
        const __m256 mul = _mm256_set1_ps(iscale);
        const __m256i limit = _mm256_set1_epi32(127);
        int8_t *qs = (int8_t *)(blk + 4);
        for (int j = 0; j < 256; j += 32) {
            __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(src + j), mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(src + j + 8), mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(src + j + 16), mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(src + j + 24), mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            i0 = _mm256_min_epi32(i0, limit);
            i1 = _mm256_min_epi32(i1, limit);
            i2 = _mm256_min_epi32(i2, limit);
            i3 = _mm256_min_epi32(i3, limit);
            i0 = _mm256_packs_epi32(i0, i1);
            i2 = _mm256_packs_epi32(i2, i3);
            i0 = _mm256_packs_epi16(i0, i2);
            i0 = _mm256_permutevar8x32_epi32(i0, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            _mm256_storeu_si256((__m256i *)(qs + j), i0);
        }
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int l = 0; l < 16; l++) sum += qs[16 * g + l];
            const int16_t s16 = (int16_t)sum;
            memcpy(blk + 260 + 2 * g, &s16, 2);
        }
        const float d = 1.0f / iscale;
        memcpy(blk, &d, 4);
    }
}

// ---- packed Q5_0 / Q5_1 (x8) --------------------------------------------------------------------------------------
// Per block: the 8 f16 scales, for Q5_1 the 8 f16 minimums, then each row's 32 fifth bits re-ordered at pack time
// (32 B; element e < 16 → bit 8·(e%4) + 4 + e/4, element 16 + e → bit 8·(e%4) + e/4) so that one shift and mask
// puts chunk c's fifth bits at bit 4 of each byte, then the 4 nibble chunks as for Q4_0.

TW_INLINE void tw_x8_quants5(const uint8_t *qh, const uint8_t *q, __m256i lo[4], __m256i hi[4]) {
    const __m256i m4 = _mm256_set1_epi8(0x0f), m10 = _mm256_set1_epi8(0x10);
    const __m256i bits = _mm256_loadu_si256((const __m256i *)qh);
    for (int c = 0; c < 4; c++) {
        const __m256i raw = _mm256_loadu_si256((const __m256i *)(q + 32 * c));
        lo[c] = _mm256_or_si256(_mm256_and_si256(raw, m4), _mm256_and_si256(_mm256_srli_epi32(bits, c), m10));
        hi[c] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(raw, 4), m4),
                                _mm256_and_si256(_mm256_slli_epi32(bits, 4 - c), m10));
    }
}

/// Like tw_x8_dot4 for 5-bit weights; AVX2 sums at most four maddubs results in int16 (each ≤ 2·31·127).
TW_INLINE __m256i tw_x8_dot5(__m256i init, const __m256i lo[4], const __m256i hi[4], const uint8_t *q) {
#if TW_VNNI
    return tw_x8_dot4(init, lo, hi, q);
#else
    __m256i p = _mm256_maddubs_epi16(lo[0], tw_bcast32(q));
    for (int c = 1; c < 4; c++) p = _mm256_add_epi16(p, _mm256_maddubs_epi16(lo[c], tw_bcast32(q + 4 * c)));
    __m256i r = _mm256_add_epi32(init, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
    p = _mm256_maddubs_epi16(hi[0], tw_bcast32(q + 16));
    for (int c = 1; c < 4; c++) p = _mm256_add_epi16(p, _mm256_maddubs_epi16(hi[c], tw_bcast32(q + 16 + 4 * c)));
    return _mm256_add_epi32(r, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
#endif
}

TW_INLINE void tw_x8_q5_0(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                          const int32_t *sums, float *y, size_t ys, int valid) {
    __m256 acc[TW_X8_T];
    for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 176;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        __m256i lo[4], hi[4];
        tw_x8_quants5(blk + 16, blk + 48, lo, hi);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 34;
            const __m256i init = _mm256_set1_epi32(-16 * sums[(size_t)t * nb + b]);
            const __m256i isum = tw_x8_dot5(init, lo, hi, ab + 2);
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d8, tw_bcast_h2f(ab)), acc[t]);
        }
    }
    for (int t = 0; t < T; t++) tw_store_rows(y + (size_t)t * ys, acc[t], valid);
}

TW_INLINE void tw_x8_q5_1(const int T, int64_t nb, const uint8_t *w, const uint8_t *a, size_t as,
                          const int32_t *sums, float *y, size_t ys, int valid) {
    (void)sums;
    __m256 acc[TW_X8_T];
    for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = w + (size_t)b * 192;
        const __m256 d8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)blk));
        const __m256 m8 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + 16)));
        __m256i lo[4], hi[4];
        tw_x8_quants5(blk + 32, blk + 64, lo, hi);
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const uint8_t *ab = a + (size_t)t * as + (size_t)b * 36;
            const __m256i isum = tw_x8_dot5(_mm256_setzero_si256(), lo, hi, ab + 4);
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d8, tw_bcast_h2f(ab)), acc[t]);
            acc[t] = _mm256_fmadd_ps(m8, tw_bcast_h2f(ab + 2), acc[t]);
        }
    }
    for (int t = 0; t < T; t++) tw_store_rows(y + (size_t)t * ys, acc[t], valid);
}

TW_GEMM_X8(q5_0, 176)
TW_GEMM_X8(q5_1, 192)

// ---- KV-cache rows: out += p · row ----------------------------------------------------------------------------

/// out[i] += p · f16 row[i] (value accumulation over F16 cache rows).
void TW_FN(tw_axpy_f16)(float *out, float p, const void *rowv, int64_t n) {
    const uint8_t *row = (const uint8_t *)rowv;
    const __m256 pv = _mm256_set1_ps(p);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_fmadd_ps(pv, tw_load_f16(row + 2 * i), _mm256_loadu_ps(out + i)));
    for (; i < n; i++) out[i] += p * tw_h2f(row + 2 * i);
}

/// out[i] += p · d · q[i] over Q8_0 cache rows (n a multiple of 32).
void TW_FN(tw_axpy_q8_0)(float *out, float p, const void *rowv, int64_t n) {
    const uint8_t *row = (const uint8_t *)rowv;
    for (int64_t b = 0; b < n / 32; b++) {
        const uint8_t *blk = row + 34 * b;
        const __m256 s = _mm256_set1_ps(p * tw_h2f(blk));
        for (int k = 0; k < 4; k++) {
            const __m256 q = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(blk + 2 + 8 * k))));
            float *o = out + 32 * b + 8 * k;
            _mm256_storeu_ps(o, _mm256_fmadd_ps(s, q, _mm256_loadu_ps(o)));
        }
    }
}
