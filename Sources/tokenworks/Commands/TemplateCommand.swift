// `tokenworks template render`: prints the exact prompt a chat template makes of a conversation, to check what
// a model will see (and compare with transformers' apply_chat_template).
import ArgumentParser
import Foundation
import GGUF
import Inference
import Jinja

struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Work with chat templates.",
        subcommands: [Render.self])

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a conversation with a chat template and print exactly the resulting prompt.",
            discussion: """
                The template comes from a file (--template) or from a GGUF model's tokenizer.chat_template \
                (--model, which also supplies the BOS/EOS texts). --messages is a JSON array of OpenAI-style \
                messages (or an object with "messages" and optionally "tools"); tool-call arguments may be objects \
                or JSON strings. The output has no newline added. When the template calls raise_exception, its \
                message goes to stderr and the exit status is 1.
                """)

        @Option(name: .long, help: "A Jinja chat template file.")
        var template: String?
        @Option(name: .long, help: "A GGUF model whose tokenizer.chat_template to use.")
        var model: String?
        @Option(name: .long, help: "JSON file with the messages.")
        var messages: String
        @Option(name: .long, help: "JSON file with the tools (an array of OpenAI function definitions).")
        var tools: String?
        @Option(name: .long, help: "The BOS text (default: the model's BOS token, or empty).")
        var bos: String?
        @Option(name: .long, help: "The EOS text (default: the model's EOS token, or empty).")
        var eos: String?
        @Option(name: .customLong("var"), help: ArgumentHelp("Extra template variable NAME=VALUE (VALUE is JSON, "
            + "or else a string), e.g. --var enable_thinking=false.", valueName: "NAME=VALUE"))
        var variables: [String] = []
        @Flag(name: .customLong("no-generation-prompt"), help: "Do not end with the assistant header.")
        var noGenerationPrompt = false

        func validate() throws {
            if (template == nil) == (model == nil) {
                throw ValidationError("give exactly one of --template FILE or --model GGUF")
            }
        }

        func run() async throws {
            do {
                let chatTemplate = try loadTemplate()
                let (conversation, fileTools) = try readConversation()
                var toolList = fileTools
                if let tools { toolList = try readTools(tools) }
                var extra: [String: JinjaValue] = [:]
                for assignment in variables {
                    guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
                        throw CLIError.message("--var expects NAME=VALUE, got \(assignment)")
                    }
                    let text = String(assignment[assignment.index(after: eq)...])
                    extra[String(assignment[..<eq])] = (try? JinjaValue(json: text)) ?? .string(text)
                }
                let text = try chatTemplate.render(messages: conversation, tools: toolList,
                                                   addGenerationPrompt: !noGenerationPrompt, extra: extra)
                FileHandle.standardOutput.write(Data(text.utf8))
            } catch {
                printError(error)
                throw ExitCode.failure
            }
        }

        private func loadTemplate() throws -> ChatTemplate {
            if let template {
                let source = try readText(template)
                return try ChatTemplate(source: source, name: URL(fileURLWithPath: template).lastPathComponent,
                                        bosToken: bos ?? "", eosToken: eos ?? "")
            }
            let path = model ?? Paths.defaultModel
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError.modelNotFound(path) }
            let file = try GGUFFile(path: path)
            guard let source = try file.optionalString("tokenizer.chat_template") else {
                throw CLIError.message("\(path) has no tokenizer.chat_template: pass --template FILE instead")
            }
            let tokens = try file.optionalStringArray("tokenizer.ggml.tokens") ?? []
            func token(_ key: String) throws -> String {
                guard let id = try file.optionalInt(key), id >= 0, id < tokens.count else { return "" }
                return tokens[id]
            }
            return try ChatTemplate(source: source, name: URL(fileURLWithPath: path).lastPathComponent,
                                    bosToken: try bos ?? token("tokenizer.ggml.bos_token_id"),
                                    eosToken: try eos ?? token("tokenizer.ggml.eos_token_id"))
        }

        private func readConversation() throws -> ([ChatMessage], [JinjaValue]?) {
            let value = try readJSON(messages)
            var list: [JinjaValue]
            var tools: [JinjaValue]? = nil
            switch value {
            case .array(let items):
                list = items
            case .object(let object):
                guard case .array(let items)? = object["messages"] else {
                    throw CLIError.invalidJSON(file: messages, detail: "expected an array of messages or {\"messages\": [...]}")
                }
                list = items
                if case .array(let t)? = object["tools"] { tools = t }
            default:
                throw CLIError.invalidJSON(file: messages, detail: "expected an array of messages")
            }
            var conversation: [ChatMessage] = []
            for (i, item) in list.enumerated() { conversation.append(try ChatMessage(openAI: item, index: i)) }
            return (conversation, tools)
        }

        private func readTools(_ path: String) throws -> [JinjaValue] {
            guard case .array(let items) = try readJSON(path) else {
                throw CLIError.invalidJSON(file: path, detail: "expected an array of tool definitions")
            }
            return items
        }

        private func readJSON(_ path: String) throws -> JinjaValue {
            let text = try readText(path)
            do {
                return try JinjaValue(json: text)
            } catch {
                throw CLIError.invalidJSON(file: path, detail: error.description)
            }
        }

        private func readText(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError.unreadableFile(path, "no such file or not readable")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
