// The scalar reference kernel set: ggml's generic kernels read line by line. Slow, and the specification every
// faster set is tested against.

import Foundation

extension KernelSet {
    /// Scalar reference kernels for every implemented format.
    public static let reference = KernelSet(
        name: "reference",
        gemms: [
            .f32: gemmFromDot(FloatRows.dotF32Reference),
            .f16: gemmFromDot(FloatRows.dotF16Reference),
            .bf16: gemmFromDot(FloatRows.dotBF16Reference),
            .q8_0: gemmFromDot(BlockQ8_0.dotReference),
            .q4_0: gemmFromDot(BlockQ4_0.dotReference),
            .q4_1: gemmFromDot(BlockQ4_1.dotReference),
            .q5_0: gemmFromDot(BlockQ5_0.dotReference),
            .q5_1: gemmFromDot(BlockQ5_1.dotReference),
            .q2_K: gemmFromDot(BlockQ2_K.dotReference),
            .q3_K: gemmFromDot(BlockQ3_K.dotReference),
            .q4_K: gemmFromDot(BlockQ4_K.dotReference),
            .q5_K: gemmFromDot(BlockQ5_K.dotReference),
            .q6_K: gemmFromDot(BlockQ6_K.dotReference),
        ],
        converters: [
            .f32: FloatRows.copyF32,
            .f16: FloatRows.convertToF16,
            .bf16: FloatRows.convertToBF16,
            .q8_0: BlockQ8_0.quantizeActivationReference,
            .q8_1: BlockQ8_1.quantizeActivationReference,
            .q8_K: BlockQ8_K.quantizeActivationReference,
        ])
}

/// Reads an environment variable without Foundation (kernel selection happens before anything else).
func environmentValue(_ name: String) -> String? {
    guard let raw = getenv(name) else { return nil }
    return String(cString: raw)
}
