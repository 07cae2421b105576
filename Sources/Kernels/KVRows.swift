// Helpers for a KV cache stored in F16 or Q8_0 rows (one row per position and head): store a row, score a query
// against stored keys, accumulate weighted values. Numerics are ggml's: the query is converted to the key format
// (F16, or Q8_0 activation quantization) before the dot, exactly as a ggml mat-mul over the cache would.
import CKernels

/// Storage format of KV-cache rows.
public enum KVRowFormat: Sendable, Equatable {
    case f16, q8_0

    /// The weight format whose kernels read these rows.
    public var weightFormat: WeightFormat { self == .f16 ? .f16 : .q8_0 }

    /// Bytes of one row of `columns` elements (Q8_0 needs columns % 32 == 0).
    public func rowBytes(columns: Int) -> Int { weightFormat.rowBytes(columns: columns) }
}

/// KV-cache row operations on one kernel set; single-threaded (called inside per-head work the caller spreads).
public struct KVRows: Sendable {
    public let kernels: KernelSet

    public init(kernels: KernelSet = .best) { self.kernels = kernels }

    /// Converts `columns` floats into one cache row (F16 round-to-nearest-even, or Q8_0 as ggml's x86 quantizer).
    /// - Precondition: `out` has `format.rowBytes(columns:)` bytes.
    public func store(_ x: UnsafePointer<Float>, columns: Int, as format: KVRowFormat, into out: UnsafeMutableRawPointer) {
        kernels.convertActivations(format == .f16 ? .f16 : .q8_0, x, into: out, count: columns)
    }

    /// scores[j] = q · key_j for `count` keys of `columns` elements, `stride` bytes apart starting at `keys`.
    /// `scratch` holds the converted query (`format.rowBytes(columns:)` bytes).
    public func scores(query q: UnsafePointer<Float>, keys: UnsafeRawPointer, stride: Int, count: Int, columns: Int,
                       format: KVRowFormat, scratch: UnsafeMutableRawPointer, into scores: UnsafeMutablePointer<Float>) {
        guard count > 0, let gemm = kernels.gemm(for: format.weightFormat) else { return }
        store(q, columns: columns, as: format, into: scratch)
        gemm(columns, keys, stride, count, scratch, 0, 1, scores, 1)
    }

    /// out[i] += Σ_j p[j] · value_j[i] over `count` value rows (`stride` bytes apart starting at `values`).
    public func accumulate(weights p: UnsafePointer<Float>, values: UnsafeRawPointer, stride: Int, count: Int,
                           columns: Int, format: KVRowFormat, into out: UnsafeMutablePointer<Float>) {
        #if arch(x86_64)
        if kernels.name == "avx512" || kernels.name == "avx2" {
            let avx512 = kernels.name == "avx512"
            for j in 0..<count where p[j] != 0 {
                let row = values + j * stride
                switch (format, avx512) {
                case (.f16, true): tw_axpy_f16_avx512(out, p[j], row, Int64(columns))
                case (.f16, false): tw_axpy_f16_avx2(out, p[j], row, Int64(columns))
                case (.q8_0, true): tw_axpy_q8_0_avx512(out, p[j], row, Int64(columns))
                case (.q8_0, false): tw_axpy_q8_0_avx2(out, p[j], row, Int64(columns))
                }
            }
            return
        }
        #endif
        for j in 0..<count where p[j] != 0 {
            let row = values + j * stride
            switch format {
            case .f16:
                for i in 0..<columns { out[i] += p[j] * Half.f16ToF32(row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            case .q8_0:
                for b in 0..<columns / 32 {
                    let scale = p[j] * loadHalf(row, 34 * b)
                    for k in 0..<32 {
                        out[32 * b + k] += scale * Float(row.load(fromByteOffset: 34 * b + 2 + k, as: Int8.self))
                    }
                }
            }
        }
    }
}
