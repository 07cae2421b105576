// `tokenworks quantize IN OUT TYPE`: converts a GGUF's weight matrices to Q8_0, Q4_0, Q4_1 or Q4_K with ggml's
// reference quantizers (byte-exact, so llama.cpp loads the result), streaming one tensor at a time.
import ArgumentParser
import Foundation
import GGUF
import Kernels

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Convert a GGUF model's weights to Q8_0, Q4_0, Q4_1 or Q4_K.",
        discussion: """
            Input may be F32, F16, BF16 or already quantized. 2-D weight matrices are converted; norms, biases and
            other 1-D tensors stay as they are. For Q4_K, matrices whose rows are not a multiple of 256 use Q8_0.
            The output is written atomically (an interrupted run leaves no file).
            """)

    @Argument(help: "Input GGUF file.") var input: String
    @Argument(help: "Output GGUF file.") var output: String
    @Argument(help: "Target type: Q8_0, Q4_0, Q4_1 or Q4_K.") var type: String

    /// llama.cpp's `general.file_type` codes (LLAMA_FTYPE_*).
    static let fileTypes: [TensorType: UInt32] = [.q4_0: 2, .q4_1: 3, .q8_0: 7, .q4_K: 15]

    func run() throws {
        let target: TensorType
        switch type.uppercased() {
        case "Q8_0": target = .q8_0
        case "Q4_0": target = .q4_0
        case "Q4_1": target = .q4_1
        case "Q4_K", "Q4_K_M", "Q4_K_S": target = .q4_K
        default: throw CLIError.message("unknown target type '\(type)': use Q8_0, Q4_0, Q4_1 or Q4_K")
        }
        guard FileManager.default.fileExists(atPath: input) else { throw CLIError.modelNotFound(input) }
        let file = try GGUFFile(path: input)
        var writer = GGUFWriter(copyingMetadataOf: file)
        writer.set("general.file_type", .uint32(Self.fileTypes[target] ?? 0))
        writer.set("general.quantization_version", .uint32(2))
        var plan: [String: (source: TensorInfo, type: TensorType)] = [:]
        for t in file.tensors {
            let out = Self.outputType(for: t, target: target)
            plan[t.name] = (t, out)
            try writer.addTensor(name: t.name, dimensions: t.dimensions, type: out)
        }
        let total = file.tensors.reduce(0) { $0 + $1.elementCount }
        var done = 0
        let progress = ProgressBar(total: total, label: "quantize \(target.name)")
        try writer.write(to: output) { info in
            guard let entry = plan[info.name] else { return [] }
            defer {
                done += info.elementCount
                progress.update(done)
            }
            let src = file.unsafeTensorBytes(entry.source)
            if entry.type == entry.source.type { return Array(src) }
            return try Self.convert(src, from: entry.source, to: entry.type)
        }
        progress.finish()
        let inSize = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        let outSize = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("wrote \(output): \(ByteFormat.string(inSize)) → \(ByteFormat.string(outSize))")
    }

    /// Which type a tensor gets: matrices the target can hold, everything else unchanged.
    static func outputType(for t: TensorInfo, target: TensorType) -> TensorType {
        guard t.dimensions.count >= 2, t.name.hasSuffix(".weight") else { return t.type }
        guard WeightFormat(ggmlType: t.type.rawValue) != nil else { return t.type }
        if t.rowLength % target.blockSize == 0 { return target }
        if t.rowLength % 32 == 0 { return .q8_0 }
        return t.type
    }

    /// Decodes each row to F32 and quantizes it with ggml's reference quantizer.
    static func convert(_ src: UnsafeRawBufferPointer, from info: TensorInfo, to type: TensorType) throws -> [UInt8] {
        guard let srcFormat = WeightFormat(ggmlType: info.type.rawValue), let base = src.baseAddress else {
            throw CLIError.message("tensor \(info.name) has type \(info.type.name), which cannot be converted")
        }
        let cols = info.rowLength, rows = info.rowCount
        let rowIn = srcFormat.rowBytes(columns: cols)
        guard let rowOut = type.byteCount(elements: cols) else {
            throw CLIError.message("tensor \(info.name): rows of \(cols) do not fit \(type.name) blocks")
        }
        var out = [UInt8](repeating: 0, count: rowOut * rows)
        var row = [Float](repeating: 0, count: cols)
        try out.withUnsafeMutableBytes { dst in
            guard let outBase = dst.baseAddress else { return }
            try row.withUnsafeMutableBufferPointer { r in
                guard let rp = r.baseAddress else { return }
                for i in 0..<rows {
                    guard Dequantizer.decode(srcFormat, base + i * rowIn, into: rp, count: cols) else {
                        throw CLIError.message("tensor \(info.name): cannot decode \(info.type.name)")
                    }
                    let o = outBase + i * rowOut
                    switch type {
                    case .q8_0: BlockQ8_0.quantizeReference(rp, into: o, count: cols)
                    case .q4_0: BlockQ4_0.quantizeReference(rp, into: o, count: cols)
                    case .q4_1: BlockQ4_1.quantizeReference(rp, into: o, count: cols)
                    case .q4_K: BlockQ4_K.quantizeReference(rp, into: o, count: cols)
                    default: throw CLIError.message("cannot quantize to \(type.name)")
                    }
                }
            }
        }
        return out
    }
}

/// A one-line progress bar on stderr (only when stderr is a terminal).
final class ProgressBar {
    let total: Int
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastPercent = -1

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    func update(_ done: Int) {
        let percent = min(100, done * 100 / total)
        guard enabled, percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)%".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
