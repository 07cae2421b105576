// Fuzz target: theme files. A theme loads, or is refused with an error that starts with the file and line.
import Foundation
import FuzzSupport
import TUI

runFuzzer { bytes in
    do {
        _ = try ThemeLoader.parse(String(fuzzInput: bytes), file: "fuzz.yaml")
    } catch {
        let message = String(describing: error)
        guard message.hasPrefix("fuzz.yaml:"), message.dropFirst(10).first?.isNumber == true else {
            fuzzFailure("error without file and line: \(message)")
        }
    }
}
