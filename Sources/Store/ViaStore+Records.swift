import Foundation
import GRDB
import VIACore

/// Where a record stands with the reviewers.
public enum ReviewState: String, Codable, Sendable {
    /// Passed (and not sampled) or returned: no reviewer looks at it.
    case notRequired = "not_required"
    /// In the review queue (waiting or claimed by a reviewer).
    case pending
    /// A reviewer decided (and did not undo the decision).
    case decided
}

/// A reviewer's decision as the station sees it (the reviewer's name is not disclosed).
public struct StationDecision: Codable, Sendable, Equatable {
    /// `approve` or `reject`.
    public var outcome: String
    public var reasonCode: String?
    /// The reason's text from the record's rule set.
    public var reasonText: String?
    public var reasonTextZh: String?
    public var note: String?
    public var decidedAt: Date

    enum CodingKeys: String, CodingKey { case outcome, reasonCode, reasonText, reasonTextZh, note, decidedAt }

    /// Optional values are written as null, so every key is always present.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reasonCode, forKey: .reasonCode)
        try container.encode(reasonText, forKey: .reasonText)
        try container.encode(reasonTextZh, forKey: .reasonTextZh)
        try container.encode(note, forKey: .note)
        try container.encode(decidedAt, forKey: .decidedAt)
    }
}

/// The current version of one inspection record: its audit outcome and, once decided, the reviewer's decision.
public struct RecordStatusReport: Codable, Sendable, Equatable {
    public var inspectionId: String
    public var station: String
    /// The batch that carried the current version.
    public var batchId: String
    /// 1 for the first submission, higher for resubmissions.
    public var version: Int
    public var status: RecordStatus
    public var sampled: Bool
    public var ruleset: RuleSetReference?
    public var findings: [Finding]
    public var checkMs: Double
    public var receivedAt: Date
    public var review: ReviewState
    /// The latest decision on this version that was not undone.
    public var decision: StationDecision?

    enum CodingKeys: String, CodingKey {
        case inspectionId, station, batchId, version, status, sampled, ruleset, findings, checkMs, receivedAt, review, decision
    }

    /// `ruleset` and `decision` are written as null when absent, so every key is always present.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inspectionId, forKey: .inspectionId)
        try container.encode(station, forKey: .station)
        try container.encode(batchId, forKey: .batchId)
        try container.encode(version, forKey: .version)
        try container.encode(status, forKey: .status)
        try container.encode(sampled, forKey: .sampled)
        try container.encode(ruleset, forKey: .ruleset)
        try container.encode(findings, forKey: .findings)
        try container.encode(checkMs, forKey: .checkMs)
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encode(review, forKey: .review)
        try container.encode(decision, forKey: .decision)
    }
}

extension ViaStore {
    /// The current version of a station's inspection record, or nil when that station never submitted it.
    public func recordStatus(station: String, inspectionId: String) throws(StoreError) -> RecordStatusReport? {
        guard Self.isStorableText(inspectionId) else { return nil }
        return try read { db -> RecordStatusReport? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.id, b.batch_id, r.version, r.status, r.sampled, r.rule_set_sha256, s.id, r.check_ms, r.received_at,
                       q.state
                FROM record r JOIN batch b ON b.id = r.batch_row
                LEFT JOIN rule_set s ON s.sha256 = r.rule_set_sha256
                LEFT JOIN queue_item q ON q.record_row = r.id
                WHERE r.station_code = ? AND r.inspection_id = ? AND r.is_current = 1
                """, arguments: [station, inspectionId]) else { return nil }
            let id: Int64 = row[0]
            let findings = try Self.storedFindings(db, record: id)
            var decision: StationDecision?
            if let decided = try Row.fetchOne(db, sql: """
                SELECT outcome, reason_code, note, decided_at FROM decision
                WHERE record_row = ? AND undone_at IS NULL ORDER BY decided_at DESC, id DESC LIMIT 1
                """, arguments: [id]) {
                let code: String? = decided[1]
                let reason = try code.flatMap { code in try Self.reasons(db, id: id).first { $0.code == code } }
                decision = StationDecision(outcome: decided[0], reasonCode: code, reasonText: reason?.text, reasonTextZh: reason?.textZh,
                                           note: decided[2], decidedAt: Date(timeIntervalSince1970: decided[3]))
            }
            let queueState: String? = row[9]
            let review: ReviewState = decision != nil ? .decided
                : (queueState == "waiting" || queueState == "claimed") ? .pending : .notRequired
            let sha: String? = row[5]
            return RecordStatusReport(
                inspectionId: inspectionId, station: station, batchId: row[1], version: row[2],
                status: RecordStatus(rawValue: row[3]) ?? .flagged, sampled: row[4],
                ruleset: sha.map { RuleSetReference(id: (row[6] as String?) ?? "?", sha256: $0) },
                findings: findings, checkMs: row[7], receivedAt: Date(timeIntervalSince1970: row[8]), review: review,
                decision: decision)
        }
    }
}
