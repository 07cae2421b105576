// Fuzz target: agent scripts (YAML with {{ }} templates, loaded by ScriptLoader over Yams/libyaml). A script
// loads, or is refused with an error that starts with the file name and a line number.
import Agents
import Foundation
import FuzzSupport

let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenworks-fuzz-script")
let loader = ScriptLoader(profiles: ProfileLibrary(directories: [directory], promptDirectories: [directory]))

runFuzzer { bytes in
    do {
        _ = try loader.parse(yaml: String(fuzzInput: bytes), file: "fuzz.yaml",
                             url: directory.appendingPathComponent("fuzz.yaml"))
    } catch {
        let message = "\(error)"
        guard message.hasPrefix("fuzz.yaml:"), message.dropFirst(10).first?.isNumber == true else {
            fuzzFailure("error without file and line: \(message)")
        }
    }
}
