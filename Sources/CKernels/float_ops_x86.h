// The float math of the forward pass in ggml-cpu's exact AVX-512 operation order (llama.cpp's reference machine):
// its vectorised expf (silu, softmax), the 16-lane horizontal sum, and the two orders its F16 attention products
// take (ggml_vec_dot_f16 for one token, llamafile's tinyBLAS for batches). Included by kernels_avx2.c and
// kernels_avx512.c after kernels_x86.h; the AVX2 build computes the same bits with 256-bit registers. The Swift
// twin is Kernels/FloatOps+Reference.swift.

/// ggml's AVX-512 horizontal sum of 16 lanes (lo = lanes 0..7, hi = 8..15): halves, then quarters, then lanes
/// (0 + 2) and (1 + 3), then those two.
TW_INLINE float tw_reduce16(__m256 lo, __m256 hi) {
    const __m256 h = _mm256_add_ps(hi, lo);
    const __m128 q = _mm_add_ps(_mm256_extractf128_ps(h, 1), _mm256_castps256_ps128(h));
    const __m128 p = _mm_add_ps(q, _mm_shuffle_ps(q, q, _MM_SHUFFLE(1, 0, 3, 2)));
    return _mm_cvtss_f32(_mm_add_ss(p, _mm_movehdup_ps(p)));
}

/// ggml_v_expf of the AVX-512 build on 8 lanes: the polynomial in fused multiply-adds, then scalef(j, n) = j · 2^n.
/// For −125 ≤ n ≤ 127 that is an exact multiplication by a normal power of two; other lanes (results that are
/// subnormal, zero or infinite) take ggml's rules lane by lane.
TW_INLINE __m256 tw_ggml_expf8(__m256 x) {
    const __m256 r = _mm256_set1_ps(0x1.8p23f);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), r);
    const __m256 n = _mm256_sub_ps(z, r);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f),
                                      _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x));
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 j = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f)), u,
                        _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f))),
        u, _mm256_fmadd_ps(_mm256_set1_ps(0x1.ffffecp-1f), b, _mm256_set1_ps(1.0f)));
    const __m256 inRange = _mm256_and_ps(_mm256_cmp_ps(n, _mm256_set1_ps(-125.0f), _CMP_GE_OQ),
                                         _mm256_cmp_ps(n, _mm256_set1_ps(127.0f), _CMP_LE_OQ));
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    __m256 res = _mm256_mul_ps(j, _mm256_castsi256_ps(e));
    if (_mm256_movemask_ps(inRange) != 0xff) {
        float jl[8], nl[8], rl[8];
        _mm256_storeu_ps(jl, j);
        _mm256_storeu_ps(nl, n);
        _mm256_storeu_ps(rl, res);
        for (int k = 0; k < 8; k++) {
            if (nl[k] >= -125.0f && nl[k] <= 127.0f) continue;
            if (nl[k] != nl[k]) rl[k] = nl[k];
            else if (fabsf(nl[k]) > 192.0f) rl[k] = nl[k] <= 0.0f ? 0.0f : INFINITY;
            else rl[k] = (float)ldexp((double)jl[k], (int)nl[k]);
        }
        res = _mm256_loadu_ps(rl);
    }
    return res;
}

/// y[i] = silu(x[i]) · g[i] as ggml_vec_swiglu_f32: x / (1 + expf(0 − x)) on 16-lane chunks, the scalar tail with
/// libm's expf.
void TW_FN(tw_ggml_swiglu)(float *y, const float *x, const float *g, int64_t n) {
    int64_t i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 16 <= n; i += 16) {
        for (int h = 0; h < 16; h += 8) {
            const __m256 v = _mm256_loadu_ps(x + i + h);
            const __m256 e = tw_ggml_expf8(_mm256_sub_ps(_mm256_setzero_ps(), v));
            _mm256_storeu_ps(y + i + h, _mm256_mul_ps(_mm256_div_ps(v, _mm256_add_ps(one, e)), _mm256_loadu_ps(g + i + h)));
        }
    }
    for (; i < n; i++) {
        const float v = x[i];
        y[i] = v / (1.0f + expf(-v)) * g[i];
    }
}

/// In-place softmax of x[0..<n] (already scaled) as ggml_compute_forward_soft_max_f32 does it over a row padded with
/// −∞ to a multiple of 16: exps by ggml's expf, each 16-lane chunk summed by `tw_reduce16` into a double, then
/// x · (float)(1 / sum).
void TW_FN(tw_ggml_softmax)(float *x, int64_t n) {
    // The maximum is exact in any order; only the sums below must follow ggml's.
    __m256 mv = _mm256_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) mv = _mm256_max_ps(mv, _mm256_loadu_ps(x + i));
    float maxValue = -INFINITY;
    {
        float lanes[8];
        _mm256_storeu_ps(lanes, mv);
        for (int k = 0; k < 8; k++) maxValue = lanes[k] > maxValue ? lanes[k] : maxValue;
    }
    for (; i < n; i++) maxValue = x[i] > maxValue ? x[i] : maxValue;
    const __m256 m = _mm256_set1_ps(maxValue);
    double sum = 0;
    for (i = 0; i + 16 <= n; i += 16) {
        const __m256 lo = tw_ggml_expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));
        const __m256 hi = tw_ggml_expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), m));
        _mm256_storeu_ps(x + i, lo);
        _mm256_storeu_ps(x + i + 8, hi);
        sum += (double)tw_reduce16(lo, hi);
    }
    if (i < n) {
        float chunk[16];
        for (int k = 0; k < 16; k++) chunk[k] = i + k < n ? x[i + k] : -INFINITY;
        const __m256 lo = tw_ggml_expf8(_mm256_sub_ps(_mm256_loadu_ps(chunk), m));
        const __m256 hi = tw_ggml_expf8(_mm256_sub_ps(_mm256_loadu_ps(chunk + 8), m));
        _mm256_storeu_ps(chunk, lo);
        _mm256_storeu_ps(chunk + 8, hi);
        for (int k = 0; i + k < n; k++) x[i + k] = chunk[k];
        sum += (double)tw_reduce16(lo, hi);
    }
    const float inv = (float)(1.0 / sum);
    const __m256 iv = _mm256_set1_ps(inv);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), iv));
    for (; i < n; i++) x[i] *= inv;
}

#if TW_ZMM
/// `tw_reduce16` of 16 vectors at once: lane s of the result is the reduction of v[s], with the same pairings
/// (halves, quarters, (0 + 2) + (1 + 3); a float addition gives the same bits with its operands swapped).
TW_INLINE __m512 tw_reduce16_x16(const __m512 v[16]) {
    __m512 b[8], c[4], d[2];
    for (int k = 0; k < 8; k++)  // lanes 0..7: halves of v[2k] added; 8..15: of v[2k+1]
        b[k] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * k], v[2 * k + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(v[2 * k], v[2 * k + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int k = 0; k < 4; k++)  // quarter m: the four quarter sums of v[4k + m]
        c[k] = _mm512_add_ps(_mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    for (int k = 0; k < 2; k++)  // quarter m: (q0 + q2, q1 + q3) of v[8k + m], then of v[8k + 4 + m]
        d[k] = _mm512_add_ps(_mm512_shuffle_ps(c[2 * k], c[2 * k + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(c[2 * k], c[2 * k + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 r = _mm512_add_ps(_mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(3, 1, 3, 1)));
    // Element 4m + k of r is the sum of v[4k + m].
    return _mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), r);
}

#endif


/// out[i] = the lane sum of acc[lane · n + i] over `lanes` lanes, in ggml's tree: 16 lanes → the `tw_reduce16`
/// tree; 64 lanes (ggml_vec_dot_f16's four accumulators) → (a0 + a2) + (a1 + a3) per lane first. Vectorised across
/// i, each i keeping exactly that order.
void TW_FN(tw_ggml_lane_reduce)(const float *acc, int64_t lanes, int64_t n, float *out) {
    int64_t i = 0;
    for (; i < n; i += 8) {
        const int full = n - i >= 8;
        __m256 v[16];
        for (int l = 0; l < 16; l++) {
            if (full) {
#define TW_LANE(k) _mm256_loadu_ps(acc + (k) * n + i)
                v[l] = lanes == 64 ? _mm256_add_ps(_mm256_add_ps(TW_LANE(l), TW_LANE(32 + l)),
                                                   _mm256_add_ps(TW_LANE(16 + l), TW_LANE(48 + l)))
                                   : TW_LANE(l);
#undef TW_LANE
            } else {
                float t[8] = {0};
                for (int k = 0; i + k < n; k++) {
                    const float *a = acc + i + k;
                    t[k] = lanes == 64 ? (a[l * n] + a[(32 + l) * n]) + (a[(16 + l) * n] + a[(48 + l) * n]) : a[l * n];
                }
                v[l] = _mm256_loadu_ps(t);
            }
        }
        __m256 h[8], q[4];
        for (int k = 0; k < 8; k++) h[k] = _mm256_add_ps(v[8 + k], v[k]);
        for (int k = 0; k < 4; k++) q[k] = _mm256_add_ps(h[4 + k], h[k]);
        const __m256 r = _mm256_add_ps(_mm256_add_ps(q[0], q[2]), _mm256_add_ps(q[1], q[3]));
        if (full) {
            _mm256_storeu_ps(out + i, r);
        } else {
            float t[8];
            _mm256_storeu_ps(t, r);
            for (int k = 0; i + k < n; k++) out[i + k] = t[k];
        }
    }
}

/// x[i] = f32(f16(x[i])) in place, rounding to nearest even: ggml's F16 KV cache and F16 operands of attention.
void TW_FN(tw_round_to_half)(float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT)));
    for (; i < n; i++) x[i] = _cvtsh_ss(_cvtss_sh(x[i], 0));
}

// ---- attention: the f32 and F16 cache instances of attend_x86.h --------------------------------------------------

#define TW_KV_T float
#define TW_KVN(name) name
#define TW_KV_LOAD16(p) _mm512_loadu_ps(p)
#define TW_KV_LOAD8(p) _mm256_loadu_ps(p)
#define TW_KV_F32(x) (x)
#include "attend_x86.h"
#undef TW_KV_T
#undef TW_KVN
#undef TW_KV_LOAD16
#undef TW_KV_LOAD8
#undef TW_KV_F32

#define TW_KV_T uint16_t
#define TW_KVN(name) TW_CAT(name, f16)
#define TW_KV_LOAD16(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(const void *)(p)))
#define TW_KV_LOAD8(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define TW_KV_F32(x) _cvtsh_ss(x)
#include "attend_x86.h"
#undef TW_KV_T
#undef TW_KVN
#undef TW_KV_LOAD16
#undef TW_KV_LOAD8
#undef TW_KV_F32
