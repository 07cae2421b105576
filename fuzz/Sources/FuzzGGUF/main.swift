// Fuzz target: the GGUF reader. Any bytes either parse into a file whose tensors lie inside the input, or are
// refused with a GGUFError that has a message.
import FuzzSupport
import GGUF

runFuzzer { bytes in
    do throws(GGUFError) {
        let file = try GGUFFile(bytes: bytes)
        for tensor in file.tensors {
            guard file.dataOffset + tensor.offset + tensor.byteCount <= bytes.count,
                  file.unsafeTensorBytes(tensor).count == tensor.byteCount else {
                fuzzFailure("tensor \(tensor.name) reaches past the input")
            }
        }
        if file.metadataKeys.count != file.metadata.count { fuzzFailure("metadata keys and values disagree") }
    } catch {
        if error.description.isEmpty { fuzzFailure("empty error message") }
    }
}
