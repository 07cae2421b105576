// Attention over the KV cache in ggml-cpu's exact operation order: the score and value products, and the fused
// attention of a group of query heads. A template included twice by float_ops_x86.h: once for a cache of f32 rows
// (the FloatOps operations tests compare against) and once for F16 rows as llama.cpp stores them (the forward pass's
// cache: half the bytes to stream per position). F16 → f32 widening is exact, so both give the same bits.
// Before including: TW_KV_T (element type), TW_KVN(name) (name of this instance), TW_KV_LOAD16/LOAD8(p) (16 or 8
// elements widened to f32; LOAD16 only with TW_ZMM), TW_KV_F32(x) (one element).

/// ggml_vec_dot_f16's order (one token): four 16-lane fused accumulators over 64-element steps, combined
/// (0 + 2) + (1 + 3), `tw_reduce16`, then the tail in double. x and y hold F16 values widened to f32.
TW_INLINE float TW_KVN(tw_ggml_dot_f16_vec)(const TW_KV_T *x, const float *y, int64_t n) {
    __m256 s[8];
    for (int k = 0; k < 8; k++) s[k] = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64)
        for (int k = 0; k < 8; k++) s[k] = _mm256_fmadd_ps(TW_KV_LOAD8(x + i + 8 * k), _mm256_loadu_ps(y + i + 8 * k), s[k]);
    // s[2j], s[2j+1] are lanes 0..7 and 8..15 of ggml's accumulator j.
    const __m256 lo = _mm256_add_ps(_mm256_add_ps(s[0], s[4]), _mm256_add_ps(s[2], s[6]));
    const __m256 hi = _mm256_add_ps(_mm256_add_ps(s[1], s[5]), _mm256_add_ps(s[3], s[7]));
    double sum = (double)tw_reduce16(lo, hi);
    for (; i < n; i++) sum += (double)(TW_KV_F32(x[i]) * y[i]);
    return (float)sum;
}

/// tinyBLAS's order (a batch of tokens): one 16-lane fused accumulator over the row, then `tw_reduce16`.
/// n must be a multiple of 16 (otherwise llama.cpp itself takes the ggml_vec_dot_f16 path).
TW_INLINE float TW_KVN(tw_ggml_dot_f16_tiled)(const TW_KV_T *x, const float *y, int64_t n) {
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    for (int64_t i = 0; i + 16 <= n; i += 16) {
        lo = _mm256_fmadd_ps(TW_KV_LOAD8(x + i), _mm256_loadu_ps(y + i), lo);
        hi = _mm256_fmadd_ps(TW_KV_LOAD8(x + i + 8), _mm256_loadu_ps(y + i + 8), hi);
    }
    return tw_reduce16(lo, hi);
}

#if TW_ZMM
/// Sixteen keys at once in either order: each key's 16-lane accumulator (tinyBLAS: one fused chain over the row;
/// ggml_vec_dot_f16: four chains over 64-element steps, (a0 + a2) + (a1 + a3)), then one transposed reduction.
/// dims must be a multiple of 16 (tiled) or 64 (one token).
TW_INLINE void TW_KVN(tw_scores16)(const float *q, const TW_KV_T *keys, int64_t stride, int64_t dims, int tiled, float *out) {
    __m512 acc[16];
    if (tiled) {
#pragma clang loop unroll(full)
        for (int s = 0; s < 16; s++) acc[s] = _mm512_setzero_ps();
        for (int64_t i = 0; i < dims; i += 16) {
            const __m512 qv = _mm512_loadu_ps(q + i);
#pragma clang loop unroll(full)
            for (int s = 0; s < 16; s++) acc[s] = _mm512_fmadd_ps(TW_KV_LOAD16(keys + s * stride + i), qv, acc[s]);
        }
    } else {
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g += 4) {
            __m512 a[4][4];
#pragma clang loop unroll(full)
            for (int s = 0; s < 4; s++)
                for (int c = 0; c < 4; c++) a[s][c] = _mm512_setzero_ps();
            for (int64_t i = 0; i < dims; i += 64) {
#pragma clang loop unroll(full)
                for (int c = 0; c < 4; c++) {
                    const __m512 qv = _mm512_loadu_ps(q + i + 16 * c);
#pragma clang loop unroll(full)
                    for (int s = 0; s < 4; s++)
                        a[s][c] = _mm512_fmadd_ps(TW_KV_LOAD16(keys + (g + s) * stride + i + 16 * c), qv, a[s][c]);
                }
            }
#pragma clang loop unroll(full)
            for (int s = 0; s < 4; s++)
                acc[g + s] = _mm512_add_ps(_mm512_add_ps(a[s][0], a[s][2]), _mm512_add_ps(a[s][1], a[s][3]));
        }
    }
    _mm512_storeu_ps(out, tw_reduce16_x16(acc));
}
#endif

/// out[j] = dot(keys + j · stride, q) over `dims` for j < count, in ggml_vec_dot_f16's order (one token) or
/// tinyBLAS's (`batch`, a ubatch of 2+ tokens, when dims is a multiple of 16).
void TW_FN(TW_KVN(tw_ggml_scores))(const float *q, const TW_KV_T *keys, int64_t stride, int64_t count, int64_t dims, int batch,
                           float *out) {
    const int tiled = batch && dims % 16 == 0;
    int64_t j = 0;
#if TW_ZMM
    if (tiled || dims % 64 == 0)
        for (; j + 16 <= count; j += 16) TW_KVN(tw_scores16)(q, keys + j * stride, stride, dims, tiled, out + j);
#endif
    for (; j < count; j++)
        out[j] = tiled ? TW_KVN(tw_ggml_dot_f16_tiled)(keys + j * stride, q, dims) : TW_KVN(tw_ggml_dot_f16_vec)(keys + j * stride, q, dims);
}

/// The value side of attention as a transposed dot with one lane per position: for j < count, lane
/// (first + j) % lanes of acc (lanes × dims) += values[j] · p[j] by fused multiply-add, in position order.
void TW_FN(TW_KVN(tw_ggml_accumulate))(float *acc, int64_t lanes, int64_t first, const TW_KV_T *values, int64_t stride,
                               const float *p, int64_t count, int64_t dims) {
#if TW_ZMM
    // A prompt's 16 lanes, starting at lane 0: four lanes × 64 columns (16 registers) stay in registers while their
    // positions stream past, one broadcast of p[j] serving a whole row of values. Lane L takes positions L, L + 16,
    // … in order, as below.
    if (lanes == 16 && first % 16 == 0 && dims % 64 == 0) {
        for (int64_t i = 0; i < dims; i += 64) {
            for (int g = 0; g < 16; g += 4) {
                __m512 a[4][4];
#pragma clang loop unroll(full)
                for (int l = 0; l < 4; l++)
#pragma clang loop unroll(full)
                    for (int c = 0; c < 4; c++) a[l][c] = _mm512_loadu_ps(acc + (g + l) * dims + i + 16 * c);
                for (int64_t j = g; j < count; j += 16) {
#pragma clang loop unroll(full)
                    for (int l = 0; l < 4; l++) {
                        if (j + l >= count) break;
                        const __m512 pv = _mm512_set1_ps(p[j + l]);
                        const TW_KV_T *v = values + (j + l) * stride + i;
#pragma clang loop unroll(full)
                        for (int c = 0; c < 4; c++) a[l][c] = _mm512_fmadd_ps(TW_KV_LOAD16(v + 16 * c), pv, a[l][c]);
                    }
                }
#pragma clang loop unroll(full)
                for (int l = 0; l < 4; l++)
#pragma clang loop unroll(full)
                    for (int c = 0; c < 4; c++) _mm512_storeu_ps(acc + (g + l) * dims + i + 16 * c, a[l][c]);
            }
        }
        return;
    }
#endif
    for (int64_t j = 0; j < count; j++) {
        float *a = acc + ((first + j) % lanes) * dims;
        const TW_KV_T *v = values + j * stride;
        const __m256 pv = _mm256_set1_ps(p[j]);
        int64_t i = 0;
        for (; i + 8 <= dims; i += 8) _mm256_storeu_ps(a + i, _mm256_fmadd_ps(TW_KV_LOAD8(v + i), pv, _mm256_loadu_ps(a + i)));
        for (; i < dims; i++) a[i] = fmaf(TW_KV_F32(v[i]), p[j], a[i]);
    }
}
// ---- attention of a group of query heads over one KV head, fused -------------------------------------------------

#if TW_ZMM
/// The value product for H heads × 16·S columns: lane L of every head takes positions L, L + lanes, … in order (as
/// tw_ggml_accumulate), its accumulators held in registers for the whole pass, each value row loaded once and
/// shared by the H heads. p holds H rows of `count` probabilities; lanesOut gets H × lanes × dims lane sums.
#define TW_VALUE_PASS(H, S)                                                                                        \
    TW_INLINE void TW_KVN(tw_values_##H##_##S)(const TW_KV_T *const *values, int64_t block, int64_t stride, int64_t count,   \
                                       int64_t lanes, const float *p, float *lanesOut) {                           \
        const int64_t dims = 16 * (S);                                                                             \
        for (int64_t l = 0; l < lanes; l++) {                                                                      \
            __m512 acc[H][S];                                                                                      \
            _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++)                                       \
                _Pragma("clang loop unroll(full)") for (int s = 0; s < (S); s++) acc[h][s] = _mm512_setzero_ps();   \
            int64_t b = l / block, off = l % block;                                                                \
            for (int64_t j = l; j < count; j += lanes) {                                                           \
                const TW_KV_T *v = values[b] + off * stride;                                                         \
                __m512 vv[S];                                                                                      \
                _Pragma("clang loop unroll(full)") for (int s = 0; s < (S); s++) vv[s] = TW_KV_LOAD16(v + 16 * s); \
                _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++) {                                 \
                    const __m512 pv = _mm512_set1_ps(p[h * count + j]);                                            \
                    _Pragma("clang loop unroll(full)") for (int s = 0; s < (S); s++)                               \
                        acc[h][s] = _mm512_fmadd_ps(vv[s], pv, acc[h][s]);                                         \
                }                                                                                                  \
                off += lanes;                                                                                      \
                while (off >= block) {                                                                             \
                    off -= block;                                                                                  \
                    b++;                                                                                           \
                }                                                                                                  \
            }                                                                                                      \
            _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++)                                       \
                _Pragma("clang loop unroll(full)") for (int s = 0; s < (S); s++)                                   \
                    _mm512_storeu_ps(lanesOut + (h * lanes + l) * dims + 16 * s, acc[h][s]);                       \
        }                                                                                                          \
    }
TW_VALUE_PASS(1, 4)
TW_VALUE_PASS(2, 4)
TW_VALUE_PASS(3, 4)
TW_VALUE_PASS(4, 4)
TW_VALUE_PASS(1, 8)
TW_VALUE_PASS(2, 8)

/// The one-token value product (64 lanes) of H heads, folded as it goes instead of through a lanes × dims buffer:
/// for each l < 16, lanes l, l + 16, l + 32, l + 48 (each the fused chain over its positions, in order, as
/// tw_ggml_accumulate) stay in registers for 32 columns and are combined as tw_ggml_lane_reduce's first stage,
/// (l + (32 + l)) + ((16 + l) + (48 + l)); the 16 results then go through its tree. The same operations on the same
/// values as accumulate + lane_reduce, without storing and reloading 64 lanes per head. dims % 32 == 0.
#define TW_VALUE64_PASS(H)                                                                                         \
    TW_INLINE void TW_KVN(tw_values64_##H)(const TW_KV_T *const *values, int64_t block, int64_t stride,           \
                                            int64_t count, int64_t dims, const float *p, float *out) {             \
        int shift = -1;                                                                                            \
        for (int s = 0; s < 30; s++)                                                                               \
            if ((int64_t)1 << s == block) shift = s;                                                               \
        for (int64_t c0 = 0; c0 < dims; c0 += 32) {                                                                \
            __m512 v[16][H][2];                                                                                    \
            for (int l = 0; l < 16; l++) {                                                                         \
                __m512 a[4][H][2];                                                                                 \
                _Pragma("clang loop unroll(full)") for (int k = 0; k < 4; k++)                                     \
                    _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++)                               \
                        a[k][h][0] = a[k][h][1] = _mm512_setzero_ps();                                             \
                for (int64_t base = 0; base + l < count; base += 64) {                                             \
                    _Pragma("clang loop unroll(full)") for (int k = 0; k < 4; k++) {                               \
                        const int64_t j = base + l + 16 * k;                                                       \
                        if (j >= count) break;                                                                     \
                        const TW_KV_T *row = (shift >= 0 ? values[j >> shift] + (j & (block - 1)) * stride         \
                                                         : values[j / block] + (j % block) * stride) + c0;         \
                        const __m512 x0 = TW_KV_LOAD16(row), x1 = TW_KV_LOAD16(row + 16);                          \
                        _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++) {                         \
                            const __m512 pv = _mm512_set1_ps(p[h * count + j]);                                    \
                            a[k][h][0] = _mm512_fmadd_ps(x0, pv, a[k][h][0]);                                      \
                            a[k][h][1] = _mm512_fmadd_ps(x1, pv, a[k][h][1]);                                      \
                        }                                                                                          \
                    }                                                                                              \
                }                                                                                                  \
                _Pragma("clang loop unroll(full)") for (int h = 0; h < (H); h++)                                   \
                    _Pragma("clang loop unroll(full)") for (int c = 0; c < 2; c++)                                 \
                        v[l][h][c] = _mm512_add_ps(_mm512_add_ps(a[0][h][c], a[2][h][c]),                          \
                                                   _mm512_add_ps(a[1][h][c], a[3][h][c]));                         \
            }                                                                                                      \
            for (int h = 0; h < (H); h++)                                                                          \
                for (int c = 0; c < 2; c++) {                                                                      \
                    __m512 e[8], f[4];                                                                             \
                    for (int k = 0; k < 8; k++) e[k] = _mm512_add_ps(v[8 + k][h][c], v[k][h][c]);                  \
                    for (int k = 0; k < 4; k++) f[k] = _mm512_add_ps(e[4 + k], e[k]);                              \
                    _mm512_storeu_ps(out + h * dims + c0 + 16 * c,                                                 \
                                     _mm512_add_ps(_mm512_add_ps(f[0], f[2]), _mm512_add_ps(f[1], f[3])));         \
                }                                                                                                  \
        }                                                                                                          \
    }
TW_VALUE64_PASS(1)
TW_VALUE64_PASS(2)
TW_VALUE64_PASS(3)
#endif

/// Attention of `heads` query heads sharing one KV head (q: heads × dims) over `count` positions whose keys and
/// values lie in blocks of `block` positions (keys[b], values[b]: position b·block, rows `stride` floats apart):
/// per head, the scores in llama.cpp's order (`batch`: tinyBLAS, else ggml_vec_dot_f16), × scale, softmax, rounded
/// to f16 when `half`, then the value product with 16 (batch) or 64 lanes and ggml's lane sum. The same bits as
/// tw_ggml_scores / softmax / round_to_half / accumulate / lane_reduce called block by block, head by head.
/// scores: heads × count floats of scratch; lanesOut: heads × lanes × dims; out: heads × dims.
void TW_FN(TW_KVN(tw_ggml_attend_group))(const float *q, int64_t heads, int64_t dims, const TW_KV_T *const *keys,
                                 const TW_KV_T *const *values, int64_t block, int64_t stride, int64_t count,
                                 float scale, int batch, int half, float *scores, float *lanesOut, float *out) {
    const int64_t lanes = batch ? 16 : 64;
    // Block by block, every head: a block's keys stay in the first-level cache while the heads read them.
    for (int64_t t = 0; t < count; t += block) {
        const int64_t n = count - t < block ? count - t : block;
        for (int64_t h = 0; h < heads; h++)
            TW_FN(TW_KVN(tw_ggml_scores))(q + h * dims, keys[t / block], stride, n, dims, batch, scores + h * count + t);
    }
    const __m256 sv = _mm256_set1_ps(scale);
    for (int64_t h = 0; h < heads; h++) {
        float *s = scores + h * count;
        int64_t i = 0;
        for (; i + 8 <= count; i += 8) _mm256_storeu_ps(s + i, _mm256_mul_ps(_mm256_loadu_ps(s + i), sv));
        for (; i < count; i++) s[i] *= scale;
        TW_FN(tw_ggml_softmax)(s, count);
        if (half) TW_FN(tw_round_to_half)(s, count);
    }
    int64_t h = 0, direct = 0;  // heads [0, direct) are written to out by the folded one-token pass
#if TW_ZMM
    if (!batch && dims % 32 == 0) {
        for (; h + 3 <= heads; h += 3) TW_KVN(tw_values64_3)(values, block, stride, count, dims, scores + h * count, out + h * dims);
        if (heads - h == 2) {
            TW_KVN(tw_values64_2)(values, block, stride, count, dims, scores + h * count, out + h * dims);
            h += 2;
        } else if (heads - h == 1) {
            TW_KVN(tw_values64_1)(values, block, stride, count, dims, scores + h * count, out + h * dims);
            h += 1;
        }
        direct = h;
    } else if (dims == 64) {
        for (; h + 4 <= heads; h += 4) TW_KVN(tw_values_4_4)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims);
        switch (heads - h) {
        case 3: TW_KVN(tw_values_3_4)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims); h += 3; break;
        case 2: TW_KVN(tw_values_2_4)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims); h += 2; break;
        case 1: TW_KVN(tw_values_1_4)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims); h += 1; break;
        default: break;
        }
    } else if (dims == 128) {
        for (; h + 2 <= heads; h += 2) TW_KVN(tw_values_2_8)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims);
        if (h < heads) {
            TW_KVN(tw_values_1_8)(values, block, stride, count, lanes, scores + h * count, lanesOut + h * lanes * dims);
            h++;
        }
    }
#endif
    for (; h < heads; h++) {
        float *acc = lanesOut + h * lanes * dims;
        memset(acc, 0, sizeof(float) * (size_t)(lanes * dims));
        for (int64_t t = 0; t < count; t += block) {
            const int64_t n = count - t < block ? count - t : block;
            TW_FN(TW_KVN(tw_ggml_accumulate))(acc, lanes, t, values[t / block], stride, scores + h * count + t, n, dims);
        }
    }
    for (h = direct; h < heads; h++) TW_FN(tw_ggml_lane_reduce)(lanesOut + h * lanes * dims, lanes, dims, out + h * dims);
}

#if TW_ZMM
#undef TW_VALUE_PASS
#undef TW_VALUE64_PASS
#endif

