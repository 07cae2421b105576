// A table of kernels — one matrix-product kernel per weight format, one converter per activation format —
// chosen once from the CPU's features (ggml's type_traits_cpu). The model never knows which ISA runs.

/// Kernels for every supported format on one instruction set.
///
/// Why closures in arrays: C function pointers (CKernels) and Swift functions (reference, portable SIMD) sit in
/// the same table; the engine resolves one entry per matrix product, never per row.
public struct KernelSet: Sendable {
    /// y[t·yStride + r] = dot(weight row r, activation row t) for r < rows, t < tokens.
    /// `n` is the row length in elements, strides of `w` and `a` are in bytes, `yStride` in floats.
    public typealias Gemm = @Sendable (
        _ n: Int, _ w: UnsafeRawPointer, _ wStride: Int, _ rows: Int,
        _ a: UnsafeRawPointer, _ aStride: Int, _ tokens: Int,
        _ y: UnsafeMutablePointer<Float>, _ yStride: Int
    ) -> Void
    /// The product over rows packed in 8-row groups (`WeightPacker`): `w` is the group holding row 0 of the call,
    /// `sums` the activation sums the format's kernel wants (`sumsPerBlock` per block, token-major), or nil.
    public typealias PackedGemm = @Sendable (
        _ n: Int, _ w: UnsafeRawPointer, _ rows: Int,
        _ a: UnsafeRawPointer, _ aStride: Int, _ sums: UnsafePointer<Int32>?, _ tokens: Int,
        _ y: UnsafeMutablePointer<Float>, _ yStride: Int
    ) -> Void
    /// Writes Σ of the 32 quants of each of `blocks` Q8_0 activation blocks.
    public typealias BlockSums = @Sendable (_ a: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Int32>) -> Void
    /// Converts `n` floats into the activation format at `out` (n a multiple of the block size).
    public typealias Converter = @Sendable (_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer, _ n: Int) -> Void

    /// Which implementation this is ("reference", "portable", "avx2", "avx512").
    public let name: String
    var gemms: [Gemm?]
    var converters: [Converter?]
    var packedGemms: [PackedGemm?]
    let blockSums: BlockSums?
    /// −128 · Σ of each 4-byte chunk of each Q8_0 activation block (8 per block), for the packed Q8_0 kernel that
    /// reads its weights as unsigned bytes (VNNI); nil when that kernel needs none.
    let chunkSums: BlockSums?
    /// The forward pass's float math on the same instruction set (the same bits on every set).
    public let floatOps: FloatOps

    init(name: String, gemms: [WeightFormat: Gemm], converters: [ActivationFormat: Converter],
         packedGemms: [WeightFormat: PackedGemm] = [:], blockSums: BlockSums? = nil, chunkSums: BlockSums? = nil,
         floatOps: FloatOps = .reference) {
        self.name = name
        self.floatOps = floatOps
        var p = [PackedGemm?](repeating: nil, count: WeightFormat.allCases.count)
        for (format, kernel) in packedGemms { p[format.index] = kernel }
        self.packedGemms = p
        self.blockSums = blockSums
        self.chunkSums = chunkSums
        var g = [Gemm?](repeating: nil, count: WeightFormat.allCases.count)
        for (format, kernel) in gemms { g[format.index] = kernel }
        var c = [Converter?](repeating: nil, count: ActivationFormat.allCases.count)
        for (format, kernel) in converters { c[format.index] = kernel }
        self.gemms = g
        self.converters = c
    }

    /// True when this set has a matrix kernel for `format` and a converter for its activation partner.
    public func supports(_ format: WeightFormat) -> Bool {
        gemms[format.index] != nil && converters[format.activationFormat.index] != nil
    }

    /// The matrix kernel for `format`, if this set has one.
    public func gemm(for format: WeightFormat) -> Gemm? { gemms[format.index] }

    /// The packed-layout kernel for `format`, if this set has one.
    public func packedGemm(for format: WeightFormat) -> PackedGemm? { packedGemms[format.index] }

    /// The activation sums the packed kernel of `format` reads: the function writing them and how many per
    /// 32-element block (Σ per block for Q4_0/Q5_0, −128 · Σ per chunk for Q8_0 on VNNI), or nil for none.
    func packedSums(for format: WeightFormat) -> (write: BlockSums, perBlock: Int)? {
        if format == .q8_0 { return chunkSums.map { ($0, 8) } }
        if format.activationFormat == .q8_0 { return blockSums.map { ($0, 1) } }
        return nil
    }

    /// True when `MatMulEngine.pack` repacks matrices of `format` for this set.
    public func packs(_ format: WeightFormat) -> Bool { packedGemms[format.index] != nil }

    /// The activation converter for `format`, if this set has one.
    public func converter(for format: ActivationFormat) -> Converter? { converters[format.index] }

    /// One weight row (`count` elements at `w`) against one converted activation row at `a`; 0 if unsupported.
    public func dot(_ format: WeightFormat, count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        guard let kernel = gemms[format.index] else { return 0 }
        var result: Float = 0
        kernel(count, w, 0, 1, a, 0, 1, &result, 1)
        return result
    }

    /// Converts `count` floats to `format` (quantizes for Q8_0/Q8_1/Q8_K); does nothing if unsupported.
    public func convertActivations(_ format: ActivationFormat, _ x: UnsafePointer<Float>,
                                   into out: UnsafeMutableRawPointer, count: Int) {
        converters[format.index]?(x, out, count)
    }

    /// Every set that can run on this CPU, slowest first (reference, portable, then the x86 sets).
    public static var available: [KernelSet] {
        var sets = [reference, portable]
        if let avx2 { sets.append(avx2) }
        if let avx512 { sets.append(avx512) }
        return sets
    }

    /// The fastest set this CPU runs; `TOKENWORKS_KERNELS=reference|portable|avx2|avx512` overrides it.
    public static let best: KernelSet = {
        let sets = available
        if let wanted = environmentValue("TOKENWORKS_KERNELS"), let set = sets.first(where: { $0.name == wanted }) {
            return set
        }
        return sets[sets.count - 1]
    }()
}

/// Builds a gemm from a one-row dot product (the reference and portable sets have no tiled kernels).
func gemmFromDot(_ dot: @escaping @Sendable (Int, UnsafeRawPointer, UnsafeRawPointer) -> Float) -> KernelSet.Gemm {
    return { n, w, ws, rows, a, aStride, tokens, y, ys in
        for t in 0..<tokens {
            for r in 0..<rows { y[t * ys + r] = dot(n, w + r * ws, a + t * aStride) }
        }
    }
}
