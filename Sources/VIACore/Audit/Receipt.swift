/// The outcome for one record (SPEC §4).
public enum RecordStatus: String, Codable, Sendable, CaseIterable {
    /// No finding of severity warning or error: approved automatically.
    case passed
    /// A completeness problem: sent back to the station, no reviewer time spent.
    case returned
    /// Any other warning or error: goes to the review queue.
    case flagged
}

/// Decides a record's status from its findings.
public enum StatusPolicy {
    /// Rules whose findings mean the submission is incomplete and goes back to the station.
    public static let completenessRules: Set<String> = ["record.fields", "photo.missing", "photo.unreadable"]

    public static func status(for findings: [Finding]) -> RecordStatus {
        let significant = findings.filter { $0.severity >= .warning }
        if significant.isEmpty { return .passed }
        if significant.contains(where: { completenessRules.contains($0.rule) }) { return .returned }
        return .flagged
    }

    /// Findings ordered for people: errors first, then warnings, then info; stable otherwise.
    public static func ordered(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }
}

/// Which rule set judged a record, and the hash of its content.
public struct RuleSetReference: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var sha256: String

    public init(id: String, sha256: String) {
        self.id = id
        self.sha256 = sha256
    }
}

/// One record's result in a receipt.
public struct RecordResult: Codable, Sendable, Equatable {
    public var inspectionId: String
    public var status: RecordStatus
    /// Sent to review by QA sampling although it passed.
    public var sampled: Bool
    /// Nil when no rule set applied to the record.
    public var ruleset: RuleSetReference?
    public var findings: [Finding]
    /// Milliseconds spent on this record: its photos' analysis plus rule evaluation.
    public var checkMs: Double

    public init(inspectionId: String, status: RecordStatus, sampled: Bool, ruleset: RuleSetReference?,
                findings: [Finding], checkMs: Double) {
        self.inspectionId = inspectionId
        self.status = status
        self.sampled = sampled
        self.ruleset = ruleset
        self.findings = findings
        self.checkMs = checkMs
    }

    enum CodingKeys: String, CodingKey { case inspectionId, status, sampled, ruleset, findings, checkMs }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inspectionId, forKey: .inspectionId)
        try container.encode(status, forKey: .status)
        try container.encode(sampled, forKey: .sampled)
        try container.encode(ruleset, forKey: .ruleset) // null when no rule set applied
        try container.encode(findings, forKey: .findings)
        try container.encode(checkMs, forKey: .checkMs)
    }
}

public struct ReceiptSummary: Codable, Sendable, Equatable {
    public var records: Int
    public var passed: Int
    public var returned: Int
    public var flagged: Int

    public init(records: Int = 0, passed: Int = 0, returned: Int = 0, flagged: Int = 0) {
        self.records = records
        self.passed = passed
        self.returned = returned
        self.flagged = flagged
    }
}

/// What a station gets back for a batch (printed by `check` and `submit`, stored per batch).
public struct Receipt: Codable, Sendable, Equatable {
    public var batchId: String
    public var station: String
    public var records: [RecordResult]
    public var summary: ReceiptSummary

    public init(batchId: String, station: String, records: [RecordResult]) {
        self.batchId = batchId
        self.station = station
        self.records = records
        var summary = ReceiptSummary(records: records.count)
        for record in records {
            switch record.status {
            case .passed: summary.passed += 1
            case .returned: summary.returned += 1
            case .flagged: summary.flagged += 1
            }
        }
        self.summary = summary
    }
}

// Members in the order `JSONCoding`'s sorted snake_case keys put them; `JSONWriterTests` compare with `JSONEncoder`.

extension Receipt: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("batch_id"); w.string(batchId)
            w.member("records", records)
            w.key("station"); w.string(station)
            w.member("summary", summary)
        }
    }
}

extension ReceiptSummary: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("flagged"); w.int(flagged)
            w.key("passed"); w.int(passed)
            w.key("records"); w.int(records)
            w.key("returned"); w.int(returned)
        }
    }
}

extension RecordResult: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("check_ms"); w.number(checkMs)
            w.member("findings", findings)
            w.key("inspection_id"); w.string(inspectionId)
            w.key("ruleset")
            if let ruleset { ruleset.write(to: &w) } else { w.null() }
            w.member("sampled", sampled)
            w.key("status"); w.string(status.rawValue)
        }
    }
}

extension RuleSetReference: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("id"); w.string(id)
            w.key("sha256"); w.string(sha256)
        }
    }
}
