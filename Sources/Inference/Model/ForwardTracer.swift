// Debug hook of the forward pass: when TOKENWORKS_TRACE_DIR is set, every named intermediate tensor of every
// forward call is written as raw little-endian f32, so it can be diffed op by op against llama.cpp's eval callback.

import Foundation

/// Writes `DIR/step-S/NAME.f32` for forward call S (0-based), NAME following llama.cpp's graph node names with
/// the op appended ("attn_norm-0@MUL", "Qcur-3@ROPE", "l_out-29@ADD", "result_output@MUL_MAT"), row-major with
/// one row per token, which is ggml's logical order (ne0 fastest).
///
/// Why a class: it counts forward calls. Off by default; the forward pass only tests an optional when it is off.
final class ForwardTracer {
    private let directory: String
    private var step = -1

    /// A tracer when the environment asks for one, else nil (the normal case).
    static func fromEnvironment() -> ForwardTracer? {
        guard let dir = ProcessInfo.processInfo.environment["TOKENWORKS_TRACE_DIR"], !dir.isEmpty else { return nil }
        return ForwardTracer(directory: dir)
    }

    private init(directory: String) { self.directory = directory }

    /// Starts the files of the next forward call.
    func beginStep() {
        step += 1
        try? FileManager.default.createDirectory(atPath: "\(directory)/step-\(step)",
                                                 withIntermediateDirectories: true)
    }

    /// Writes `count` floats at `values` under `name`; failures are ignored (a debugging aid only).
    func record(_ name: String, _ values: UnsafePointer<Float>, count: Int) {
        let data = Data(bytes: values, count: count * MemoryLayout<Float>.size)
        try? data.write(to: URL(fileURLWithPath: "\(directory)/step-\(step)/\(name).f32"))
    }
}
