import VIACore

extension ExampleChange {
    /// Sets (or with null, removes) a nested record value by path, e.g. "measurements.brake.axles[0].ratio".
    static func set(_ path: String, _ value: JSONValue) -> ExampleChange {
        ExampleChange("record: \(path) = \(value.compactText)") { world in
            let keys = JSONPath.components(path)
            guard let first = keys.first else { return }
            let current = world.record[first] ?? .null
            let updated = JSONPath.setting(current, Array(keys.dropFirst()), to: value)
            if updated == .null { world.record.removeValue(forKey: first) } else { world.record[first] = updated }
        }
    }
}

/// Minimal dotted JSON paths with array indices ("a.b[0].c"), for examples and nested required fields.
enum JSONPath {
    /// "a.b[0].c" → ["a", "b", "0", "c"].
    static func components(_ path: String) -> [String] {
        path.split(separator: ".").flatMap { part -> [String] in
            part.split(whereSeparator: { $0 == "[" || $0 == "]" }).map(String.init)
        }
    }

    /// The value at a path, or nil when any step is missing.
    static func value(_ root: JSONValue, _ keys: [String]) -> JSONValue? {
        var current = root
        for key in keys {
            switch current {
            case let .object(object):
                guard let next = object[key] else { return nil }
                current = next
            case let .array(list):
                guard let index = Int(key), list.indices.contains(index) else { return nil }
                current = list[index]
            default:
                return nil
            }
        }
        return current
    }

    static func setting(_ root: JSONValue, _ keys: [String], to value: JSONValue) -> JSONValue {
        guard let key = keys.first else { return value }
        let rest = Array(keys.dropFirst())
        if case var .array(list) = root, let index = Int(key), list.indices.contains(index) {
            list[index] = setting(list[index], rest, to: value)
            return .array(list)
        }
        var object = root.objectValue ?? [:]
        let updated = setting(object[key] ?? .null, rest, to: value)
        if updated == .null && rest.isEmpty { object.removeValue(forKey: key) } else { object[key] = updated }
        return .object(object)
    }
}
