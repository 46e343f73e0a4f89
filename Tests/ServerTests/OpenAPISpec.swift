import Foundation
import Hummingbird
import VIACore
import Yams

/// openapi.yaml read with Yams, and a small validator for the part of JSON Schema the document uses: `$ref`,
/// `type` (one or a list, `null` included), `required`, `properties`, `additionalProperties`, `items`, `enum`,
/// `anyOf`/`oneOf`, `minimum`, `minLength`/`maxLength`, `pattern` and `format: date-time`. Every response the tests
/// receive through `call` is checked against it: the status is documented for the operation, the content type
/// matches, required headers are present and a JSON body matches the schema.
struct OpenAPISpec: @unchecked Sendable {
    static let fileURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml")
        .standardized
    static let shared: OpenAPISpec = {
        let text = (try? String(contentsOf: fileURL, encoding: .utf8)) ?? ""
        return (try? OpenAPISpec(yaml: text)) ?? OpenAPISpec(root: [:])
    }()

    let root: [String: Any]

    init(root: [String: Any]) { self.root = root }

    init(yaml: String) throws {
        guard let root = try Yams.load(yaml: yaml) as? [String: Any] else { throw SpecError.notAnObject }
        self.root = root
    }

    enum SpecError: Error { case notAnObject }

    var paths: [String: Any] { root["paths"] as? [String: Any] ?? [:] }

    /// The path template matching a concrete path (`/v1/batches/abc` → `/v1/batches/{batch_id}`).
    func template(for uri: String) -> String? {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for template in paths.keys.sorted() {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            if zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return template }
        }
        return nil
    }

    func resolve(_ node: Any?) -> [String: Any]? {
        guard let object = node as? [String: Any] else { return nil }
        guard let ref = object["$ref"] as? String else { return object }
        var current: Any? = root
        for key in ref.dropFirst(2).split(separator: "/") { current = (current as? [String: Any])?[String(key)] }
        return resolve(current)
    }

    /// Problems with one response; empty when it matches the document.
    func check(method: String, uri: String, status: Int, headers: HTTPFields, body: Data) -> [String] {
        guard let template = template(for: uri) else { return ["path \(uri) is not in openapi.yaml"] }
        guard let operation = resolve((paths[template] as? [String: Any])?[method.lowercased()]) else {
            // Undocumented methods must be refused with 405 and Allow.
            return status == 405 && headers[.allow] != nil ? [] : ["\(method) \(template) is not documented (and got \(status), not 405)"]
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let response = resolve(responses[String(status)] ?? responses["default"]) else {
            return ["status \(status) is not documented for \(method) \(template)"]
        }
        var problems: [String] = []
        for (name, header) in response["headers"] as? [String: Any] ?? [:] {
            let required = resolve(header)?["required"] as? Bool ?? false
            if required, headers[HTTPFields.Element.Name(name)!] == nil { problems.append("required header \(name) missing") }
        }
        let content = response["content"] as? [String: Any] ?? [:]
        if content.isEmpty { return problems }
        let type = (headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = resolve(content[type]) else {
            return problems + ["content type \"\(type)\" is not documented (documented: \(content.keys.sorted()))"]
        }
        guard type == "application/json" else { return problems }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else { return problems + ["body is not JSON"] }
        return problems + validate(value, media["schema"], at: "$")
    }

    /// Problems of `value` against `schema`.
    func validate(_ value: JSONValue, _ schemaNode: Any?, at path: String) -> [String] {
        guard let schema = resolve(schemaNode) else { return [] }
        for key in ["anyOf", "oneOf"] {
            if let options = schema[key] as? [Any] {
                let results = options.map { validate(value, $0, at: path) }
                let matching = results.filter(\.isEmpty).count
                if key == "oneOf" ? matching == 1 : matching >= 1 { break }
                return ["\(path): matches none of the \(key) options (\(results.flatMap { $0 }.prefix(3).joined(separator: "; ")))"]
            }
        }
        if let types = (schema["type"] as? [Any]) ?? (schema["type"].map { [$0] }) {
            let names = types.compactMap { $0 as? String }
            guard names.contains(where: { Self.matches(value, type: $0) }) else {
                return ["\(path): expected \(names.joined(separator: " or ")), found \(Self.typeName(value))"]
            }
        }
        var problems: [String] = []
        if let options = schema["enum"] as? [Any] {
            let allowed = options.compactMap { "\($0)" }
            let actual: String
            switch value {
            case let .string(text): actual = text
            case let .bool(flag): actual = "\(flag)"
            case let .number(number): actual = number == number.rounded() ? "\(Int(number))" : "\(number)"
            default: actual = "\(value)"
            }
            if !allowed.contains(actual) { problems.append("\(path): \(actual) is not one of \(allowed)") }
        }
        switch value {
        case let .object(object):
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): required property \(key) missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, item) in object {
                if let property = properties[key] {
                    problems += validate(item, property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool, !allowed { problems.append("\(path): unexpected property \(key)") }
                    else if !(additional is Bool) { problems += validate(item, additional, at: "\(path).\(key)") }
                }
            }
        case let .array(items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += validate(item, itemSchema, at: "\(path)[\(index)]") }
            }
        case let .number(number):
            if let minimum = (schema["minimum"] as? Int).map(Double.init) ?? schema["minimum"] as? Double, number < minimum {
                problems.append("\(path): \(number) is below the minimum \(minimum)")
            }
        case let .string(text):
            if let minimum = schema["minLength"] as? Int, text.count < minimum { problems.append("\(path): shorter than \(minimum)") }
            if let maximum = schema["maxLength"] as? Int, text.count > maximum { problems.append("\(path): longer than \(maximum)") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(text)\" does not match \(pattern)")
            }
            if schema["format"] as? String == "date-time", ISO8601DateFormatter().date(from: text) == nil {
                problems.append("\(path): \"\(text)\" is not an RFC 3339 date-time")
            }
        default:
            break
        }
        return problems
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number):
            return true
        case let ("integer", .number(number)): return number == number.rounded()
        default: return false
        }
    }

    static func typeName(_ value: JSONValue) -> String { value.typeName }
}
