// The x86-64 FloatOps tables backed by CKernels/float_ops_x86.h: the same bits as the reference, computed with
// AVX2+FMA or AVX-512 registers. Present only on x86-64 builds and only when the CPU reports the extensions.
import CKernels

extension FloatOps {
    /// AVX2 + FMA table, or nil when this build or CPU cannot run it.
    public static let avx2: FloatOps? = {
        #if arch(x86_64)
        guard CPUFeatures.current.supportsAVX2Kernels else { return nil }
        return FloatOps(
            name: "avx2",
            swiglu: { tw_ggml_swiglu_avx2($0, $1, $2, Int64($3)) },
            softmax: { tw_ggml_softmax_avx2($0, Int64($1)) },
            scores: { tw_ggml_scores_avx2($0, $1, Int64($2), Int64($3), Int64($4), $5 ? 1 : 0, $6) },
            accumulate: { tw_ggml_accumulate_avx2($0, Int64($1), Int64($2), $3, Int64($4), $5, Int64($6), Int64($7)) },
            laneReduce: { tw_ggml_lane_reduce_avx2($0, Int64($1), Int64($2), $3) },
            roundToHalf: { tw_round_to_half_avx2($0, Int64($1)) },
            attendGroup: { q, heads, dims, keys, values, block, stride, count, scale, batch, half, scores, lanes, out in
                keys.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: (count + block - 1) / block) { k in
                    values.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: (count + block - 1) / block) { v in
                        tw_ggml_attend_group_avx2(q, Int64(heads), Int64(dims), k, v, Int64(block), Int64(stride),
                                                   Int64(count), scale, batch ? 1 : 0, half ? 1 : 0, scores, lanes, out)
                    }
                }
            },
            attendGroupHalf: { q, heads, dims, keys, values, block, stride, count, scale, batch, half, scores, lanes, out in
                keys.withMemoryRebound(to: UnsafePointer<UInt16>?.self, capacity: (count + block - 1) / block) { k in
                    values.withMemoryRebound(to: UnsafePointer<UInt16>?.self, capacity: (count + block - 1) / block) { v in
                        tw_ggml_attend_group_f16_avx2(q, Int64(heads), Int64(dims), k, v, Int64(block), Int64(stride),
                                                     Int64(count), scale, batch ? 1 : 0, half ? 1 : 0, scores, lanes, out)
                    }
                }
            })
        #else
        return nil
        #endif
    }()

    /// AVX-512 table, or nil when this build or CPU cannot run it.
    public static let avx512: FloatOps? = {
        #if arch(x86_64)
        guard CPUFeatures.current.supportsAVX512Kernels else { return nil }
        return FloatOps(
            name: "avx512",
            swiglu: { tw_ggml_swiglu_avx512($0, $1, $2, Int64($3)) },
            softmax: { tw_ggml_softmax_avx512($0, Int64($1)) },
            scores: { tw_ggml_scores_avx512($0, $1, Int64($2), Int64($3), Int64($4), $5 ? 1 : 0, $6) },
            accumulate: { tw_ggml_accumulate_avx512($0, Int64($1), Int64($2), $3, Int64($4), $5, Int64($6), Int64($7)) },
            laneReduce: { tw_ggml_lane_reduce_avx512($0, Int64($1), Int64($2), $3) },
            roundToHalf: { tw_round_to_half_avx512($0, Int64($1)) },
            attendGroup: { q, heads, dims, keys, values, block, stride, count, scale, batch, half, scores, lanes, out in
                keys.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: (count + block - 1) / block) { k in
                    values.withMemoryRebound(to: UnsafePointer<Float>?.self, capacity: (count + block - 1) / block) { v in
                        tw_ggml_attend_group_avx512(q, Int64(heads), Int64(dims), k, v, Int64(block), Int64(stride),
                                                   Int64(count), scale, batch ? 1 : 0, half ? 1 : 0, scores, lanes, out)
                    }
                }
            },
            attendGroupHalf: { q, heads, dims, keys, values, block, stride, count, scale, batch, half, scores, lanes, out in
                keys.withMemoryRebound(to: UnsafePointer<UInt16>?.self, capacity: (count + block - 1) / block) { k in
                    values.withMemoryRebound(to: UnsafePointer<UInt16>?.self, capacity: (count + block - 1) / block) { v in
                        tw_ggml_attend_group_f16_avx512(q, Int64(heads), Int64(dims), k, v, Int64(block), Int64(stride),
                                                     Int64(count), scale, batch ? 1 : 0, half ? 1 : 0, scores, lanes, out)
                    }
                }
            })
        #else
        return nil
        #endif
    }()
}
