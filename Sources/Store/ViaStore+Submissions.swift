import Foundation
import GRDB
import VIACore

/// A batch as stored: its content hash (for idempotency) and its receipt.
public struct StoredBatch: Sendable, Equatable {
    public var station: String
    public var batchId: String
    public var contentSHA256: String
    /// batch.json as it was submitted.
    public var manifest: String
    public var receipt: Receipt
    public var submittedAt: Date
}

/// What identifies a submission's content.
public struct SubmissionHeader: Sendable {
    public var station: String
    public var batchId: String
    /// SHA-256 over batch.json and every photo file's SHA-256 (see `Submission.contentHash`).
    public var contentSHA256: String
    /// batch.json as received.
    public var manifest: String
    /// Each photo's facts as stored JSON, per record and photo entry, when the caller encoded them before the
    /// transaction (the one writer's time is the store's throughput limit; encoding is most of it). Must match the
    /// outcome's records and photos; nil: encoded inside the transaction.
    public var encodedFacts: [[String?]]?
    /// Whether a batch stored under the same id meanwhile is this one written differently (the caller's notion of the
    /// same content: `SubmissionContent.isSame`); nil: only an equal content hash is.
    public var isSameAs: (@Sendable (StoredBatch) -> Bool)?

    public init(station: String, batchId: String, contentSHA256: String, manifest: String, encodedFacts: [[String?]]? = nil) {
        self.station = station
        self.batchId = batchId
        self.contentSHA256 = contentSHA256
        self.manifest = manifest
        self.encodedFacts = encodedFacts
    }

    /// Encodes photo facts as `commit` stores them (see `encodedFacts`).
    public static func encode(facts: [[PhotoFacts?]]) -> [[String?]] {
        facts.map { photos in photos.map { $0?.jsonText } }
    }
}

/// The outcome of committing a batch.
public enum CommitResult: Sendable, Equatable {
    /// Newly stored.
    case stored(Receipt)
    /// The same batch (same id, same content) was stored before: nothing changed.
    case alreadyStored(Receipt)

    public var receipt: Receipt {
        switch self {
        case let .stored(receipt), let .alreadyStored(receipt): return receipt
        }
    }
}

extension ViaStore {
    public func storedBatch(station: String, batchId: String) throws(StoreError) -> StoredBatch? {
        guard Self.isStorableText(batchId) else { return nil }
        return try read { db in try Self.storedBatch(db, station: station, batchId: batchId) }
    }

    /// Whether text can be a stored key. SQLite's C API takes text up to its first NUL, so "A\u{0}B" would be looked
    /// up as "A"; the batch parser refuses ids holding one, so no stored id does.
    static func isStorableText(_ text: String) -> Bool { !text.utf8.contains(0) }

    static func storedBatch(_ db: Database, station: String, batchId: String) throws -> StoredBatch? {
        guard let row = try BatchRow.filter(BatchRow.Columns.stationCode == station && BatchRow.Columns.batchId == batchId).fetchOne(db) else {
            return nil
        }
        let receipt = try JSONCoding.decoder().decode(Receipt.self, from: Data(row.receipt.utf8))
        return StoredBatch(station: row.stationCode, batchId: row.batchId, contentSHA256: row.contentSha256, manifest: row.manifest,
                           receipt: receipt, submittedAt: Date(timeIntervalSince1970: row.submittedAt))
    }

    /// Stores a batch in one transaction: batch, records (new versions supersede earlier ones of the same
    /// inspection), photos with their blob references and hash-index entries, findings, rule sets, receipt and an
    /// audit-log entry. `judge` runs inside the transaction with the store's history, so two submitters can never
    /// both miss each other's duplicates. A failure anywhere leaves nothing of the batch behind.
    ///
    /// - Parameter storedBlobs: SHA-256 → size of every photo file already written to `blobs/`.
    public func commit(_ header: SubmissionHeader, storedBlobs: [String: Int], at date: Date = Date(),
                       judge: (any History) -> AuditOutcome) throws(StoreError) -> CommitResult {
        try write { db -> CommitResult in
            if let existing = try Self.storedBatch(db, station: header.station, batchId: header.batchId) {
                guard existing.contentSHA256 == header.contentSHA256 || header.isSameAs?(existing) == true else {
                    throw StoreError.conflictingBatch(station: header.station, batchId: header.batchId, storedAt: existing.submittedAt)
                }
                return .alreadyStored(existing.receipt)
            }
            guard try StationRow.fetchOne(db, key: header.station) != nil else { throw StoreError.unknownStation(header.station) }
            var outcome = judge(StoreHistory(db))
            let now = date.timeIntervalSince1970
            // A resubmission's result says what changed against the version it supersedes.
            for index in outcome.records.indices {
                guard let changes = try Self.changes(db, station: header.station, audited: outcome.records[index]) else { continue }
                outcome.records[index].result.changes = changes
            }
            if outcome.records.contains(where: { $0.result.changes != nil }) {
                outcome.receipt = Receipt(batchId: outcome.receipt.batchId, station: outcome.receipt.station,
                                          records: outcome.records.map(\.result))
            }
            let encoder = JSONCoding.encoder(pretty: false)

            for ruleSet in Set(outcome.records.compactMap { $0.ruleSet?.sha256 }) {
                // Stored once per content; its canonical JSON is only worth building the first time.
                guard try !RuleSetRow.exists(db, key: ruleSet),
                      let set = outcome.records.first(where: { $0.ruleSet?.sha256 == ruleSet })?.ruleSet else { continue }
                try RuleSetRow(sha256: set.sha256, id: set.id, content: String(decoding: set.canonicalJSON, as: UTF8.self),
                               firstUsedAt: now).insert(db, onConflict: .ignore)
            }
            var batch = BatchRow(id: nil, stationCode: header.station, batchId: header.batchId,
                                 contentSha256: header.contentSHA256, manifest: header.manifest,
                                 receipt: try Self.json(outcome.receipt, encoder), recordCount: outcome.records.count, submittedAt: now)
            try batch.insert(db)
            let encodedFacts = header.encodedFacts.flatMap { $0.count == outcome.records.count ? $0 : nil }
            for (index, audited) in outcome.records.enumerated() {
                try Self.insert(audited, batchRow: batch.id!, station: header.station, storedBlobs: storedBlobs, at: now, db: db,
                                encoder: encoder, encodedFacts: encodedFacts?[index])
            }
            let summary = outcome.receipt.summary
            try AuditLog.append(db, actor: "station:\(header.station)", action: "batch.submitted",
                                subject: "\(header.station)/\(header.batchId)",
                                detail: ["records": JSONValue(summary.records), "passed": JSONValue(summary.passed),
                                         "returned": JSONValue(summary.returned), "flagged": JSONValue(summary.flagged),
                                         "content_sha256": .string(header.contentSHA256)], at: date)
            return .stored(outcome.receipt)
        }
    }

    /// Compact JSON text; a value `JSONWriter` cannot write (a non-finite number) goes through `encoder`, which throws.
    static func json<T: JSONWritable & Encodable>(_ value: T, _ encoder: JSONEncoder) throws -> String {
        try value.jsonText ?? String(decoding: encoder.encode(value), as: UTF8.self)
    }

    /// The current stored version of the same inspection and attempt, if the station submitted it before.
    static func currentVersion(_ db: Database, station: String, inspectionId: String, attempt: Int) throws -> RecordRow? {
        try RecordRow.filter(RecordRow.Columns.stationCode == station && RecordRow.Columns.inspectionId == inspectionId
                             && RecordRow.Columns.attempt == attempt && RecordRow.Columns.isCurrent == true).fetchOne(db)
    }

    /// What a resubmission changes against the current stored version; nil for a record submitted the first time.
    static func changes(_ db: Database, station: String, audited: AuditedRecord) throws -> ResubmissionChanges? {
        guard let current = try currentVersion(db, station: station, inspectionId: audited.result.inspectionId,
                                               attempt: audited.record.attempt) else { return nil }
        let previousPhotos = try Row.fetchAll(db, sql: """
            SELECT code, CASE WHEN sound = 1 THEN blob_sha256 END FROM photo WHERE record_row = ? ORDER BY position
            """, arguments: [current.id]).compactMap { row -> (code: String, sha256: String?)? in
            guard let code: String = row[0] else { return nil }
            return (code, row[1])
        }
        let currentPhotos = audited.photos.compactMap { photo -> (code: String, sha256: String?)? in
            photo.code.map { ($0, photo.facts?.isSound == true ? photo.facts?.sha256 : nil) }
        }
        let previous = (try? JSONCoding.decoder().decode(JSONValue.self, from: Data(current.raw.utf8))) ?? .null
        return ResubmissionChanges.between(previousVersion: current.version, previous: previous, previousPhotos: previousPhotos,
                                           current: audited.record.raw, currentPhotos: currentPhotos)
    }

    static func insert(_ audited: AuditedRecord, batchRow: Int64, station: String, storedBlobs: [String: Int], at now: Double,
                       db: Database, encoder: JSONEncoder, encodedFacts: [String?]? = nil) throws {
        let record = audited.record
        let inspectionId = audited.result.inspectionId
        var version = 1
        if let current = try currentVersion(db, station: station, inspectionId: inspectionId, attempt: record.attempt) {
            version = current.version + 1
            try db.execute(sql: "UPDATE record SET is_current = 0 WHERE id = ?", arguments: [current.id])
            // A resubmission replaces its queued predecessor (a claim on it is void from now on).
            try db.execute(sql: """
                UPDATE queue_item SET state = 'superseded', claim_token = NULL, claimed_by = NULL, claimed_at = NULL, lease_until = NULL
                WHERE record_row = ? AND state IN ('waiting', 'claimed')
                """, arguments: [current.id])
        }
        var row = RecordRow(
            id: nil, batchRow: batchRow, stationCode: station, inspectionId: inspectionId, attempt: record.attempt,
            retestOf: record.retestOf, version: version, isCurrent: true,
            lane: record.lane, plate: record.plate, plateType: record.plateType, vin: record.vin,
            vehicleType: record.vehicleType, useType: record.useType, category: record.category,
            startedAt: record.startedAt?.date.timeIntervalSince1970, startedOffset: record.startedAt?.offsetSeconds,
            finishedAt: record.finishedAt?.date.timeIntervalSince1970, finishedOffset: record.finishedAt?.offsetSeconds,
            odometerKm: record.odometerKm, status: audited.result.status.rawValue, sampled: audited.result.sampled,
            ruleSetSha256: audited.ruleSet?.sha256, checkMs: audited.result.checkMs, raw: record.raw.compactText,
            receivedAt: now)
        try row.insert(db)
        let recordRow = row.id!
        // Flagged and sampled records enter the review queue in the same transaction.
        if let priority = QueuePriority.of(audited.result) {
            let sla = audited.ruleSet?.slaSeconds ?? RuleSet.defaultSLASeconds
            try db.execute(sql: """
                INSERT INTO queue_item (record_row, station_code, inspection_id, priority, enqueued_at, state, due_at)
                VALUES (?, ?, ?, ?, ?, 'waiting', ?)
                """, arguments: [recordRow, station, inspectionId, priority.rawValue, now, now + sla])
        }
        // Returned records go back to the station at once: the return feed carries them.
        if audited.result.status == .returned {
            try db.execute(sql: "INSERT INTO station_return (station_code, record_row, kind, at) VALUES (?, ?, 'returned', ?)",
                           arguments: [station, recordRow, now])
        }
        for (position, photo) in audited.photos.enumerated() {
            var blob: String?
            if let sha = photo.facts?.sha256, let size = storedBlobs[sha] {
                try BlobRow(sha256: sha, byteCount: size, storedAt: now).insert(db, onConflict: .ignore)
                blob = sha
            }
            let hash = photo.facts?.isSound == true ? photo.facts?.figures?.perceptualHashValue : nil
            var photoRow = PhotoRow(
                id: nil, recordRow: recordRow, position: position, code: photo.entry.code, file: photo.entry.file,
                declaredTakenAt: photo.entry.takenAt?.date.timeIntervalSince1970, device: photo.entry.device, blobSha256: blob,
                sound: photo.facts?.isSound ?? false, perceptualHash: hash.map { Int64(bitPattern: $0) },
                facts: try encodedFacts.flatMap { $0.count == audited.photos.count ? $0[position] : nil }
                    ?? photo.facts.map { try json($0, encoder) })
            try photoRow.insert(db)
            if let hash, blob != nil { try PhotoHashIndex.insert(db, photoRow: photoRow.id!, hash: hash) }
        }
        for (position, finding) in audited.result.findings.enumerated() {
            var findingRow = FindingRow(id: nil, recordRow: recordRow, position: position, rule: finding.rule,
                                        severity: finding.severity.rawValue, photo: finding.photo, field: finding.field,
                                        message: finding.message, evidence: JSONValue.object(finding.evidence).compactText)
            try findingRow.insert(db)
        }
    }
}
