// `tokenworks models`: list the models in the cache and inspect any GGUF file.
import ArgumentParser
import Foundation
import GGUF

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List and inspect GGUF model files.",
        subcommands: [List.self, Inspect.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the GGUF files in the model cache.")
        func run() throws {
            let dir = Paths.models
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            let ggufs = names.filter { $0.hasSuffix(".gguf") }.sorted()
            if ggufs.isEmpty {
                print("no models in \(dir.path) — run `make model`, or pass --model PATH to any command")
                return
            }
            for name in ggufs {
                let path = dir.appendingPathComponent(name).path
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let arch = ((try? GGUFFile(path: path))?.metadata["general.architecture"]?.stringValue) ?? "?"
                print("\(name)\t\(arch)\t\(ByteFormat.string(size))\t\(path)")
            }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a GGUF file's metadata, tensor table, sizes and quantization mix.")
        @Argument(help: "The GGUF file.") var file: String
        @Flag(name: .long, help: "List every tensor (default: the first 40).") var allTensors = false

        func run() throws {
            let gguf = try GGUFFile(path: file)
            print("file        \(file)")
            print("version     GGUF v\(gguf.version), alignment \(gguf.alignment), \(ByteFormat.string(gguf.fileSize))")
            print("metadata    \(gguf.metadataKeys.count) keys")
            for key in gguf.metadataKeys {
                guard let value = gguf.metadata[key] else { continue }
                print("  \(key) = \(ValueFormat.short(value))")
            }
            var byType: [String: (count: Int, bytes: Int, elements: Int)] = [:]
            var total = 0, totalElements = 0
            for t in gguf.tensors {
                byType[t.type.name, default: (0, 0, 0)].count += 1
                byType[t.type.name, default: (0, 0, 0)].bytes += t.byteCount
                byType[t.type.name, default: (0, 0, 0)].elements += t.elementCount
                total += t.byteCount
                totalElements += t.elementCount
            }
            print("tensors     \(gguf.tensors.count), \(ByteFormat.string(total)), \(ByteFormat.count(totalElements)) parameters")
            for (name, v) in byType.sorted(by: { $0.value.bytes > $1.value.bytes }) {
                let bits = v.elements > 0 ? Double(v.bytes * 8) / Double(v.elements) : 0
                print("  \(name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(v.count).leftPad(4)) tensors  "
                      + "\(ByteFormat.string(v.bytes).leftPad(10))  \(String(format: "%.2f", bits)) bits/weight")
            }
            let shown = allTensors ? gguf.tensors : Array(gguf.tensors.prefix(40))
            for t in shown {
                let dims = t.dimensions.map(String.init).joined(separator: " × ")
                print("  \(t.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(t.type.name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(dims.padding(toLength: 16, withPad: " ", startingAt: 0)) \(ByteFormat.string(t.byteCount))")
            }
            if shown.count < gguf.tensors.count {
                print("  … \(gguf.tensors.count - shown.count) more (--all-tensors)")
            }
        }
    }
}

/// Human-readable sizes and counts.
enum ByteFormat {
    static func string(_ bytes: Int) -> String {
        let b = Double(bytes)
        if bytes >= 1 << 30 { return String(format: "%.2f GiB", b / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", b / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", b / Double(1 << 10)) }
        return "\(bytes) B"
    }

    static func count(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1e9 { return String(format: "%.2fB", d / 1e9) }
        if d >= 1e6 { return String(format: "%.1fM", d / 1e6) }
        if d >= 1e3 { return String(format: "%.1fK", d / 1e3) }
        return "\(n)"
    }
}

/// A metadata value in one line: long strings and arrays abbreviated.
enum ValueFormat {
    static func short(_ value: GGUFValue) -> String {
        switch value {
        case .string(let s):
            let flat = s.replacingOccurrences(of: "\n", with: "\\n")
            return flat.count > 80 ? "\"\(flat.prefix(77))…\" (\(s.count) chars)" : "\"\(flat)\""
        case .array(let a):
            if let xs = a.stringValues, a.count <= 8 { return "[" + xs.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            return "[\(a.count) × \(a.elementType.name)]"
        case .bool(let b): return b ? "true" : "false"
        default:
            if let i = value.intValue { return String(i) }
            if let d = value.doubleValue { return String(d) }
            return value.typeName
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
