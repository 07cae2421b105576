// Typed reads of a request's JSON fields: every wrong type or range is a 400 that names the field.
import Agents

/// The fields of one JSON object in a request body, read with errors that name the field's path.
struct RequestFields {
    let object: JSONObject
    /// The path of this object in the request ("" for the body, `messages[1]` …).
    let path: String

    /// The body of a request: it must be one JSON object.
    static func body(_ text: String) throws(ServerError) -> RequestFields {
        let value: JSON
        do {
            value = try JSON(parsing: text)
        } catch {
            throw ServerError.malformedJSON(problem: error.description)
        }
        guard case .object(let object) = value else {
            throw ServerError.malformedJSON(problem: "the body must be a JSON object, found \(value.typeDescription)")
        }
        return RequestFields(object: object, path: "")
    }

    func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func invalid(_ key: String, _ problem: String) -> ServerError { .invalidField(field: name(key), problem: problem) }

    /// The value of `key`; JSON null counts as absent, as OpenAI clients send null for unset options.
    func value(_ key: String) -> JSON? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ServerError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { throw invalid(key, "must be a string, found \(value.typeDescription)") }
        return text
    }

    func bool(_ key: String) throws(ServerError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else { throw invalid(key, "must be true or false, found \(value.typeDescription)") }
        return flag
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ServerError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.intValue else {
            throw invalid(key, "must be an integer, found \(value.numberValue.map { JSON.number($0).text } ?? value.typeDescription)")
        }
        guard range.contains(number) else {
            throw invalid(key, "must be from \(range.lowerBound) to \(range.upperBound), found \(number)")
        }
        return number
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(ServerError) -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.numberValue else { throw invalid(key, "must be a number, found \(value.typeDescription)") }
        guard range.contains(number) else {
            throw invalid(key, "must be from \(JSON.number(range.lowerBound).text) to \(JSON.number(range.upperBound).text), "
                          + "found \(JSON.number(number).text)")
        }
        return number
    }

    func object(_ key: String) throws(ServerError) -> RequestFields? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw invalid(key, "must be an object, found \(value.typeDescription)") }
        return RequestFields(object: object, path: name(key))
    }

    func array(_ key: String) throws(ServerError) -> [JSON]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw invalid(key, "must be an array, found \(value.typeDescription)") }
        return items
    }

    /// `stop`: one string or an array of up to 16 non-empty strings.
    func stopSequences(_ key: String = "stop") throws(ServerError) -> [String] {
        guard let value = value(key) else { return [] }
        switch value {
        case .string(let s): return s.isEmpty ? [] : [s]
        case .array(let items):
            guard items.count <= 16 else { throw invalid(key, "may hold at most 16 strings, found \(items.count)") }
            var result: [String] = []
            for (i, item) in items.enumerated() {
                guard let s = item.stringValue else {
                    throw ServerError.invalidField(field: name(key) + "[\(i)]", problem: "must be a string, found \(item.typeDescription)")
                }
                if !s.isEmpty { result.append(s) }
            }
            return result
        default:
            throw invalid(key, "must be a string or an array of strings, found \(value.typeDescription)")
        }
    }
}
