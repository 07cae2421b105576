// Runs a program to its end with a deadline, for end-to-end tests: posix_spawn and a polled waitpid, output
// through a temporary file, so no wait can hang a test run (Foundation's Process can, see `run`).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program run to completion (or killed at its deadline).
public enum ChildProcess {
    /// How a run ended.
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal that ended it (137 after the deadline's SIGKILL).
        public var status: Int32
        /// Standard output and error, interleaved.
        public var output: String
        /// The deadline passed and the program was killed.
        public var timedOut: Bool
    }

    /// Runs `executable` with `arguments`, `stdin` as its input (else /dev/null), in `directory`, with exactly
    /// `environment` (else ours), and waits at most `timeout` seconds (time this process spent stopped aside).
    ///
    /// Not Foundation's `Process`: on Linux it notices a child's exit when a pipe or socket the child inherited
    /// closes, so a child that leaves a process behind holding one (tmux's server) makes it wait forever. The
    /// child starts with no signal blocked and every signal at its default action: a test thread blocks most
    /// signals, and a child inheriting that mask would ignore the SIGTERM meant to stop it.
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String]? = nil, directory: URL? = nil,
                           timeout: Double) -> Result {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tw-child-" + UUID().uuidString).path
        let outputFile = base + ".out", inputFile = base + ".in"
        defer {
            unlink(outputFile)
            unlink(inputFile)
        }
        if let stdin { FileManager.default.createFile(atPath: inputFile, contents: Data(stdin.utf8)) }
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin == nil ? "/dev/null" : inputFile, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // A working directory through the shell: posix_spawn has no portable chdir action.
        var program = executable
        var argumentList = [executable] + arguments
        if let directory {
            program = "/bin/sh"
            argumentList = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory.path, executable] + arguments
        }
        let argv = argumentList.map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
            + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return Result(status: -1, output: "cannot start \(executable): error \(spawned)",
                                                timedOut: false) }
        var status: Int32 = 0
        var timedOut = false
        var deadline = PollDeadline(seconds: timeout)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { break }
            if deadline.hasPassed() {
                timedOut = true
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(10_000)
        }
        let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return Result(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: output,
                      timedOut: timedOut)
    }
}
