// Owns the bytes a GGUFFile reads: a read-only private mmap of a file, or a copied in-memory buffer.
// This is the target's only mmap call site; the bytes stay valid for as long as the MappedFile is alive.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory a GGUF file is parsed from and its tensors are read from. A class because it owns a resource
/// (the mapping, or an allocation) that must be released exactly once, in `deinit`; it is immutable after
/// `init`, which is why sharing it across threads is safe (`@unchecked Sendable`). Keep a reference (e.g. the
/// `GGUFFile` that holds it) for as long as any pointer from `unsafeBytes` is in use.
///
/// The mapping is private and read-only: no write can reach the file through it. If another program truncates
/// the file while it is mapped, touching the lost pages faults (SIGBUS) — a limit of mmap itself; the writer
/// replaces files by rename, which leaves existing mappings intact.
public final class MappedFile: @unchecked Sendable {
    /// The file this maps, or nil for an in-memory buffer.
    public let path: String?
    /// Number of bytes.
    public let count: Int
    private let base: UnsafeRawPointer?
    private let isMapped: Bool

    /// Maps `path` read-only (`MAP_PRIVATE`): the file's pages are shared with the page cache and loaded on
    /// first touch, so opening a large model costs almost nothing. An empty file gives zero bytes.
    public init(path: String) throws(GGUFError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: Self.systemError()) }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: Self.systemError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotOpen(path: path, reason: "not a regular file")
        }
        guard info.st_size > 0 else {
            self.path = path
            count = 0
            base = nil
            isMapped = false
            return
        }
        guard let size = Int(exactly: info.st_size) else {
            throw .cannotOpen(path: path, reason: "file size \(info.st_size) does not fit in memory")
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .cannotOpen(path: path, reason: "mmap failed: " + Self.systemError())
        }
        self.path = path
        count = size
        base = UnsafeRawPointer(address)
        isMapped = true
    }

    /// Copies `bytes` into memory this object owns, for parsing data that never was a file (tests, fuzzing,
    /// network downloads in progress).
    public init(bytes: [UInt8]) {
        path = nil
        count = bytes.count
        isMapped = false
        guard !bytes.isEmpty else {
            base = nil
            return
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { source in
            if let source = source.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        }
        base = UnsafeRawPointer(memory)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            _ = munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.deallocate()
        }
    }

    /// All the bytes. Valid only while this object is alive; never write through it.
    public var unsafeBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// How the loader expects to touch the mapping, passed on to the kernel (`madvise`) so it can read ahead
    /// or not. A hint only: it never changes what the bytes are.
    public enum Advice: Sendable {
        /// The bytes will be needed soon: start reading them in (weights before the first forward pass).
        case willNeed
        /// The bytes will be read front to back once (checksums, conversions).
        case sequential
        /// The bytes will be read in no particular order: do not read ahead.
        case random
        /// The resident pages are not needed now (their data was copied elsewhere, e.g. repacked weights): let
        /// the kernel drop them; they are read back from the file if touched again.
        case dontNeed
    }

    /// Passes `advice` to the kernel for the whole mapping; does nothing for in-memory buffers or if the system
    /// declines.
    public func advise(_ advice: Advice) {
        guard isMapped, let base else { return }
        let flag: Int32
        switch advice {
        case .willNeed: flag = Int32(MADV_WILLNEED)
        case .sequential: flag = Int32(MADV_SEQUENTIAL)
        case .random: flag = Int32(MADV_RANDOM)
        case .dontNeed: flag = Int32(MADV_DONTNEED)
        }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), count, flag)
    }

    /// The bytes `range` (already checked by the caller to lie within `0..<count`); empty when it does not.
    func unsafeBytes(in range: Range<Int>) -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0, range.upperBound <= count, let base else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The text of the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }
}
