// The x86-64 kernel bodies, written once and compiled twice: by kernels_avx2.c (AVX2+FMA+F16C, maddubs-based
// integer dots) and by kernels_avx512.c (AVX-512 VL/BW + VNNI `vpdpbusd`, BF16 `vdpbf16ps`). The including file
// sets TW_ISA (function name suffix), TW_VNNI, TW_BF16, TW_TILE_R and TW_TILE_T and a target pragma first.
//
// Numerics follow ggml-cpu exactly where llama.cpp's are integer (block sums), and accumulate in float where
// ggml does (the order of float additions differs, which the tests bound with a tolerance).
#include <immintrin.h>
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
                ms[i][j] += wm[i] * asum;
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
TW_GEMM(f16, 1)
TW_GEMM(bf16, 1)
TW_GEMM(f32, 1)

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
