// The directory the file tools may touch, and the only place in Agents that makes file-system calls.
// Every path is resolved from a descriptor of the root, one component at a time, never following links.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A workspace root opened once; paths given by a model are resolved inside it with openat discipline.
///
/// Why descriptors rather than checking strings: a model (or whatever wrote the files it reads) can plant a
/// symbolic link, or swap a directory for one between a check and a use. Resolving each component with
/// `openat(dirfd, component, O_NOFOLLOW | O_DIRECTORY)` from the root's descriptor means no name is ever looked
/// up through a link, so no path can leave the root whatever happens on disk meanwhile. `..`, absolute paths,
/// links, devices, FIFOs and sockets are refused with an error naming the culprit.
///
/// A final class because it owns the root descriptor (closed on deinit); it holds only constants, so it is
/// shared freely between tasks.
public final class Workspace: Sendable {
    /// The root as given (made absolute); shown to the user and used as the shell's working directory.
    public let root: String
    private let rootFD: Int32

    /// Reads are capped at this many bytes unless a tool asks for less.
    public static let defaultReadLimit = 256 * 1024
    /// No read returns more than this, whatever limit the caller gives: a read is held in memory whole.
    public static let maximumReadLimit = 64 * 1024 * 1024

    /// What a path names.
    public enum EntryKind: String, Sendable, Equatable {
        case file, directory, symlink, other
    }

    /// One entry of a directory listing.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var kind: EntryKind
        /// Size in bytes (files only; 0 otherwise).
        public var size: Int
    }

    /// The bytes of a file read with a cap.
    public struct FileContents: Sendable, Equatable {
        public var bytes: [UInt8]
        /// The file's size on disk when it was opened.
        public var size: Int
        /// True when the file holds more than `bytes`.
        public var truncated: Bool
    }

    /// Opens `root` (a directory; links in the root's own path are the user's choice and are followed).
    public init(root: String) throws(AgentsError) {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        let fd = open(absolute, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AgentsError.workspaceUnavailable(root: absolute, reason: Self.errnoText()) }
        self.root = absolute
        self.rootFD = fd
    }

    deinit { close(rootFD) }

    // MARK: Paths

    /// The components of a workspace-relative path; "." and empty components are dropped.
    /// Throws for absolute paths, `..`, NUL bytes and `~`.
    public static func components(of path: String) throws(AgentsError) -> [String] {
        if path.hasPrefix("/") { throw AgentsError.pathEscapes(path: path, reason: "absolute paths are not allowed") }
        if path.hasPrefix("~") { throw AgentsError.pathEscapes(path: path, reason: "'~' is not expanded") }
        if path.utf8.contains(0) { throw AgentsError.pathEscapes(path: path, reason: "it contains a NUL byte") }
        var result: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw AgentsError.pathEscapes(path: path, reason: "'..' is not allowed") }
            result.append(String(part))
        }
        return result
    }

    // MARK: Reading

    /// Reads at most `limit` bytes of the regular file at `path`.
    public func read(_ path: String, limit: Int = Workspace.defaultReadLimit) throws(AgentsError) -> FileContents {
        let parts = try Self.components(of: path)
        guard let name = parts.last else { throw AgentsError.isADirectory(path: path.isEmpty ? "." : path) }
        return try withDirectory(parts.dropLast(), path: path, create: false) { dir throws(AgentsError) in
            try checkRegularOrAbsent(dir, name, path: path, mustExist: true)
            let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw classifyOpenFailure(dir, name, path: path, operation: "open") }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                throw AgentsError.ioFailed(path: path, operation: "stat", reason: Self.errnoText())
            }
            // The name may have been swapped for a FIFO or device after the check above.
            guard Self.kind(of: st.st_mode) == .regular else {
                throw AgentsError.specialFileRefused(path: path, kind: Self.kind(of: st.st_mode).name)
            }
            let cap = min(max(0, limit), Self.maximumReadLimit)
            // Room for what the file holds now (plus one byte to notice more), grown if it grows meanwhile.
            var bytes = [UInt8](repeating: 0, count: min(cap, max(0, Int(st.st_size))) + 1)
            var filled = 0
            while filled <= cap {
                if filled == bytes.count {
                    bytes.append(contentsOf: repeatElement(0, count: min(cap + 1, 2 * bytes.count) - bytes.count))
                }
                let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return Glue.read(fd, base + filled, buffer.count - filled)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AgentsError.ioFailed(path: path, operation: "read", reason: Self.errnoText())
                }
                if n == 0 { break }
                filled += n
            }
            let truncated = filled > cap
            bytes.removeSubrange(min(filled, cap, bytes.count)...)
            return FileContents(bytes: bytes, size: max(Int(st.st_size), filled), truncated: truncated)
        }
    }

    /// Lists the directory at `path` ("" or "." for the root), sorted by name. Links are listed, not followed.
    public func list(_ path: String) throws(AgentsError) -> [Entry] {
        let parts = try Self.components(of: path)
        return try withDirectory(parts[...], path: path, create: false) { dir throws(AgentsError) in
            try entries(of: dir, path: path)
        }
    }

    /// Workspace-relative paths of the regular files under `path`, depth first in name order, at most `limit`.
    /// Links are skipped; so are the directories in `skipping` (version-control and build folders).
    public func files(under path: String, limit: Int,
                      skipping: Set<String> = [".git", ".build", "node_modules"]) throws(AgentsError)
        -> (paths: [String], truncated: Bool)
    {
        let parts = try Self.components(of: path)
        let prefix = parts.joined(separator: "/")
        // A single file is its own result.
        if let name = parts.last {
            let isFile = try withDirectory(parts.dropLast(), path: path, create: false) { dir throws(AgentsError) in
                var st = stat()
                guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw classifyOpenFailure(dir, name, path: path, operation: "stat")
                }
                if Self.kind(of: st.st_mode) == .symlink {
                    throw AgentsError.symlinkRefused(path: path, component: prefix)
                }
                return Self.kind(of: st.st_mode) == .regular
            }
            if isFile { return ([prefix], false) }
        }
        var result: [String] = []
        var pending: [String] = [prefix]
        while let directory = pending.popLast() {
            let found = try withDirectory(
                try Self.components(of: directory)[...], path: directory.isEmpty ? "." : directory, create: false
            ) { dir throws(AgentsError) in try entries(of: dir, path: directory) }
            var subdirectories: [String] = []
            for entry in found {
                let child = directory.isEmpty ? entry.name : directory + "/" + entry.name
                switch entry.kind {
                case .file:
                    if result.count >= limit { return (result, true) }
                    result.append(child)
                case .directory where !skipping.contains(entry.name):
                    subdirectories.append(child)
                default:
                    break
                }
            }
            pending.append(contentsOf: subdirectories.reversed())
        }
        return (result, false)
    }

    // MARK: Writing

    /// Replaces (or creates) the regular file at `path` with `bytes`, atomically: a temporary file in the same
    /// directory is written and renamed over the name. Missing parent directories are created when asked.
    /// - Returns: true when the file did not exist before.
    @discardableResult
    public func write(_ path: String, bytes: [UInt8], createDirectories: Bool = true) throws(AgentsError) -> Bool {
        let parts = try Self.components(of: path)
        guard let name = parts.last else { throw AgentsError.isADirectory(path: path.isEmpty ? "." : path) }
        return try withDirectory(parts.dropLast(), path: path, create: createDirectories) { dir throws(AgentsError) in
            var st = stat()
            var mode: mode_t = 0o644
            var existed = false
            if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 {
                try checkRegular(st.st_mode, path: path, component: name)
                mode = st.st_mode & 0o777
                existed = true
            } else if errno != ENOENT {
                throw AgentsError.ioFailed(path: path, operation: "stat", reason: Self.errnoText())
            }
            let temporary = ".\(name).tokenworks-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = Glue.openat(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard fd >= 0 else {
                throw AgentsError.ioFailed(path: path, operation: "create", reason: Self.errnoText())
            }
            var written = 0
            var failure: String?
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return Glue.write(fd, base + written, buffer.count - written)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = Self.errnoText()
                    break
                }
                written += n
            }
            if fchmod(fd, mode) != 0 && failure == nil { failure = Self.errnoText() }
            close(fd)
            if failure == nil, renameat(dir, temporary, dir, name) != 0 { failure = Self.errnoText() }
            if let failure {
                unlinkat(dir, temporary, 0)
                throw AgentsError.ioFailed(path: path, operation: "write", reason: failure)
            }
            return !existed
        }
    }

    // MARK: Resolution

    /// Opens each of `components` as a directory below the root (creating missing ones when asked) and runs
    /// `body` with the last one's descriptor, closed afterwards.
    private func withDirectory<T>(_ components: ArraySlice<String>, path: String, create: Bool,
                                  _ body: (Int32) throws(AgentsError) -> T) throws(AgentsError) -> T {
        var current = rootFD
        defer { if current != rootFD { close(current) } }
        var walked: [String] = []
        for component in components {
            walked.append(component)
            var next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                if mkdirat(current, component, 0o755) != 0 && errno != EEXIST {
                    throw AgentsError.ioFailed(path: walked.joined(separator: "/"), operation: "create directory",
                                               reason: Self.errnoText())
                }
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                throw classifyOpenFailure(current, component, path: path, operation: "open",
                                          walked: walked.joined(separator: "/"), wantDirectory: true)
            }
            if current != rootFD { close(current) }
            current = next
        }
        return try body(current)
    }

    /// Turns a failed open/stat of `name` in `dir` into the error that says why.
    private func classifyOpenFailure(_ dir: Int32, _ name: String, path: String, operation: String,
                                     walked: String? = nil, wantDirectory: Bool = false) -> AgentsError {
        let savedErrno = errno
        let shown = walked ?? path
        // Missing when opened is missing, even if a name appeared since (renamed in between).
        if savedErrno == ENOENT { return .notFound(path: shown) }
        var st = stat()
        guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return .notFound(path: shown) }
            return .ioFailed(path: shown, operation: operation, reason: Self.errnoText())
        }
        let kind = Self.kind(of: st.st_mode)
        // O_NOFOLLOW fails with ELOOP on a link (ENOTDIR with O_DIRECTORY). When the name is a directory again by
        // the time we look, a link was swapped in and out between the open and this look: still a link refusal.
        let wasLink = savedErrno == ELOOP || (savedErrno == ENOTDIR && wantDirectory && kind == .directory)
        if wasLink { return .symlinkRefused(path: path, component: shown) }
        switch kind {
        case .symlink: return .symlinkRefused(path: path, component: shown)
        case .directory where !wantDirectory: return .isADirectory(path: shown)
        case .regular where wantDirectory: return .notADirectory(path: shown)
        case .device, .fifo, .socket: return .specialFileRefused(path: path, kind: kind.name)
        default: return .ioFailed(path: shown, operation: operation, reason: String(cString: strerror(savedErrno)))
        }
    }

    /// Throws unless `name` in `dir` is a regular file (or absent when `mustExist` is false).
    private func checkRegularOrAbsent(_ dir: Int32, _ name: String, path: String, mustExist: Bool) throws(AgentsError) {
        var st = stat()
        guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT {
                if mustExist { throw AgentsError.notFound(path: path) }
                return
            }
            throw AgentsError.ioFailed(path: path, operation: "stat", reason: Self.errnoText())
        }
        try checkRegular(st.st_mode, path: path, component: path)
    }

    private func checkRegular(_ mode: mode_t, path: String, component: String) throws(AgentsError) {
        let kind = Self.kind(of: mode)
        switch kind {
        case .regular: return
        case .symlink: throw AgentsError.symlinkRefused(path: path, component: component)
        case .directory: throw AgentsError.isADirectory(path: path)
        default: throw AgentsError.specialFileRefused(path: path, kind: kind.name)
        }
    }

    /// The entries of an open directory (the descriptor stays open), sorted by name.
    private func entries(of dir: Int32, path: String) throws(AgentsError) -> [Entry] {
        let copy = dup(dir)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw AgentsError.ioFailed(path: path.isEmpty ? "." : path, operation: "list", reason: Self.errnoText())
        }
        defer { closedir(stream) }
        var result: [Entry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name == "." || name == ".." || name.isEmpty { continue }
            var st = stat()
            guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }  // vanished meanwhile
            let kind = Self.kind(of: st.st_mode)
            let entryKind: EntryKind
            switch kind {
            case .regular: entryKind = .file
            case .directory: entryKind = .directory
            case .symlink: entryKind = .symlink
            default: entryKind = .other
            }
            result.append(Entry(name: name, kind: entryKind, size: entryKind == .file ? Int(st.st_size) : 0))
        }
        return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    // MARK: Platform details

    /// File types from `st_mode`.
    enum FileKind: Equatable {
        case regular, directory, symlink, device, fifo, socket, unknown

        var name: String {
            switch self {
            case .regular: return "regular file"
            case .directory: return "directory"
            case .symlink: return "symbolic link"
            case .device: return "device file"
            case .fifo: return "FIFO (named pipe)"
            case .socket: return "socket"
            case .unknown: return "special file"
            }
        }
    }

    static func kind(of mode: mode_t) -> FileKind {
        switch mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): return .regular
        case mode_t(S_IFDIR): return .directory
        case mode_t(S_IFLNK): return .symlink
        case mode_t(S_IFCHR), mode_t(S_IFBLK): return .device
        case mode_t(S_IFIFO): return .fifo
        case mode_t(S_IFSOCK): return .socket
        default: return .unknown
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// The libc calls whose Swift names clash with methods or need a mode argument, under one roof.
private enum Glue {
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
        #elseif canImport(Musl)
        return Musl.read(fd, buffer, count)
        #else
        return Darwin.read(fd, buffer, count)
        #endif
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
        #elseif canImport(Musl)
        return Musl.write(fd, buffer, count)
        #else
        return Darwin.write(fd, buffer, count)
        #endif
    }

    static func openat(_ dir: Int32, _ name: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
        return Glibc.openat(dir, name, flags, mode)
        #elseif canImport(Musl)
        return Musl.openat(dir, name, flags, mode)
        #else
        return Darwin.openat(dir, name, flags, mode)
        #endif
    }
}
