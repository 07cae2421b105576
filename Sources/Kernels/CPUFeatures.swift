// The vector extensions of the running CPU, read once, so the kernel table is chosen at start-up and never per call.
import CKernels

/// What the CPU (and OS) can run. `current` is detected once per process.
public struct CPUFeatures: Sendable, Equatable, CustomStringConvertible {
    public var avx2: Bool
    public var fma: Bool
    public var f16c: Bool
    public var avx512f: Bool
    public var avx512bw: Bool
    public var avx512vl: Bool
    public var avx512dq: Bool
    public var avx512vnni: Bool
    public var avx512bf16: Bool
    public var neon: Bool

    /// Builds a feature set from tw_cpu_features()'s bit mask.
    init(mask: UInt32) {
        func has(_ bit: UInt32) -> Bool { mask & bit != 0 }
        avx2 = has(TW_CPU_AVX2)
        fma = has(TW_CPU_FMA)
        f16c = has(TW_CPU_F16C)
        avx512f = has(TW_CPU_AVX512F)
        avx512bw = has(TW_CPU_AVX512BW)
        avx512vl = has(TW_CPU_AVX512VL)
        avx512dq = has(TW_CPU_AVX512DQ)
        avx512vnni = has(TW_CPU_AVX512VNNI)
        avx512bf16 = has(TW_CPU_AVX512BF16)
        neon = has(TW_CPU_NEON)
    }

    /// The running machine's features.
    public static let current = CPUFeatures(mask: tw_cpu_features())

    /// True when the AVX2 kernel set can run (AVX2 + FMA + F16C).
    public var supportsAVX2Kernels: Bool { avx2 && fma && f16c }

    /// True when the AVX-512 kernel set can run (VL/BW/DQ + VNNI + BF16 on top of the AVX2 set).
    public var supportsAVX512Kernels: Bool {
        supportsAVX2Kernels && avx512f && avx512bw && avx512vl && avx512dq && avx512vnni && avx512bf16
    }

    public var description: String {
        var names: [String] = []
        if avx2 { names.append("avx2") }
        if fma { names.append("fma") }
        if f16c { names.append("f16c") }
        if avx512f { names.append("avx512f") }
        if avx512bw { names.append("avx512bw") }
        if avx512vl { names.append("avx512vl") }
        if avx512dq { names.append("avx512dq") }
        if avx512vnni { names.append("avx512vnni") }
        if avx512bf16 { names.append("avx512bf16") }
        if neon { names.append("neon") }
        return names.isEmpty ? "baseline" : names.joined(separator: " ")
    }
}
