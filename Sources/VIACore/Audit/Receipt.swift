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

/// What a resubmission changed against the version it supersedes (the station fixing a returned or rejected
/// record typically replaces one photo).
public struct ResubmissionChanges: Codable, Sendable, Equatable {
    /// The version superseded.
    public var previousVersion: Int
    /// Photo codes whose file differs from the previous version's.
    public var photosReplaced: [String]
    public var photosAdded: [String]
    public var photosRemoved: [String]
    /// Top-level record fields whose value changed, was added or removed (photos aside).
    public var fieldsChanged: [String]

    public init(previousVersion: Int, photosReplaced: [String] = [], photosAdded: [String] = [], photosRemoved: [String] = [],
                fieldsChanged: [String] = []) {
        self.previousVersion = previousVersion
        self.photosReplaced = photosReplaced
        self.photosAdded = photosAdded
        self.photosRemoved = photosRemoved
        self.fieldsChanged = fieldsChanged
    }

    /// The differences between two versions of a record: photos compared by code and content hash (a code listed
    /// twice is compared as a list), fields by their JSON value.
    public static func between(previousVersion: Int, previous: JSONValue, previousPhotos: [(code: String, sha256: String?)],
                               current: JSONValue, currentPhotos: [(code: String, sha256: String?)]) -> ResubmissionChanges {
        var changes = ResubmissionChanges(previousVersion: previousVersion)
        func grouped(_ photos: [(code: String, sha256: String?)]) -> [String: [String?]] {
            photos.reduce(into: [:]) { $0[$1.code, default: []].append($1.sha256) }
        }
        let before = grouped(previousPhotos), after = grouped(currentPhotos)
        for code in Set(before.keys).union(after.keys).sorted() {
            switch (before[code], after[code]) {
            case (nil, _?): changes.photosAdded.append(code)
            case (_?, nil): changes.photosRemoved.append(code)
            case let (old?, new?) where old != new || old.contains(where: { $0 == nil }): changes.photosReplaced.append(code)
            default: break
            }
        }
        let old = previous.objectValue ?? [:], new = current.objectValue ?? [:]
        for key in Set(old.keys).union(new.keys).sorted() where key != "photos" && old[key] != new[key] {
            changes.fieldsChanged.append(key)
        }
        return changes
    }
}

/// One record's result in a receipt.
public struct RecordResult: Codable, Sendable, Equatable {
    public var inspectionId: String
    /// 1 for a first test, 2, 3 … for re-tests (SPEC §3).
    public var attempt: Int
    public var status: RecordStatus
    /// Sent to review by QA sampling although it passed.
    public var sampled: Bool
    /// Nil when no rule set applied to the record.
    public var ruleset: RuleSetReference?
    public var findings: [Finding]
    /// Milliseconds spent on this record: its photos' analysis plus rule evaluation.
    public var checkMs: Double
    /// For a resubmission: what changed against the version it supersedes; nil otherwise.
    public var changes: ResubmissionChanges?

    public init(inspectionId: String, attempt: Int = 1, status: RecordStatus, sampled: Bool, ruleset: RuleSetReference?,
                findings: [Finding], checkMs: Double, changes: ResubmissionChanges? = nil) {
        self.inspectionId = inspectionId
        self.attempt = attempt
        self.changes = changes
        self.status = status
        self.sampled = sampled
        self.ruleset = ruleset
        self.findings = findings
        self.checkMs = checkMs
    }

    enum CodingKeys: String, CodingKey { case inspectionId, attempt, status, sampled, ruleset, findings, checkMs, changes }

    /// Receipts stored before attempts existed have no `attempt` (1) and no `changes`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inspectionId = try container.decode(String.self, forKey: .inspectionId)
        attempt = try container.decodeIfPresent(Int.self, forKey: .attempt) ?? 1
        status = try container.decode(RecordStatus.self, forKey: .status)
        sampled = try container.decode(Bool.self, forKey: .sampled)
        ruleset = try container.decodeIfPresent(RuleSetReference.self, forKey: .ruleset)
        findings = try container.decode([Finding].self, forKey: .findings)
        checkMs = try container.decode(Double.self, forKey: .checkMs)
        changes = try container.decodeIfPresent(ResubmissionChanges.self, forKey: .changes)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inspectionId, forKey: .inspectionId)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(changes, forKey: .changes) // null unless a resubmission
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
            w.key("attempt"); w.int(attempt)
            w.key("changes")
            if let changes { changes.write(to: &w) } else { w.null() }
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

extension ResubmissionChanges: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("fields_changed", fieldsChanged)
            w.member("photos_added", photosAdded)
            w.member("photos_removed", photosRemoved)
            w.member("photos_replaced", photosReplaced)
            w.key("previous_version"); w.int(previousVersion)
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
