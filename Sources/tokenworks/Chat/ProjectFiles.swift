// Finds the files Tokenworks ships beside its sources (the price sheet, themes) when the user has not copied
// them into ~/.config: above the working folder first, then above the executable (a build inside the checkout).
import Foundation
import Ledger

/// Locations of shipped data files.
enum ProjectFiles {
    /// The nearest folder at or above the working folder or the executable that holds `relative`.
    static func locate(_ relative: String, executable: URL? = Bundle.main.executableURL) -> URL? {
        let starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      executable?.resolvingSymlinksInPath().deletingLastPathComponent()].compactMap { $0 }
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    /// The price sheet: the usual places (`PriceSheet.loadDefault`), else the checkout's pricing/prices.yaml.
    static func priceSheet() -> (PriceSheet?, String?) {
        do {
            return (try PriceSheet.loadDefault(), nil)
        } catch let notFound {
            guard let url = locate("pricing/prices.yaml") else { return (nil, notFound.description) }
            do { return (try PriceSheet.load(from: url), nil) } catch { return (nil, error.description) }
        }
    }

    /// Theme folders: the standard ones, then the checkout's themes/.
    static func themeDirectories(standard: [String]) -> [String] {
        guard let themes = locate("themes/dark.yaml")?.deletingLastPathComponent().path,
              !standard.contains(themes) else { return standard }
        return standard + [themes]
    }
}
