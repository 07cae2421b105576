// C intrinsics for the hottest kernel loops, CPU feature detection and the worker pool. Every kernel here has a
// Swift scalar twin in the Kernels target that it is tested against; callers pick a function once at start-up.
#ifndef TOKENWORKS_CKERNELS_H
#define TOKENWORKS_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- CPU features -------------------------------------------------------------------------------------------

/// Bits of tw_cpu_features(): set when the CPU has the extension AND the OS saves its register state.
#define TW_CPU_AVX2 (1u << 0)
#define TW_CPU_FMA (1u << 1)
#define TW_CPU_F16C (1u << 2)
#define TW_CPU_AVX512F (1u << 3)
#define TW_CPU_AVX512BW (1u << 4)
#define TW_CPU_AVX512VL (1u << 5)
#define TW_CPU_AVX512DQ (1u << 6)
#define TW_CPU_AVX512VNNI (1u << 7)
#define TW_CPU_AVX512BF16 (1u << 8)
#define TW_CPU_AVXVNNI (1u << 9)
#define TW_CPU_NEON (1u << 16)
#define TW_CPU_DOTPROD (1u << 17)

/// The features of the running CPU (CPUID + XGETBV on x86-64; compile-time facts on arm64).
uint32_t tw_cpu_features(void);

// ---- worker pool --------------------------------------------------------------------------------------------

/// One chunk of work: [begin, end) on worker `thread` (0 is the calling thread).
typedef void (*tw_task_fn)(void *context, int thread, int64_t begin, int64_t end);

/// A fixed set of worker threads that spin briefly after each job, then park on a condition variable.
typedef struct tw_pool tw_pool;

/// Starts `threads - 1` workers (the caller is thread 0). Returns NULL if threads cannot be created.
tw_pool *tw_pool_create(int threads);
/// Stops and joins the workers and frees the pool.
void tw_pool_destroy(tw_pool *pool);
/// Number of threads including the caller.
int tw_pool_threads(const tw_pool *pool);
/// Runs fn over [0, count) in chunks of `chunk` handed out dynamically; returns when every chunk is done.
/// Not reentrant: one call at a time per pool.
void tw_pool_run(tw_pool *pool, int64_t count, int64_t chunk, tw_task_fn fn, void *context);

// ---- kernels (x86-64 only; present when tw_cpu_features() reports the ISA) ------------------------------------
//
// gemm: y[t * ys + r] = dot(row r of W, activation row t) for r < nr, t < nt.
//   n: elements per row; w: first weight row, ws: bytes between weight rows;
//   a: first activation row (already in the format's activation partner), as: bytes between activation rows;
//   y: output (floats), ys: floats between output rows (one output row per token).
// quantize: converts n floats to the activation format (n a multiple of the block size).
// dot: one weight row against one activation row.
// ggml_*: the forward pass's float math in ggml-cpu's AVX-512 operation order (float_ops_x86.h).
// gemm_x8: the same product over rows packed in 8-row groups (see kernels_x86.h); `sums` holds Σ quants per
//   activation block (token-major, n/32 per token) for Q4_0/Q8_0 and may be NULL for Q4_1.

#define TW_DECLARE_GEMM(kind, isa)                                                                                 \
    void tw_gemm_##kind##_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as,         \
                                int64_t nt, float *y, size_t ys);

#define TW_DECLARE_ISA(isa)                                                                                        \
    void tw_gemm_f32_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt,  \
                           float *y, size_t ys);                                                                   \
    void tw_gemm_f16_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt,  \
                           float *y, size_t ys);                                                                   \
    void tw_gemm_bf16_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt, \
                            float *y, size_t ys);                                                                  \
    void tw_gemm_q8_0_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt, \
                            float *y, size_t ys);                                                                  \
    void tw_gemm_q4_0_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt, \
                            float *y, size_t ys);                                                                  \
    void tw_gemm_q4_1_##isa(int64_t n, const void *w, size_t ws, int64_t nr, const void *a, size_t as, int64_t nt, \
                            float *y, size_t ys);                                                                  \
    void tw_quantize_q8_0_##isa(const float *x, void *out, int64_t n);                                             \
    void tw_quantize_q8_1_##isa(const float *x, void *out, int64_t n);                                             \
    void tw_convert_f16_##isa(const float *x, void *out, int64_t n);                                               \
    void tw_convert_bf16_##isa(const float *x, void *out, int64_t n);                                              \
    void tw_dequantize_f16_##isa(const void *src, float *out, int64_t n);                                          \
    void tw_gemm_x8_q4_0_##isa(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums, \
                               int64_t nt, float *y, size_t ys);                                                   \
    void tw_gemm_x8_q4_1_##isa(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums, \
                               int64_t nt, float *y, size_t ys);                                                   \
    void tw_gemm_x8_q8_0_##isa(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums, \
                               int64_t nt, float *y, size_t ys);                                                   \
    void tw_block_sums_q8_0_##isa(const void *a, int64_t blocks, int32_t *out);                                    \
    void tw_chunk_sums_q8_0_##isa(const void *a, int64_t blocks, int32_t *out);                                    \
    void tw_quantize_q8_K_##isa(const float *x, void *out, int64_t n);                                             \
    void tw_gemm_x8_q5_0_##isa(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums, \
                               int64_t nt, float *y, size_t ys);                                                   \
    void tw_gemm_x8_q5_1_##isa(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums, \
                               int64_t nt, float *y, size_t ys);                                             \
    void tw_axpy_f16_##isa(float *out, float p, const void *row, int64_t n);                                       \
    void tw_axpy_q8_0_##isa(float *out, float p, const void *row, int64_t n);                                      \
    void tw_ggml_swiglu_##isa(float *y, const float *x, const float *g, int64_t n);                               \
    void tw_ggml_softmax_##isa(float *x, int64_t n);                                                               \
    void tw_ggml_scores_##isa(const float *q, const float *keys, int64_t stride, int64_t count, int64_t dims,       \
                              int batch, float *out);                                                              \
    void tw_ggml_accumulate_##isa(float *acc, int64_t lanes, int64_t first, const float *values, int64_t stride,   \
                                  const float *p, int64_t count, int64_t dims);                                    \
    void tw_ggml_lane_reduce_##isa(const float *acc, int64_t lanes, int64_t n, float *out);                       \
    void tw_round_to_half_##isa(float *x, int64_t n);                                                              \
    void tw_ggml_attend_group_##isa(const float *q, int64_t heads, int64_t dims, const float *const *keys,          \
                                    const float *const *values, int64_t block, int64_t stride, int64_t count,      \
                                    float scale, int batch, int half, float *scores, float *lanesOut, float *out); \
    void tw_ggml_attend_group_f16_##isa(const float *q, int64_t heads, int64_t dims, const uint16_t *const *keys,   \
                                        const uint16_t *const *values, int64_t block, int64_t stride, int64_t count,\
                                        float scale, int batch, int half, float *scores, float *lanesOut,          \
                                        float *out);                                                               \
    TW_DECLARE_GEMM(q5_0, isa)                                                                                     \
    TW_DECLARE_GEMM(q5_1, isa)                                                                                     \
    TW_DECLARE_GEMM(q2_K, isa)                                                                                     \
    TW_DECLARE_GEMM(q3_K, isa)                                                                                     \
    TW_DECLARE_GEMM(q4_K, isa)                                                                                     \
    TW_DECLARE_GEMM(q5_K, isa)                                                                                     \
    TW_DECLARE_GEMM(q6_K, isa)

TW_DECLARE_ISA(avx2)
TW_DECLARE_ISA(avx512)

// ---- small-N products for batched decoding (small_batch_avx512.c; AVX-512 VNNI only) --------------------------
// tw_small_<format>: as tw_gemm_x8_<format> for 1..16 tokens, with the activation scales already in f32 (`f`,
//   token-major: 2 per block (d, s) for Q8_1 activations, 1 (d) for Q8_0) from tw_small_scales_*; bit-identical to
//   the one-token packed kernel for every output.
void tw_small_scales_q8_1_avx512(const void *a, int64_t blocks, float *out);
void tw_small_scales_q8_0_avx512(const void *a, int64_t blocks, float *out);
void tw_small_q4_1_avx512(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys);
void tw_small_q4_0_avx512(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys);
void tw_small_q8_0_avx512(int64_t n, const void *w, int64_t nr, const void *a, size_t as, const int32_t *sums,
                          const float *f, int64_t nt, float *y, size_t ys);
#ifdef __cplusplus
}
#endif
#endif
