// The x86-64 kernel sets backed by CKernels: AVX2 (+FMA, F16C) and AVX-512 (VL/BW/DQ + VNNI + BF16). Present only
// on x86-64 builds and only when the CPU reports the extensions.
import CKernels

extension KernelSet {
    /// AVX2 kernels, or nil when this build or CPU cannot run them.
    public static let avx2: KernelSet? = {
        #if arch(x86_64)
        guard CPUFeatures.current.supportsAVX2Kernels else { return nil }
        return KernelSet(
            name: "avx2",
            gemms: [
                .f32: { tw_gemm_f32_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .f16: { tw_gemm_f16_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .bf16: { tw_gemm_bf16_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q8_0: { tw_gemm_q8_0_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_0: { tw_gemm_q4_0_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_1: { tw_gemm_q4_1_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_0: { tw_gemm_q5_0_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_1: { tw_gemm_q5_1_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q2_K: { tw_gemm_q2_K_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q3_K: { tw_gemm_q3_K_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_K: { tw_gemm_q4_K_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_K: { tw_gemm_q5_K_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q6_K: { tw_gemm_q6_K_avx2(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
            ],
            converters: [
                .f32: FloatRows.copyF32,
                .f16: { tw_convert_f16_avx2($0, $1, Int64($2)) },
                .bf16: { tw_convert_bf16_avx2($0, $1, Int64($2)) },
                .q8_0: { tw_quantize_q8_0_avx2($0, $1, Int64($2)) },
                .q8_1: { tw_quantize_q8_1_avx2($0, $1, Int64($2)) },
                .q8_K: { tw_quantize_q8_K_avx2($0, $1, Int64($2)) },
            ],
            packedGemms: [
                .q4_0: { tw_gemm_x8_q4_0_avx2(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q4_1: { tw_gemm_x8_q4_1_avx2(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q8_0: { tw_gemm_x8_q8_0_avx2(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q5_0: { tw_gemm_x8_q5_0_avx2(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q5_1: { tw_gemm_x8_q5_1_avx2(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
            ],
            blockSums: { tw_block_sums_q8_0_avx2($0, Int64($1), $2) },
            floatOps: FloatOps.avx2 ?? .reference)
        #else
        return nil
        #endif
    }()

    /// AVX-512 + VNNI + BF16 kernels, or nil when this build or CPU cannot run them.
    public static let avx512: KernelSet? = {
        #if arch(x86_64)
        guard CPUFeatures.current.supportsAVX512Kernels else { return nil }
        return KernelSet(
            name: "avx512",
            gemms: [
                .f32: { tw_gemm_f32_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .f16: { tw_gemm_f16_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .bf16: { tw_gemm_bf16_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q8_0: { tw_gemm_q8_0_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_0: { tw_gemm_q4_0_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_1: { tw_gemm_q4_1_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_0: { tw_gemm_q5_0_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_1: { tw_gemm_q5_1_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q2_K: { tw_gemm_q2_K_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q3_K: { tw_gemm_q3_K_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q4_K: { tw_gemm_q4_K_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q5_K: { tw_gemm_q5_K_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
                .q6_K: { tw_gemm_q6_K_avx512(Int64($0), $1, $2, Int64($3), $4, $5, Int64($6), $7, $8) },
            ],
            converters: [
                .f32: FloatRows.copyF32,
                .f16: { tw_convert_f16_avx512($0, $1, Int64($2)) },
                .bf16: { tw_convert_bf16_avx512($0, $1, Int64($2)) },
                .q8_0: { tw_quantize_q8_0_avx512($0, $1, Int64($2)) },
                .q8_1: { tw_quantize_q8_1_avx512($0, $1, Int64($2)) },
                .q8_K: { tw_quantize_q8_K_avx512($0, $1, Int64($2)) },
            ],
            packedGemms: [
                .q4_0: { tw_gemm_x8_q4_0_avx512(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q4_1: { tw_gemm_x8_q4_1_avx512(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q8_0: { tw_gemm_x8_q8_0_avx512(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q5_0: { tw_gemm_x8_q5_0_avx512(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
                .q5_1: { tw_gemm_x8_q5_1_avx512(Int64($0), $1, Int64($2), $3, $4, $5, Int64($6), $7, $8) },
            ],
            blockSums: { tw_block_sums_q8_0_avx512($0, Int64($1), $2) },
            chunkSums: { tw_chunk_sums_q8_0_avx512($0, Int64($1), $2) },
            floatOps: FloatOps.avx512 ?? .reference)
        #else
        return nil
        #endif
    }()
}
