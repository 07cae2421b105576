// Fuzz target: agent profile YAML (Yams' libyaml underneath). It parses, or is refused with an error that
// starts with the file name and a line number.
import Agents
import Foundation
import FuzzSupport

runFuzzer { bytes in
    do throws(AgentsError) {
        _ = try AgentProfile.parse(yaml: String(fuzzInput: bytes), file: "fuzz.yaml", defaultName: "fuzz",
                                   promptDirectories: [])
    } catch {
        let message = error.description
        guard message.hasPrefix("fuzz.yaml:"), message.dropFirst(10).first?.isNumber == true else {
            fuzzFailure("error without file and line: \(message)")
        }
    }
}
