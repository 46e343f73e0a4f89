/// A parameter value from a rule set, with the line it came from (for precise errors).
public struct ParameterValue: Sendable, Equatable {
    public var value: JSONValue
    public var line: Int?

    public init(_ value: JSONValue, line: Int? = nil) {
        self.value = value
        self.line = line
    }
}

/// A parameter that cannot be used: wrong type, out of range, or unknown.
public struct RuleParameterError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var line: Int?
    public var message: String

    public init(key: String, line: Int?, message: String) {
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}

/// One documented parameter of a rule: key, type, default and meaning.
public struct ParameterDescription: Sendable, Equatable, Codable {
    public var key: String
    public var type: String
    public var defaultValue: JSONValue
    public var help: String
}

/// Typed access to a rule's parameters. Each read marks its key as known, so whatever is left unread is an
/// unknown key and can be reported with its line. In describing mode it records every parameter instead.
public struct RuleParameters: Sendable {
    private let values: [String: ParameterValue]
    private let describing: Bool
    public private(set) var consumed: Set<String> = []
    public private(set) var descriptions: [ParameterDescription] = []

    public init(_ values: [String: ParameterValue] = [:]) {
        self.values = values
        describing = false
    }

    public init(plain values: [String: JSONValue]) {
        self.init(values.mapValues { ParameterValue($0) })
    }

    /// A collector that documents each parameter as the configuration reads it.
    public static func describing() -> RuleParameters { RuleParameters(describingOnly: ()) }

    private init(describingOnly: ()) {
        values = [:]
        describing = true
    }

    /// Keys that no read asked for, with their lines.
    public var unknownKeys: [(key: String, line: Int?)] {
        values.filter { !consumed.contains($0.key) }.map { ($0.key, $0.value.line) }.sorted { $0.key < $1.key }
    }

    private mutating func take(_ key: String, type: String, current: JSONValue, help: String) -> ParameterValue? {
        consumed.insert(key)
        if describing { descriptions.append(ParameterDescription(key: key, type: type, defaultValue: current, help: help)) }
        return values[key]
    }

    private func failure(_ key: String, _ found: ParameterValue, _ expected: String) -> RuleParameterError {
        RuleParameterError(key: key, line: found.line,
                           message: "expected \(expected), found \(found.value.typeName) \(found.value.compactText)")
    }

    public mutating func double(_ key: String, _ current: Double, _ help: String,
                                in range: ClosedRange<Double>? = nil) throws(RuleParameterError) -> Double {
        guard let found = take(key, type: "number", current: .number(current), help: help) else { return current }
        guard case let .number(value) = found.value else { throw failure(key, found, "a number") }
        if let range, !range.contains(value) {
            throw RuleParameterError(key: key, line: found.line, message: "must lie in \(range.lowerBound)...\(range.upperBound), found \(value)")
        }
        return value
    }

    public mutating func int(_ key: String, _ current: Int, _ help: String,
                             in range: ClosedRange<Int>? = nil) throws(RuleParameterError) -> Int {
        guard let found = take(key, type: "integer", current: .number(Double(current)), help: help) else { return current }
        guard case let .number(value) = found.value, value == value.rounded(), abs(value) < 1e15 else {
            throw failure(key, found, "an integer")
        }
        if let range, !range.contains(Int(value)) {
            throw RuleParameterError(key: key, line: found.line, message: "must lie in \(range.lowerBound)...\(range.upperBound), found \(Int(value))")
        }
        return Int(value)
    }

    public mutating func bool(_ key: String, _ current: Bool, _ help: String) throws(RuleParameterError) -> Bool {
        guard let found = take(key, type: "boolean", current: .bool(current), help: help) else { return current }
        guard case let .bool(value) = found.value else { throw failure(key, found, "true or false") }
        return value
    }

    public mutating func string(_ key: String, _ current: String, _ help: String,
                                oneOf choices: [String]? = nil) throws(RuleParameterError) -> String {
        guard let found = take(key, type: "string", current: .string(current), help: help) else { return current }
        guard case let .string(value) = found.value else { throw failure(key, found, "a string") }
        if let choices, !choices.contains(value) {
            throw RuleParameterError(key: key, line: found.line,
                                     message: "must be one of \(choices.joined(separator: ", ")), found \"\(value)\"")
        }
        return value
    }

    public mutating func strings(_ key: String, _ current: [String], _ help: String) throws(RuleParameterError) -> [String] {
        guard let found = take(key, type: "list of strings", current: JSONValue(current), help: help) else { return current }
        guard case let .array(items) = found.value else { throw failure(key, found, "a list of strings") }
        var result: [String] = []
        for item in items {
            guard case let .string(text) = item else { throw failure(key, ParameterValue(item, line: found.line), "a string in the list") }
            result.append(text)
        }
        return result
    }

    /// A list of objects (e.g. per-code-group settings) whose keys must be among `keys`; values are checked by the
    /// caller, which reports problems against this parameter's line.
    public mutating func objects(_ key: String, _ current: [[String: JSONValue]], _ help: String,
                                 keys: [String]) throws(RuleParameterError) -> [[String: JSONValue]] {
        let currentValue = JSONValue.array(current.map { JSONValue.object($0) })
        guard let found = take(key, type: "list of objects (\(keys.joined(separator: ", ")))", current: currentValue, help: help) else {
            return current
        }
        guard case let .array(items) = found.value else { throw failure(key, found, "a list of objects") }
        var result: [[String: JSONValue]] = []
        for (position, item) in items.enumerated() {
            guard case let .object(object) = item else { throw failure(key, ParameterValue(item, line: found.line), "an object in the list") }
            if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
                throw RuleParameterError(key: key, line: found.line,
                                         message: "item \(position + 1): unknown key \"\(unknown)\"; known: \(keys.joined(separator: ", "))")
            }
            result.append(object)
        }
        return result
    }

    /// A list of pairs written as two-element lists, e.g. [["0344", "0342"], ["0341", "0343"]].
    public mutating func pairs(_ key: String, _ current: [[String]], _ help: String) throws(RuleParameterError) -> [[String]] {
        let currentValue = JSONValue.array(current.map { JSONValue($0) })
        guard let found = take(key, type: "list of [before, after] pairs", current: currentValue, help: help) else { return current }
        guard case let .array(items) = found.value else { throw failure(key, found, "a list of [before, after] pairs") }
        var result: [[String]] = []
        for item in items {
            guard case let .array(pair) = item, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue else {
                throw failure(key, ParameterValue(item, line: found.line), "a pair of two photo codes")
            }
            result.append([a, b])
        }
        return result
    }
}
