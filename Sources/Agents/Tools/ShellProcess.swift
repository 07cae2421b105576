// Spawning run_shell's command: its own process group (so a timeout or cancellation kills everything it
// started), stdin from /dev/null, stdout and stderr into one capped pipe. The only process code in Agents.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs one shell command to completion, timeout or cancellation.
enum ShellProcess {
    /// How a command ended and what it printed.
    struct Outcome: Sendable {
        /// The first `keptBytes` of combined stdout/stderr, as text.
        var output: String
        var keptBytes: Int
        var totalBytes: Int
        /// The exit status (0 when killed by a signal).
        var exitStatus: Int32
        /// The signal that ended it, if one did.
        var signal: Int32?
        var timedOut: Bool
    }

    /// Spawns `/bin/sh` in `directory` running `command`, and waits. A timeout kills the process group and
    /// reports `timedOut`; task cancellation kills it and throws `CancellationError`.
    static func run(command: String, directory: String, timeout: Double, outputLimit: Int) async throws -> Outcome {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            throw AgentsError.commandFailedToStart(command: command, reason: String(cString: strerror(errno)))
        }
        let (readEnd, writeEnd) = (pipeFDs[0], pipeFDs[1])
        let pid: pid_t
        do {
            pid = try spawn(command: command, directory: directory, output: writeEnd, closing: readEnd)
        } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(writeEnd)

        let killer = Task<Bool, any Error> {
            try await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
            kill(-pid, SIGKILL)
            return true
        }
        let finished = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let thread = Thread {
                    continuation.resume(returning: collect(pid: pid, readEnd: readEnd, outputLimit: outputLimit))
                }
                thread.name = "tokenworks.shell"
                thread.start()
            }
        } onCancel: {
            kill(-pid, SIGKILL)
        }
        killer.cancel()
        var outcome = finished
        outcome.timedOut = (try? await killer.value) ?? false
        if Task.isCancelled { throw CancellationError() }
        return outcome
    }

    /// Reads the pipe to its end (keeping the first `outputLimit` bytes), then reaps the process. Blocking.
    private static func collect(pid: pid_t, readEnd: Int32, outputLimit: Int) -> Outcome {
        var kept: [UInt8] = []
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                return Glibc.read(readEnd, base, raw.count)
                #elseif canImport(Musl)
                return Musl.read(readEnd, base, raw.count)
                #else
                return Darwin.read(readEnd, base, raw.count)
                #endif
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            total += n
            if kept.count < outputLimit { kept.append(contentsOf: buffer[0..<min(n, outputLimit - kept.count)]) }
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signalled = status & 0x7f
        // A cut may split a UTF-8 character; decoding repairs it with a replacement character.
        return Outcome(output: String(decoding: kept, as: UTF8.self), keptBytes: kept.count, totalBytes: total,
                       exitStatus: signalled == 0 ? (status >> 8) & 0xff : 0,
                       signal: signalled == 0 ? nil : signalled, timedOut: false)
    }

    /// posix_spawn of `/bin/sh -c 'cd -- "$1" && eval "$2"' sh DIR COMMAND` in a new process group.
    private static func spawn(command: String, directory: String, output: Int32, closing other: Int32) throws -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_addclose(&actions, output)
        posix_spawn_file_actions_addclose(&actions, other)
        // A new process group, so one kill reaches the shell and everything it started; default signal
        // dispositions, because this process ignores SIGPIPE and ignored signals survive exec.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))

        let arguments = ["/bin/sh", "-c", "cd -- \"$1\" || exit 126\neval \"$2\"", "sh", directory, command]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
        guard result == 0 else {
            throw AgentsError.commandFailedToStart(command: command, reason: String(cString: strerror(result)))
        }
        return pid
    }
}
