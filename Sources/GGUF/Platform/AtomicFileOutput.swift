// Writes a file so that readers only ever see the old file or the complete new one: a temporary file in the
// same directory, written, fsynced, then renamed over the destination. The target's only POSIX output calls.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One atomic file write in progress. A class because it owns a file descriptor and a temporary file: if it is
/// dropped before `commit()`, `deinit` closes and deletes the temporary file, so a failed or interrupted
/// quantization never leaves a half-written model under the real name.
final class AtomicFileOutput {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// Creates the temporary file next to `path` (same file system, so the final rename is atomic).
    init(path: String) throws(GGUFError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            let candidate = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(UInt32.random(in: 0...UInt32.max)).tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                return
            }
            attempt += 1
            guard errno == EEXIST, attempt < 16 else { throw .cannotWrite(path: path, reason: Self.systemError()) }
        }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { _ = close(descriptor) }
            _ = unlink(temporaryPath)
        }
    }

    /// Appends `bytes`, retrying short writes and interrupted calls.
    func append(_ bytes: [UInt8]) throws(GGUFError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: Self.systemError())
            }
            written += result
        }
    }

    /// Flushes to disk, closes, and renames over the destination; then flushes the directory entry.
    func commit() throws(GGUFError) {
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path: path, reason: Self.systemError()) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw .cannotWrite(path: path, reason: Self.systemError()) }
        guard rename(temporaryPath, path) == 0 else { throw .cannotWrite(path: path, reason: Self.systemError()) }
        committed = true
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            _ = close(fd)
        }
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}
