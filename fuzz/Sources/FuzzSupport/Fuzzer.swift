// The libFuzzer entry every target shares: hands each input to the target's body. A crash, an assertion,
// a sanitizer report or a timeout is a finding; a thrown parse error is the expected way to refuse input.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's driver (from libclang_rt.fuzzer_no_main, linked by the Makefile): parses libFuzzer's flags and
/// runs `callback` on every input it generates or is given.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The body of the running target. Set once before the driver starts; libFuzzer calls back on one thread.
nonisolated(unsafe) private var currentBody: (([UInt8]) -> Void)?

/// Stops the process with a message libFuzzer records as a crash: an invariant of the parser was broken.
public func fuzzFailure(_ message: String) -> Never {
    let text = Array("FUZZ INVARIANT BROKEN: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// Runs libFuzzer with `body` as the target and exits with its status.
public func runFuzzer(_ body: @escaping ([UInt8]) -> Void) -> Never {
    currentBody = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        currentBody?(bytes)
        return 0
    }
    exit(status)
}

extension String {
    /// The input as text the way a file reader would give it (invalid UTF-8 replaced).
    public init(fuzzInput bytes: [UInt8]) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
