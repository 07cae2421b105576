// Committed files (themes, profiles, templates, fixtures) read by tests, e.g. as mutation seeds.
import Foundation

extension TestResources {
    /// The text of a committed file, by its path from the repository root.
    public static func repositoryText(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }
}
