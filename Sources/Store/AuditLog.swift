import Crypto
import Foundation
import GRDB
import VIACore

/// One entry of the append-only, hash-chained audit log.
public struct AuditEntry: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "audit_log"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var seq: Int64
    /// Unix seconds.
    public var at: Double
    public var actor: String
    public var action: String
    public var subject: String?
    /// Compact JSON.
    public var detail: String
    public var prevHash: String
    public var hash: String

    public enum Columns {
        public static let seq = Column("seq")
    }

    /// The hash of the first entry's predecessor.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the previous hash and every field of the entry, in a fixed, unambiguous layout.
    public static func computeHash(seq: Int64, at: Double, actor: String, action: String, subject: String?,
                                   detail: String, prevHash: String) -> String {
        let fields = [prevHash, String(seq), String(format: "%.6f", at), actor, action, subject ?? "\u{0}", detail]
        var hasher = SHA256()
        for field in fields {
            let bytes = Array(field.utf8)
            hasher.update(data: withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { Array($0) })
            hasher.update(data: bytes)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public var expectedHash: String {
        Self.computeHash(seq: seq, at: at, actor: actor, action: action, subject: subject, detail: detail, prevHash: prevHash)
    }
}

/// Appending to and verifying the audit log. Appends happen inside write transactions, which SQLite serialises,
/// so the chain never forks.
public enum AuditLog {
    @discardableResult
    public static func append(_ db: Database, actor: String, action: String, subject: String?, detail: JSONValue,
                              at: Date = Date()) throws -> AuditEntry {
        let last = try AuditEntry.order(AuditEntry.Columns.seq.desc).fetchOne(db)
        let seq = (last?.seq ?? 0) + 1
        let prev = last?.hash ?? AuditEntry.genesis
        let detailText = detail.compactText
        let time = (at.timeIntervalSince1970 * 1e6).rounded() / 1e6
        let entry = AuditEntry(seq: seq, at: time, actor: actor, action: action, subject: subject, detail: detailText,
                               prevHash: prev,
                               hash: AuditEntry.computeHash(seq: seq, at: time, actor: actor, action: action, subject: subject,
                                                            detail: detailText, prevHash: prev))
        try entry.insert(db)
        // The head records the newest entry, so that deleting entries from the end is detected too.
        try db.execute(sql: "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                       arguments: [entry.seq, entry.hash])
        return entry
    }

    /// The result of walking the chain.
    public struct Verification: Sendable, Equatable {
        public var entries: Int
        /// The first entry that does not fit the chain, and why; nil when the log is intact.
        public var firstBroken: (seq: Int64, reason: String)?

        public static func == (a: Verification, b: Verification) -> Bool {
            a.entries == b.entries && a.firstBroken?.seq == b.firstBroken?.seq && a.firstBroken?.reason == b.firstBroken?.reason
        }
    }

    /// Walks the whole chain in sequence order: each entry must carry its predecessor's hash, hash to its own
    /// `hash`, and follow it without a gap. Edited, deleted or reordered entries all break one of these.
    public static func verify(_ db: Database) throws -> Verification {
        var previousHash = AuditEntry.genesis
        var expectedSeq: Int64 = 1
        var count = 0
        let cursor = try AuditEntry.order(AuditEntry.Columns.seq).fetchCursor(db)
        while let entry = try cursor.next() {
            count += 1
            if entry.seq != expectedSeq {
                return Verification(entries: count, firstBroken: (entry.seq, "entry \(expectedSeq) is missing: the log jumps from \(expectedSeq - 1) to \(entry.seq)"))
            }
            if entry.prevHash != previousHash {
                return Verification(entries: count, firstBroken: (entry.seq, "entry \(entry.seq) does not follow entry \(entry.seq - 1): its previous-hash link is broken"))
            }
            if entry.expectedHash != entry.hash {
                return Verification(entries: count, firstBroken: (entry.seq, "entry \(entry.seq) was altered: its content no longer matches its hash"))
            }
            previousHash = entry.hash
            expectedSeq += 1
        }
        if let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1") {
            let headSeq: Int64 = head[0]
            let headHash: String = head[1]
            if headSeq != expectedSeq - 1 || headHash != previousHash {
                return Verification(entries: count, firstBroken: (min(headSeq, expectedSeq), headSeq > expectedSeq - 1
                    ? "entries \(expectedSeq)…\(headSeq) were deleted from the end of the log"
                    : "the log's recorded head (entry \(headSeq)) does not match its last entry \(expectedSeq - 1)"))
            }
        } else if count > 0 {
            return Verification(entries: count, firstBroken: (1, "the log's head record is missing"))
        }
        // Every decision names the log entry that recorded it; that entry must still say so.
        let decisions = try Row.fetchAll(db, sql: """
            SELECT d.id, d.audit_seq, d.reviewer, d.outcome, a.actor, a.action FROM decision d
            LEFT JOIN audit_log a ON a.seq = d.audit_seq ORDER BY d.audit_seq
            """)
        for decision in decisions {
            let seq: Int64 = decision[1]
            let actor: String? = decision[4]
            let action: String? = decision[5]
            if actor != "reviewer:" + (decision[2] as String) || action != "decision." + (decision[3] as String) {
                return Verification(entries: count, firstBroken: (seq, "decision \(decision[0] as Int64) refers to entry \(seq), which does not record it"))
            }
        }
        return Verification(entries: count, firstBroken: nil)
    }
}
