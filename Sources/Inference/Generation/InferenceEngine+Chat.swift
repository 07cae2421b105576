// Chat on top of the engine: the conversation rendered with the model's own template, then tokenized with
// special-token texts recognised, exactly as llama.cpp and transformers feed a chat model.
import Foundation
import Jinja

extension InferenceEngine {
    /// ChatML, for GGUF files that carry no template (plain base models); most instruction-tuned files have one.
    public static let fallbackTemplate = """
        {% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
        """

    /// Loads the template a chat with this model uses: `override` source if given, else the GGUF's
    /// `tokenizer.chat_template`, else ChatML. BOS/EOS texts come from the vocabulary.
    static func loadChatTemplate(fileTemplate: String?, tokenizer: Tokenizer, override: String?)
        throws(InferenceError) -> ChatTemplate
    {
        let source = override ?? fileTemplate ?? fallbackTemplate
        let name = override != nil ? "override" : (fileTemplate != nil ? "tokenizer.chat_template" : "chatml-fallback")
        let bos = tokenizer.bos.map { String(decoding: tokenizer.pieceBytes($0, renderSpecial: true), as: UTF8.self) } ?? ""
        let eos = tokenizer.eos.map { String(decoding: tokenizer.pieceBytes($0, renderSpecial: true), as: UTF8.self) } ?? ""
        do {
            return try ChatTemplate(source: source, name: name, bosToken: bos, eosToken: eos)
        } catch {
            throw InferenceError.template(error.description)
        }
    }

    /// The prompt text the model sees for `messages` (what `tokenworks template render` prints).
    public func chatPrompt(messages: [ChatMessage], tools: [JinjaValue]? = nil,
                           addGenerationPrompt: Bool = true) throws(InferenceError) -> String {
        do {
            return try chatTemplate.render(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt)
        } catch {
            throw InferenceError.template(error.description)
        }
    }

    /// Token ids of the rendered conversation. The template places BOS itself (as transformers'
    /// `apply_chat_template` assumes); BOS is prepended only when the vocabulary asks for it and it is missing.
    public func chatTokens(messages: [ChatMessage], tools: [JinjaValue]? = nil,
                           addGenerationPrompt: Bool = true) throws(InferenceError) -> [TokenID] {
        let text = try chatPrompt(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt)
        var ids = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        if tokenizer.vocabulary.addBOS, let bos = tokenizer.bos, ids.first != bos { ids.insert(bos, at: 0) }
        return ids
    }
}

