import Rules
import Testing
import VIACore

/// Findings of one rule, configured with parameters as a rule set would give them.
func findings<R: Rule>(_ rule: R.Type, _ parameters: [String: JSONValue], _ context: RecordContext) throws -> [Finding] {
    try rule.configured(parameters: parameters.mapValues { ParameterValue($0) }).findings(context)
}

/// Findings of one rule with its default parameters.
func findings<R: Rule>(_ rule: R.Type, _ context: RecordContext) throws -> [Finding] {
    try findings(rule, [:], context)
}

extension ExampleWorld {
    /// Sets one field of a photo entry in the record JSON.
    mutating func setEntry(_ code: String, _ key: String, _ value: JSONValue) {
        guard case var .array(list) = record["photos"] ?? .null else { return }
        for index in list.indices where list[index]["code"]?.stringValue == code {
            guard case var .object(entry) = list[index] else { continue }
            if value == .null { entry.removeValue(forKey: key) } else { entry[key] = value }
            list[index] = .object(entry)
        }
        record["photos"] = .array(list)
    }

    /// Adds a photo entry with its facts copied from another code.
    mutating func addCopy(of source: String, as code: String, takenAt: String? = nil) {
        guard case var .array(list) = record["photos"] ?? .null,
              case var .object(entry)? = list.first(where: { $0["code"]?.stringValue == source }) else { return }
        entry["code"] = .string(code)
        entry["file"] = .string("photos/0001/\(code).jpg")
        if let takenAt { entry["taken_at"] = .string(takenAt) }
        list.append(.object(entry))
        record["photos"] = .array(list)
        facts[code] = facts[source]
    }

    /// Sets the brake/headlamp/sideslip measurements object.
    mutating func setMeasurements(_ value: JSONValue) { record["measurements"] = value }

    mutating func setItems(_ items: [String: String]) { record["items"] = .object(items.mapValues { .string($0) }) }
}

/// Photo facts in a test world, by code (crashes the test loudly if the code is absent).
func sha(_ world: ExampleWorld, _ code: String) -> String { world.facts[code]!.sha256! }
func phash(_ world: ExampleWorld, _ code: String) -> UInt64 { world.facts[code]!.figures!.perceptualHashValue! }
