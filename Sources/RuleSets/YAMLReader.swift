import Foundation
import VIACore
import Yams

/// A value read from YAML together with the line it came from.
struct Located<Value> {
    var value: Value
    var line: Int
}

extension Located: Sendable where Value: Sendable {}

/// Reads one YAML file's node tree, collecting a diagnostic (with file and line) for every problem instead of
/// stopping at the first. Every accessor returns nil when the value is unusable, after reporting why.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, message: message))
    }

    // MARK: Parsing

    /// Composes the text into a node tree; a syntax error becomes a diagnostic at the line YAML reports.
    mutating func compose(_ text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                error(1, "the file is empty; expected a mapping")
                return nil
            }
            return node
        } catch let yamlError as YamlError {
            let (line, message) = Self.describe(yamlError)
            error(line, message)
            return nil
        } catch {
            self.error(1, "YAML syntax error: \(error)")
            return nil
        }
    }

    static func describe(_ error: YamlError) -> (line: Int?, message: String) {
        func text(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return "YAML syntax error: \(problem)" }
            return "YAML syntax error: \(problem) (\(context.text) at line \(context.mark.line))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return (mark.line, text(problem, context))
        case let .reader(problem, offset, _, yaml):
            var line: Int?
            if let offset {
                let prefix = yaml.utf8.prefix(offset)
                line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            }
            return (line, "YAML syntax error: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return (context.mark.line, "YAML error: key \(keys) appears more than once in the same mapping")
        case .dataCouldNotBeDecoded:
            return (nil, "the file is not valid UTF-8 text")
        default:
            return (nil, "YAML error: \(error)")
        }
    }

    // MARK: Shapes

    static func line(_ node: Node, default fallback: Int = 1) -> Int { node.mark?.line ?? fallback }

    /// "a list", "a mapping", "null", "boolean true", "number 12", "string \"x\"".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .alias(alias): return "alias *\(alias.anchor.rawValue)"
        case let .scalar(scalar):
            switch ScalarValue(scalar) {
            case .null: return "null"
            case let .bool(value): return "boolean \(value)"
            case .number: return "number \(scalar.string)"
            case let .string(text): return "string \"\(text)\""
            }
        }
    }

    /// The entries of a mapping, with string keys; reports when the node is not a mapping.
    mutating func mapping(_ node: Node, _ what: String) -> [(key: String, line: Int, value: Node)]? {
        guard case let .mapping(mapping) = node else {
            error(Self.line(node), "\(what): expected a mapping, found \(Self.describe(node))")
            return nil
        }
        var entries: [(key: String, line: Int, value: Node)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                error(Self.line(key), "\(what): keys must be plain strings, found \(Self.describe(key))")
                continue
            }
            entries.append((scalar.string, Self.line(key), value))
        }
        return entries
    }

    /// Reports keys that are not allowed, naming the allowed ones; returns the allowed entries by key.
    mutating func checkKeys(_ entries: [(key: String, line: Int, value: Node)], allowed: [String],
                            in what: String) -> [String: (line: Int, value: Node)] {
        var result: [String: (line: Int, value: Node)] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                result[entry.key] = (entry.line, entry.value)
            } else {
                error(entry.line, "unknown key \"\(entry.key)\" in \(what); allowed keys: \(allowed.joined(separator: ", "))")
            }
        }
        return result
    }

    mutating func list(_ node: Node, _ what: String) -> [Node]? {
        guard case let .sequence(sequence) = node else {
            error(Self.line(node), "\(what): expected a list, found \(Self.describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A string. Plain scalars that look like numbers or dates are read as written ("0111" stays "0111");
    /// null and booleans are refused (quote them).
    mutating func string(_ node: Node, _ what: String) -> String? {
        if case let .scalar(scalar) = node {
            switch ScalarValue(scalar) {
            case .string, .number: return scalar.string
            case .null, .bool: break
            }
        }
        error(Self.line(node), "\(what): expected a string, found \(Self.describe(node))")
        return nil
    }

    mutating func strings(_ node: Node, _ what: String) -> [Located<String>]? {
        guard let items = list(node, what) else { return nil }
        var result: [Located<String>] = []
        var ok = true
        for item in items {
            if let text = string(item, "\(what) item") { result.append(Located(value: text, line: Self.line(item))) } else { ok = false }
        }
        return ok ? result : nil
    }

    mutating func number(_ node: Node, _ what: String) -> Double? {
        if case let .scalar(scalar) = node, case let .number(value) = ScalarValue(scalar) { return value }
        error(Self.line(node), "\(what): expected a number, found \(Self.describe(node))")
        return nil
    }

    mutating func integer(_ node: Node, _ what: String) -> Int? {
        if case let .scalar(scalar) = node, case let .number(value) = ScalarValue(scalar), value == value.rounded(),
           abs(value) < 1e15 {
            return Int(value)
        }
        error(Self.line(node), "\(what): expected an integer, found \(Self.describe(node))")
        return nil
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        if case let .scalar(scalar) = node, case let .bool(value) = ScalarValue(scalar) { return value }
        error(Self.line(node), "\(what): expected true or false, found \(Self.describe(node))")
        return nil
    }

    /// Any YAML value as JSON (for rule parameters, which the rules type-check themselves).
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case let .scalar(scalar):
            switch ScalarValue(scalar) {
            case .null: return .null
            case let .bool(value): return .bool(value)
            case let .number(value): return .number(value)
            case let .string(text): return .string(text)
            }
        case let .sequence(sequence):
            return .array(sequence.map(json))
        case let .mapping(mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.scalar?.string ?? "\(key)"] = json(value) }
            return .object(object)
        case .alias:
            return .null
        }
    }
}

/// A YAML scalar by its resolved tag.
enum ScalarValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    init(_ scalar: Node.Scalar) {
        let node = Node.scalar(scalar)
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue:
            self = .null
        case Tag.Name.bool.rawValue:
            self = node.bool.map { .bool($0) } ?? .string(scalar.string)
        case Tag.Name.int.rawValue:
            if let value = node.int { self = .number(Double(value)) } else if let value = node.float { self = .number(value) } else {
                self = .string(scalar.string)
            }
        case Tag.Name.float.rawValue:
            self = node.float.map { .number($0) } ?? .string(scalar.string)
        default:
            self = .string(scalar.string)
        }
    }
}
