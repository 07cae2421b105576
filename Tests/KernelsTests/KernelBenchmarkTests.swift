// Timing of the matrix products on the default model's shapes, printed as GB/s (decode) and GMAC/s (prefill).
// Runs only with TOKENWORKS_KERNEL_BENCH=1 in a release build; it never asserts on time.
import Foundation
import Kernels
import XCTest

final class KernelBenchmarkTests: XCTestCase {
    /// SmolLM2-135M: hidden 576, kv 192, ffn 1536, 30 layers, vocabulary 49152 (tied output in Q8_0).
    private let layerShapes: [(rows: Int, columns: Int)] = [
        (576, 576), (192, 576), (192, 576), (576, 576), (1536, 576), (1536, 576), (576, 1536),
    ]
    private let layers = 30

    /// CPU seconds of the calling thread (the machine is shared: wall time says little about the kernels)
    /// and wall seconds.
    private func seconds(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
        let cpu = Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) / 1e9
        return (cpu, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// One model's worth of matrices: every layer its own memory, so decode streams from DRAM as in real use.
    private func modelMatrices(_ format: WeightFormat) throws -> ([WeightMatrix], [UnsafeMutableRawPointer]) {
        var rng = SeededGenerator(seed: 99)
        var matrices: [WeightMatrix] = [], buffers: [UnsafeMutableRawPointer] = []
        var shapes: [(Int, Int, WeightFormat)] = []
        // llama-quantize's fallback for rows that are not whole 256-blocks (576 columns here): so a "q4_K" file
        // is mostly q5_0 with q4_K only in ffn_down, as llama.cpp's own copy of the model.
        func fitting(_ columns: Int) -> WeightFormat {
            guard columns % format.blockSize != 0 else { return format }
            switch format {
            case .q4_K: return .q5_0
            case .q5_K: return .q5_1
            case .q6_K: return .q8_0
            default: return .q4_0
            }
        }
        for _ in 0..<layers { shapes += layerShapes.map { ($0.rows, $0.columns, fitting($0.columns)) } }
        shapes.append((49152, 576, .q8_0))
        for (rows, columns, f) in shapes {
            let bytes = randomWeights(f, rows: 1, columns: columns, using: &rng)
            let size = f.rowBytes(columns: columns) * rows
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            for r in 0..<rows { (buffer + r * bytes.count).copyMemory(from: bytes, byteCount: bytes.count) }
            buffers.append(buffer)
            matrices.append(try WeightMatrix(base: buffer, format: f, rows: rows, columns: columns))
        }
        return (matrices, buffers)
    }

    func testPrintMatMulThroughputOnTheDefaultModelShapes() throws {
        guard ProcessInfo.processInfo.environment["TOKENWORKS_KERNEL_BENCH"] == "1" else {
            throw XCTSkip("set TOKENWORKS_KERNEL_BENCH=1 (release build) to time the kernels")
        }
        let threads = Int(ProcessInfo.processInfo.environment["TOKENWORKS_THREADS"] ?? "") ?? 2
        let formats = (ProcessInfo.processInfo.environment["TOKENWORKS_BENCH_FORMATS"] ?? "q4_1")
            .split(separator: ",").compactMap { name in WeightFormat.allCases.first { $0.name == name } }
        let prefillTokens = 512
        for format in formats {
            let (plain, buffers) = try modelMatrices(format)
            defer { buffers.forEach { $0.deallocate() } }
            let engine = MatMulEngine(threads: threads)
            let matrices = plain.map { engine.pack($0) }
            var rng = SeededGenerator(seed: 5)
            let x = randomFloats(prefillTokens * 1536, using: &rng)
            var y = [Float](repeating: 0, count: prefillTokens * 49152)
            let bytes = matrices.reduce(0) { $0 + $1.byteCount }
            let macs = matrices.reduce(0) { $0 + $1.rows * $1.columns }
            // Decode: every matrix once per token, several tokens.
            let decodeRuns = 20
            _ = seconds { for m in matrices { engine.matmul(m, x, count: 1, into: &y) } }
            let decodeTime = seconds {
                for _ in 0..<decodeRuns { for m in matrices { engine.matmul(m, x, count: 1, into: &y) } }
            }
            // Prefill: every matrix once for a 512-token batch.
            let prefillTime = seconds { for m in matrices { engine.matmul(m, x, count: prefillTokens, into: &y) } }
            for (label, decode, prefill) in [("wall", decodeTime.wall, prefillTime.wall),
                                             ("cpu", decodeTime.cpu, prefillTime.cpu)] {
                let perToken = decode / Double(decodeRuns)
                print(String(format: "[bench] %@ (%@, %d threads, %@ time): decode %.2f ms/token = %.1f GB/s, "
                             + "%.0f tok/s ceiling; prefill %d: %.1f GMAC/s, %.0f tok/s ceiling",
                             format.name, engine.kernels.name, threads, label, perToken * 1e3,
                             Double(bytes) / perToken / 1e9, 1 / perToken, prefillTokens,
                             Double(macs) * Double(prefillTokens) / prefill / 1e9, Double(prefillTokens) / prefill))
            }
        }
    }
}
