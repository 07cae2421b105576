// Small GGUF files built with our writer, and a fixed-seed PRNG, shared by the GGUF tests.
import GGUF
import TestSupport

/// The shared seeded generator (SplitMix64), so mutation and data tests are reproducible on every machine.
typealias SplitMix64 = MutationRandom

enum SampleFiles {
    /// One metadata value of every scalar type, keyed by the type's name.
    static let scalars: [(String, GGUFValue)] = [
        ("test.uint8", .uint8(200)),
        ("test.int8", .int8(-100)),
        ("test.uint16", .uint16(60_000)),
        ("test.int16", .int16(-30_000)),
        ("test.uint32", .uint32(4_000_000_000)),
        ("test.int32", .int32(-2_000_000_000)),
        ("test.float32", .float32(3.25)),
        ("test.bool", .bool(true)),
        ("test.string", .string("héllo, wörld ✓ 🦙")),
        ("test.uint64", .uint64(18_000_000_000_000_000_000)),
        ("test.int64", .int64(-9_000_000_000_000_000_000)),
        ("test.float64", .float64(-1.0e-300)),
    ]

    /// One array of every element type, including strings, nested and empty arrays.
    static let arrays: [(String, GGUFValue)] = [
        ("array.uint8", .array(.uint8([0, 1, 255]))),
        ("array.int8", .array(.int8([-128, 0, 127]))),
        ("array.uint16", .array(.uint16([0, 65_535]))),
        ("array.int16", .array(.int16([-32_768, 32_767]))),
        ("array.uint32", .array(.uint32([1, 2, 4_294_967_295]))),
        ("array.int32", .array(.int32([-1, 0, 1]))),
        ("array.float32", .array(.float32([0.5, -2, .infinity, 1e-30]))),
        ("array.bool", .array(.bool([true, false, true]))),
        ("array.string", .array(.string(["", "a", "<|im_start|>", "Ġthe", "日本"]))),
        ("array.uint64", .array(.uint64([0, .max]))),
        ("array.int64", .array(.int64([.min, .max]))),
        ("array.float64", .array(.float64([.pi, -0.0]))),
        ("array.nested", .array(.array([.int32([1, 2]), .string(["x"]), .array([.uint8([7])]), .float32([])]))),
        ("array.empty", .array(.string([]))),
    ]

    /// A tensor of each listed type, with deterministic bytes.
    static func tensors(seed: UInt64 = 1) -> [(name: String, dimensions: [Int], type: TensorType, bytes: [UInt8])] {
        var random = SplitMix64(seed: seed)
        let shapes: [(String, [Int], TensorType)] = [
            ("token_embd.weight", [64, 3], .q8_0),
            ("blk.0.attn_norm.weight", [7], .f32),
            ("blk.0.ffn_down.weight", [32, 2, 2], .q4_1),
            ("blk.0.ffn_up.weight", [256, 1], .q6_K),
            ("half", [5, 3], .f16),
            ("brain", [3], .bf16),
            ("ints", [2, 2, 2, 2], .i32),
            ("q40", [32], .q4_0),
        ]
        return shapes.map { name, dims, type in
            let count = type.byteCount(elements: dims.reduce(1, *)) ?? 0
            return (name, dims, type, random.bytes(count))
        }
    }

    /// A writer holding every scalar, every array and the sample tensors.
    static func fullWriter(alignment: Int = 32, version: UInt32 = 3) throws -> GGUFWriter {
        var writer = GGUFWriter(alignment: alignment, version: version)
        writer.set("general.architecture", .string("llama"))
        for (key, value) in scalars + arrays { writer.set(key, value) }
        for tensor in tensors() {
            try writer.addTensor(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                                 bytes: tensor.bytes)
        }
        return writer
    }

    /// A small valid file: a few keys including arrays, and three tensors.
    static func small() throws -> [UInt8] {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("llama.block_count", .uint32(2))
        writer.set("tokenizer.ggml.tokens", .array(.string(["<s>", "a", "b", "ab"])))
        writer.set("tokenizer.ggml.scores", .array(.float32([0, -1, -2, -3])))
        writer.set("nested", .array(.array([.int32([1]), .bool([true])])))
        for tensor in tensors().prefix(3) {
            try writer.addTensor(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                                 bytes: tensor.bytes)
        }
        return writer.serialized()
    }
}
