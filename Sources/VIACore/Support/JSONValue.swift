import Foundation

/// Any JSON value. Used for evidence, for unknown record fields kept verbatim, and for lenient batch parsing
/// (a wrong type inside one record must become a finding, not a refused batch).
public enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value):
            // Whole numbers print without a fraction (71 not 71.0), like the station sent them.
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// The JSON type name, for messages ("expected a string, found number").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var stringValue: String? { if case let .string(value) = self { return value } else { return nil } }
    public var numberValue: Double? { if case let .number(value) = self { return value } else { return nil } }
    public var objectValue: [String: JSONValue]? { if case let .object(value) = self { return value } else { return nil } }
    public var arrayValue: [JSONValue]? { if case let .array(value) = self { return value } else { return nil } }

    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public init(_ value: Int) { self = .number(Double(value)) }
    public init(_ value: Double) { self = .number(value) }
    public init(_ value: String) { self = .string(value) }
    public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
    public init(_ value: [String]) { self = .array(value.map { .string($0) }) }

    /// Compact, key-sorted JSON text.
    public var compactText: String { jsonText ?? "null" }
}

extension JSONValue: JSONWritable {
    /// As `encode(to:)`: whole numbers without a fraction, object keys sorted and never case-converted.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case let .bool(value): writer.bool(value)
        case let .number(value):
            if value == value.rounded(), abs(value) < 1e15 { writer.int64(Int64(value)) } else { writer.number(value) }
        case let .string(value): writer.string(value)
        case let .array(values): writer.array(values) { $1.write(to: &$0) }
        case let .object(members): Self.write(members, to: &writer)
        }
    }

    /// An object of members, keys in the order `JSONEncoder`'s `.sortedKeys` gives (by Unicode scalars).
    public static func write(_ members: [String: JSONValue], to writer: inout JSONWriter) {
        writer.object { w in
            for (key, value) in members.sorted(by: { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }) {
                w.key(key)
                value.write(to: &w)
            }
        }
    }
}
