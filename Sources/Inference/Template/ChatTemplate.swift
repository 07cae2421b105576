// Renders a conversation with a model's chat template exactly as Hugging Face transformers would
// (tokenizer.apply_chat_template), so the prompt the model sees is the one it was trained on.
import Foundation
import Jinja

/// A model's chat template (from the GGUF's `tokenizer.chat_template`, or a user override file under
/// `prompts/templates/`) bound to the model's BOS/EOS texts.
///
/// The context follows transformers' `apply_chat_template`: `messages`, `tools` (only when tools are given, as
/// llama.cpp does — transformers would pass `None`), `add_generation_prompt`, `bos_token`, `eos_token`, then
/// `extra` (which may override any of them, e.g. `enable_thinking`).
///
/// ```swift
/// let template = try ChatTemplate(source: source, name: "SmolLM2", bosToken: "<|im_start|>", eosToken: "<|im_end|>")
/// let prompt = try template.render(messages: [.system("Be brief."), .user("Hi")])
/// ```
public struct ChatTemplate: Sendable {
    public let name: String
    public let bosToken: String
    public let eosToken: String
    private let template: Template

    /// Parses the template source.
    ///
    /// - Throws: ``TemplateError`` with the template's name, line and column when the source is not valid Jinja.
    public init(source: String, name: String, bosToken: String, eosToken: String) throws(TemplateError) {
        self.template = try Template(source, name: name)
        self.name = name
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// The prompt text for `messages`, ending with the assistant header when `addGenerationPrompt` is set.
    ///
    /// - Throws: ``TemplateError/raised(_:)`` when the template rejects the conversation (`raise_exception`, e.g.
    ///   "Conversation roles must alternate user/assistant/user/assistant/..."), other ``TemplateError`` cases
    ///   when rendering fails.
    public func render(messages: [ChatMessage], tools: [JinjaValue]? = nil, addGenerationPrompt: Bool = true,
                       extra: [String: JinjaValue] = [:], now: Date = Date()) throws(TemplateError) -> String
    {
        try template.render(context(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt,
                                    extra: extra), now: now)
    }

    /// Renders a ready-made context (see ``context(messages:tools:addGenerationPrompt:extra:)``).
    public func render(context: [String: JinjaValue], now: Date = Date()) throws(TemplateError) -> String {
        try template.render(context, now: now)
    }

    /// The variables the template sees, as transformers builds them.
    public func context(messages: [ChatMessage], tools: [JinjaValue]? = nil, addGenerationPrompt: Bool = true,
                        extra: [String: JinjaValue] = [:]) -> [String: JinjaValue]
    {
        var context: [String: JinjaValue] = [
            "messages": .array(messages.map(\.jinjaValue)),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
        ]
        if let tools { context["tools"] = .array(tools) }
        for (key, value) in extra { context[key] = value }
        return context
    }
}
