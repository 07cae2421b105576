// Where agent profiles and system prompts are found: the user's config folder first, then the project's
// prompts/ folder (found from the working directory or next to the executable), then the built-in default.
import Foundation

/// The agent profiles a user can run, by name (the file name without .yaml).
public struct ProfileLibrary: Sendable {
    /// Folders of `*.yaml` profiles, searched in order; the first file with a name wins.
    public var directories: [URL]
    /// Folders `prompt:` names are looked up in.
    public var promptDirectories: [URL]

    public init(directories: [URL], promptDirectories: [URL]) {
        self.directories = directories
        self.promptDirectories = promptDirectories
    }

    /// ~/.config/tokenworks/agents (XDG respected), then `<prompts>/agents` where `<prompts>` is
    /// $TOKENWORKS_PROMPTS, else the nearest `prompts/` folder above the working directory, else one above
    /// the executable (a build tree inside the repository).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                executable: URL? = Bundle.main.executableURL) -> ProfileLibrary {
        let config: URL
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            config = URL(fileURLWithPath: xdg).appendingPathComponent("tokenworks")
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            config = home.appendingPathComponent(".config/tokenworks")
        }
        var directories = [config.appendingPathComponent("agents")]
        var prompts = [config.appendingPathComponent("prompts"), config.appendingPathComponent("agents")]
        if let root = promptsRoot(environment: environment, currentDirectory: currentDirectory, executable: executable) {
            directories.append(root.appendingPathComponent("agents"))
            prompts += [root, root.appendingPathComponent("system")]
        }
        return ProfileLibrary(directories: directories, promptDirectories: prompts)
    }

    /// The project's prompts folder, if one can be found.
    public static func promptsRoot(environment: [String: String], currentDirectory: URL, executable: URL?) -> URL? {
        if let explicit = environment["TOKENWORKS_PROMPTS"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        for start in [currentDirectory, executable?.deletingLastPathComponent()].compactMap({ $0 }) {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent("prompts/agents")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    return directory.appendingPathComponent("prompts")
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    /// Profile names available, sorted.
    public func names() -> [String] {
        var names = Set<String>()
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                names.insert(String(file.prefix(upTo: file.lastIndex(of: ".") ?? file.endIndex)))
            }
        }
        if names.isEmpty { names.insert(AgentProfile.builtinDefault.name) }
        return names.sorted()
    }

    /// The profile called `name`. "default" falls back to the built-in profile when no file defines it.
    public func profile(named name: String) throws(AgentsError) -> AgentProfile {
        var searched: [String] = []
        for directory in directories {
            for ext in ["yaml", "yml"] {
                let url = directory.appendingPathComponent("\(name).\(ext)")
                searched.append(url.path)
                if FileManager.default.fileExists(atPath: url.path) {
                    return try AgentProfile.load(from: url, promptDirectories: promptDirectories)
                }
            }
        }
        if name == AgentProfile.builtinDefault.name { return AgentProfile.builtinDefault }
        throw AgentsError.profileNotFound(name: name, searched: directories.map(\.path), available: names())
    }
}

extension AgentProfile {
    /// The profile used when no prompts folder can be found: every read-only tool, the calculator, a short prompt.
    public static let builtinDefault = AgentProfile(
        name: "default", summary: "General assistant that reads files and computes.",
        systemPrompt: "You are a careful assistant working in a folder of files. Use a tool when you need "
            + "facts from the files or exact arithmetic, then answer briefly.",
        tools: ["read_file", "list_dir", "search_text", "calculator"])
}
