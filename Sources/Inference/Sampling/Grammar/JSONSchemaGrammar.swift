// JSON Schema → Grammar: the constraint that makes even a tiny model emit JSON of the right shape (tool calls,
// `--json-schema`). Properties come out in schema order; whitespace is at most one space where JSON allows it,
// because small models otherwise loop on whitespace; strings and numbers have length guards for the same reason.

/// Converts a JSON schema into a grammar over its JSON text.
///
/// Supported: `type` (one or a list, so `["string", "null"]` is nullable), `nullable`, `properties` (in schema
/// order), `required`, `additionalProperties` (false unless given), `items`, `minItems`, `maxItems`, `enum`,
/// `const`, `anyOf`, `oneOf` (as anyOf), `allOf` with one member, `$ref` into `$defs`/`definitions`, string
/// `minLength`/`maxLength`, string `pattern` (the ECMA-262 regex subset of `RegexParser`; unanchored sides match
/// anything, as in JSON Schema) and `format` (`date`, `time`, `date-time`, `uuid`, as exact fixed patterns),
/// integer `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`. Annotations
/// (`title`, `description`, `default`, `examples`, …) are ignored. Anything else is an error naming the keyword
/// and its JSON path, never silently dropped: a constraint that is looser than the schema would let invalid
/// output through.
public enum JSONSchemaGrammar {
    /// Guards that bound what the schema leaves open.
    public struct Options: Sendable, Equatable {
        /// The longest string (in characters) when the schema gives no `maxLength`.
        public var maxStringLength: Int
        /// The most digits in an integer part, a fraction and an exponent.
        public var maxIntegerDigits: Int

        public init(maxStringLength: Int = 512, maxIntegerDigits: Int = 16) {
            self.maxStringLength = maxStringLength
            self.maxIntegerDigits = maxIntegerDigits
        }
    }

    /// The grammar of JSON text valid against the schema given as JSON text.
    public static func grammar(schemaJSON: String, options: Options = Options()) throws(GrammarError) -> Grammar {
        try grammar(schema: OrderedJSON.parse(schemaJSON), options: options)
    }

    /// The grammar of JSON text valid against the schema.
    public static func grammar(schema: OrderedJSON, options: Options = Options()) throws(GrammarError) -> Grammar {
        try builder(schema: schema, options: options).build(root: "root")
    }

    /// The rules (start rule `root`), for callers that add rules around the JSON (e.g. a tool-call wrapper).
    public static func builder(schema: OrderedJSON, options: Options = Options()) throws(GrammarError)
        -> GrammarBuilder {
        var converter = SchemaConverter(root: schema, options: options)
        let expression = try converter.expression(for: schema, path: "$", name: "root")
        converter.builder.define("root", expression)
        return converter.builder
    }

    /// A schema for one call of any of `tools`: `{"name": <tool name>, "arguments": <its parameters>}`, one
    /// alternative per tool so that each name only admits its own arguments.
    public static func toolCallSchema(tools: [(name: String, parameters: OrderedJSON)]) -> OrderedJSON {
        let alternatives = tools.map { tool -> OrderedJSON in
            .object([
                .init(key: "type", value: .string("object")),
                .init(key: "properties", value: .object([
                    .init(key: "name", value: .object([.init(key: "const", value: .string(tool.name))])),
                    .init(key: "arguments", value: tool.parameters),
                ])),
                .init(key: "required", value: .array([.string("name"), .string("arguments")])),
            ])
        }
        return alternatives.count == 1 ? alternatives[0] : .object([.init(key: "anyOf", value: .array(alternatives))])
    }
}
