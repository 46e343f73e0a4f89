/// One thing a rule found about a record (SPEC §4).
public struct Finding: Codable, Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    /// The photo code concerned, if any.
    public var photo: String?
    /// The record field concerned (JSON path inside the record), if any.
    public var field: String?
    /// Says what was expected and what was found.
    public var message: String
    /// The figures behind the finding.
    public var evidence: [String: JSONValue]

    public init(rule: String, severity: Severity, photo: String? = nil, field: String? = nil, message: String,
                evidence: [String: JSONValue] = [:]) {
        self.rule = rule
        self.severity = severity
        self.photo = photo
        self.field = field
        self.message = message
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey { case rule, severity, photo, field, message, evidence }

    /// `photo` and `field` are always present (null when not applicable), as in the contract.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(severity, forKey: .severity)
        try container.encode(photo, forKey: .photo)
        try container.encode(field, forKey: .field)
        try container.encode(message, forKey: .message)
        try container.encode(evidence, forKey: .evidence)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rule = try container.decode(String.self, forKey: .rule)
        severity = try container.decode(Severity.self, forKey: .severity)
        photo = try container.decodeIfPresent(String.self, forKey: .photo)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        message = try container.decode(String.self, forKey: .message)
        evidence = try container.decodeIfPresent([String: JSONValue].self, forKey: .evidence) ?? [:]
    }
}

/// What a rule reports; the engine stamps it with the rule's id and configured severity.
public struct Violation: Sendable, Equatable {
    public var photo: String?
    public var field: String?
    public var message: String
    public var evidence: [String: JSONValue]

    public init(photo: String? = nil, field: String? = nil, message: String, evidence: [String: JSONValue] = [:]) {
        self.photo = photo
        self.field = field
        self.message = message
        self.evidence = evidence
    }
}

extension Finding: JSONWritable {
    /// Members in sorted order; `photo` and `field` as null when absent (see `encode(to:)`).
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("evidence"); JSONValue.write(evidence, to: &w)
            w.key("field")
            if let field { w.string(field) } else { w.null() }
            w.key("message"); w.string(message)
            w.key("photo")
            if let photo { w.string(photo) } else { w.null() }
            w.key("rule"); w.string(rule)
            w.key("severity"); w.string(severity.rawValue)
        }
    }
}
