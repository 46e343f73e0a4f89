import Foundation
import GRDB
import VIACore

extension ViaStore {
    /// Default lease: how long a claim lasts without renewal.
    public static let defaultLease: TimeInterval = 300
    /// How long after a decision its reviewer may undo it.
    public static let undoWindow: TimeInterval = 60

    // MARK: claiming

    /// Claims the next record for `reviewer`: errors before warnings before QA samples, oldest first, records this
    /// reviewer skipped last. Nil when nothing is waiting. Claims are taken inside a write transaction, so two
    /// reviewers — in one process or many — never hold the same record.
    public func claimNext(reviewer: String, lease: TimeInterval = ViaStore.defaultLease, now: Date = Date()) throws(ReviewError) -> ReviewItem? {
        try reviewWrite { db in
            try Self.expireLeases(db, now: now)
            guard let id = try Self.nextWaiting(db, reviewer: reviewer) else { return nil }
            let claim = try Self.claim(db, id: id, reviewer: reviewer, lease: lease, now: now, action: "claim")
            var item = try Self.loadItem(db, blobs: blobs, id: id)
            item.claim = claim
            return item
        }
    }

    /// The record `claimNext` would hand this reviewer now, without claiming it (for prefetching).
    public func peekNext(reviewer: String, now: Date = Date()) throws(ReviewError) -> ReviewItem? {
        try reviewRead { db in
            let id = try Row.fetchOne(db, sql: """
                SELECT record_row FROM queue_item
                WHERE (state = 'waiting' OR (state = 'claimed' AND lease_until < ?))
                  AND record_row NOT IN (SELECT record_row FROM queue_skip WHERE reviewer = ?)
                ORDER BY priority, enqueued_at, record_row LIMIT 1
                """, arguments: [now.timeIntervalSince1970, reviewer]).map { $0[0] as Int64 }
            return try id.map { try Self.loadItem(db, blobs: blobs, id: $0) }
        }
    }

    /// Extends a claim's lease (the interactive screen renews while it is open).
    public func renew(id: Int64, token: String, lease: TimeInterval = ViaStore.defaultLease, now: Date = Date()) throws(ReviewError) -> Claim {
        try reviewWrite { db in
            let current = try Self.validClaim(db, id: id, token: token, now: now)
            let until = now.addingTimeInterval(lease)
            try db.execute(sql: "UPDATE queue_item SET lease_until = ? WHERE record_row = ?", arguments: [until.timeIntervalSince1970, id])
            try AuditLog.append(db, actor: "reviewer:\(current.reviewer)", action: "lease.renewed", subject: Self.subject(db, id),
                                detail: ["item": JSONValue(Int(id)), "lease_until": JSONValue(until.timeIntervalSince1970)], at: now)
            var renewed = current
            renewed.leaseUntil = until
            return renewed
        }
    }

    // MARK: deciding

    /// Records a decision. Accepted only with the current token of a live claim; a reject needs a reason code from
    /// the record's rule set. The review duration (claim to decision) is stored with it.
    public func decide(id: Int64, token: String, verdict: ReviewVerdict, now: Date = Date()) throws(ReviewError) -> DecisionReceipt {
        try reviewWrite { db in
            let claim = try Self.validClaim(db, id: id, token: token, now: now)
            var reason: String?
            var note: String?
            if case let .reject(code, text) = verdict {
                let allowed = try Self.reasons(db, id: id).map(\.code)
                guard allowed.contains(code) else { throw ReviewError.unknownReason(code: code, allowed: allowed) }
                reason = code
                note = text.flatMap { $0.isEmpty ? nil : $0 }
            }
            let reviewMs = max(0, now.timeIntervalSince(claim.claimedAt) * 1000)
            let subject = try Self.subject(db, id)
            var detail: [String: JSONValue] = ["item": JSONValue(Int(id)), "review_ms": JSONValue((reviewMs * 10).rounded() / 10)]
            if let reason { detail["reason"] = .string(reason) }
            if let note { detail["note"] = .string(note) }
            let entry = try AuditLog.append(db, actor: "reviewer:\(claim.reviewer)", action: "decision.\(verdict.name)",
                                            subject: subject, detail: .object(detail), at: now)
            try db.execute(sql: """
                INSERT INTO decision (record_row, reviewer, outcome, reason_code, note, claimed_at, decided_at, review_ms, audit_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, claim.reviewer, verdict.name, reason, note, claim.claimedAt.timeIntervalSince1970,
                                 now.timeIntervalSince1970, reviewMs, entry.seq])
            let decisionId = db.lastInsertedRowID
            try db.execute(sql: """
                UPDATE queue_item SET state = 'decided', claim_token = NULL, claimed_by = NULL, claimed_at = NULL, lease_until = NULL
                WHERE record_row = ?
                """, arguments: [id])
            let names = try Row.fetchOne(db, sql: "SELECT station_code, inspection_id FROM record WHERE id = ?", arguments: [id])!
            return DecisionReceipt(id: decisionId, recordId: id, station: names[0], inspectionId: names[1], reviewer: claim.reviewer,
                                   outcome: verdict.name, reasonCode: reason, note: note, reviewMs: reviewMs, decidedAt: now,
                                   auditSeq: entry.seq)
        }
    }

    /// Gives the record back without a decision; it goes behind the others for this reviewer.
    public func skip(id: Int64, token: String, now: Date = Date()) throws(ReviewError) {
        try reviewWrite { db in
            let claim = try Self.validClaim(db, id: id, token: token, now: now)
            try Self.unclaim(db, id: id)
            try db.execute(sql: "INSERT OR REPLACE INTO queue_skip (record_row, reviewer, skipped_at) VALUES (?, ?, ?)",
                           arguments: [id, claim.reviewer, now.timeIntervalSince1970])
            try AuditLog.append(db, actor: "reviewer:\(claim.reviewer)", action: "skip", subject: Self.subject(db, id),
                                detail: ["item": JSONValue(Int(id))], at: now)
        }
    }

    /// Gives the record back to the queue as it was (quitting the screen).
    public func release(id: Int64, token: String, now: Date = Date()) throws(ReviewError) {
        try reviewWrite { db in
            let claim = try Self.validClaim(db, id: id, token: token, now: now)
            try Self.unclaim(db, id: id)
            try AuditLog.append(db, actor: "reviewer:\(claim.reviewer)", action: "release", subject: Self.subject(db, id),
                                detail: ["item": JSONValue(Int(id))], at: now)
        }
    }

    /// Undoes the reviewer's last decision if it is at most `undoWindow` old: the record is claimed by the same
    /// reviewer again, with a fresh token.
    public func undo(reviewer: String, lease: TimeInterval = ViaStore.defaultLease, now: Date = Date()) throws(ReviewError) -> ReviewItem {
        try reviewWrite { db in
            guard let last = try Row.fetchOne(db, sql: """
                SELECT id, record_row, decided_at FROM decision WHERE reviewer = ? AND undone_at IS NULL
                ORDER BY decided_at DESC, id DESC LIMIT 1
                """, arguments: [reviewer]) else { throw ReviewError.nothingToUndo(reviewer: reviewer) }
            let decidedAt = Date(timeIntervalSince1970: last[2])
            guard now.timeIntervalSince(decidedAt) <= Self.undoWindow else {
                throw ReviewError.undoWindowPassed(decidedAt: decidedAt, window: Self.undoWindow)
            }
            let id: Int64 = last[1]
            let state = try String.fetchOne(db, sql: "SELECT state FROM queue_item WHERE record_row = ?", arguments: [id])
            guard state == "decided" else { throw ReviewError.superseded(id: id) }
            try db.execute(sql: "UPDATE decision SET undone_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, last[0] as Int64])
            let claim = try Self.claim(db, id: id, reviewer: reviewer, lease: lease, now: now, action: "undo",
                                       extra: ["decision": JSONValue(Int(last[0] as Int64))])
            var item = try Self.loadItem(db, blobs: blobs, id: id)
            item.claim = claim
            return item
        }
    }

    // MARK: the queue

    /// Depth, oldest age, counts by station and by rule, and the items (waiting and claimed, in claim order).
    public func queueOverview(limit: Int = 200, now: Date = Date()) throws(ReviewError) -> QueueOverview {
        try reviewWrite { db in
            try Self.expireLeases(db, now: now)
            let counts = try Row.fetchOne(db, sql: """
                SELECT count(*), sum(state = 'waiting'), sum(state = 'claimed'), min(enqueued_at)
                FROM queue_item WHERE state IN ('waiting', 'claimed')
                """)!
            var byStation: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT station_code, count(*) FROM queue_item WHERE state IN ('waiting', 'claimed') GROUP BY station_code
                """) { byStation[row[0]] = row[1] }
            var byRule: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT f.rule, count(DISTINCT f.record_row) FROM finding f JOIN queue_item q ON q.record_row = f.record_row
                WHERE q.state IN ('waiting', 'claimed') AND f.severity IN ('warning', 'error') GROUP BY f.rule
                """) { byRule[row[0]] = row[1] }
            let rows = try Row.fetchAll(db, sql: """
                SELECT q.record_row, q.station_code, q.inspection_id, r.plate, r.vehicle_type, q.priority, q.state, q.enqueued_at,
                       q.claimed_by, q.lease_until,
                       (SELECT group_concat(DISTINCT f.rule) FROM finding f WHERE f.record_row = q.record_row AND f.severity IN ('warning', 'error'))
                FROM queue_item q JOIN record r ON r.id = q.record_row
                WHERE q.state IN ('waiting', 'claimed')
                ORDER BY q.priority, q.enqueued_at, q.record_row LIMIT ?
                """, arguments: [limit])
            let items = rows.map { row -> QueueEntry in
                let enqueued = Date(timeIntervalSince1970: row[7])
                let rules = (row[10] as String?)?.split(separator: ",").map(String.init).sorted() ?? []
                return QueueEntry(id: row[0], station: row[1], inspectionId: row[2], plate: row[3], vehicleType: row[4],
                                  priority: QueuePriority(rawValue: row[5]) ?? .warning, state: row[6], enqueuedAt: enqueued,
                                  ageSeconds: max(0, now.timeIntervalSince(enqueued)), claimedBy: row[8],
                                  leaseUntil: (row[9] as Double?).map { Date(timeIntervalSince1970: $0) }, rules: rules)
            }
            let oldest = (counts[3] as Double?).map { max(0, now.timeIntervalSince1970 - $0) }
            return QueueOverview(depth: counts[0], waiting: counts[1] ?? 0, claimed: counts[2] ?? 0, oldestAgeSeconds: oldest,
                                 byStation: byStation, byRule: byRule, items: items)
        }
    }

    /// A queued record with everything needed to review it (no claim).
    public func reviewItem(id: Int64) throws(ReviewError) -> ReviewItem {
        try reviewRead { db in try Self.loadItem(db, blobs: blobs, id: id) }
    }

    /// Verifies the audit log's hash chain.
    public func verifyAuditLog() throws(StoreError) -> AuditLog.Verification {
        try read { db in try AuditLog.verify(db) }
    }

    // MARK: helpers

    func reviewWrite<T>(_ body: (Database) throws -> T) throws(ReviewError) -> T {
        do {
            return try writePassingErrors(body)
        } catch let error as ReviewError {
            throw error
        } catch {
            throw .store(Self.map(error, path: directory.path, timeout: busyTimeout))
        }
    }

    func reviewRead<T>(_ body: (Database) throws -> T) throws(ReviewError) -> T {
        do {
            return try pool.read(body)
        } catch let error as ReviewError {
            throw error
        } catch {
            throw .store(Self.map(error, path: directory.path, timeout: busyTimeout))
        }
    }

    /// Overdue claims go back to the queue (and the log says so).
    static func expireLeases(_ db: Database, now: Date) throws {
        let overdue = try Row.fetchAll(db, sql: """
            SELECT record_row, claimed_by, lease_until FROM queue_item WHERE state = 'claimed' AND lease_until < ?
            """, arguments: [now.timeIntervalSince1970])
        for row in overdue {
            let id: Int64 = row[0]
            try unclaim(db, id: id)
            try AuditLog.append(db, actor: "system", action: "lease.expired", subject: subject(db, id),
                                detail: ["item": JSONValue(Int(id)), "reviewer": JSONValue(row[1] as String?),
                                         "lease_until": JSONValue(row[2] as Double)], at: now)
        }
    }

    static func nextWaiting(_ db: Database, reviewer: String) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT record_row FROM queue_item INDEXED BY queue_waiting
            WHERE state = 'waiting' AND record_row NOT IN (SELECT record_row FROM queue_skip WHERE reviewer = ?)
            ORDER BY priority, enqueued_at, record_row LIMIT 1
            """, arguments: [reviewer]) {
            return id
        }
        return try Int64.fetchOne(db, sql: """
            SELECT q.record_row FROM queue_item q JOIN queue_skip s ON s.record_row = q.record_row AND s.reviewer = ?
            WHERE q.state = 'waiting' ORDER BY s.skipped_at, q.priority, q.enqueued_at LIMIT 1
            """, arguments: [reviewer])
    }

    static func claim(_ db: Database, id: Int64, reviewer: String, lease: TimeInterval, now: Date, action: String,
                      extra: [String: JSONValue] = [:]) throws -> Claim {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        let until = now.addingTimeInterval(lease)
        try db.execute(sql: """
            UPDATE queue_item SET state = 'claimed', claim_token = ?, claimed_by = ?, claimed_at = ?, lease_until = ?
            WHERE record_row = ?
            """, arguments: [token, reviewer, now.timeIntervalSince1970, until.timeIntervalSince1970, id])
        var detail = extra
        detail["item"] = JSONValue(Int(id))
        detail["lease_until"] = JSONValue(until.timeIntervalSince1970)
        try AuditLog.append(db, actor: "reviewer:\(reviewer)", action: action, subject: subject(db, id), detail: .object(detail), at: now)
        return Claim(id: id, token: token, reviewer: reviewer, claimedAt: now, leaseUntil: until)
    }

    static func unclaim(_ db: Database, id: Int64) throws {
        try db.execute(sql: """
            UPDATE queue_item SET state = 'waiting', claim_token = NULL, claimed_by = NULL, claimed_at = NULL, lease_until = NULL
            WHERE record_row = ?
            """, arguments: [id])
    }

    /// The claim the token stands for, if it is still live.
    static func validClaim(_ db: Database, id: Int64, token: String, now: Date) throws -> Claim {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT state, claim_token, claimed_by, claimed_at, lease_until FROM queue_item WHERE record_row = ?
            """, arguments: [id]) else { throw ReviewError.notFound(id: id) }
        let state: String = row[0]
        if state == "superseded" { throw ReviewError.superseded(id: id) }
        guard state == "claimed", let current: String = row[1] else {
            throw ReviewError.notClaimed(id: id, state: state)
        }
        guard current == token else { throw ReviewError.staleToken(id: id, heldBy: row[2]) }
        let until = Date(timeIntervalSince1970: row[4])
        guard until >= now else {
            try expireLeases(db, now: now)
            throw ReviewError.leaseExpired(id: id, at: until)
        }
        return Claim(id: id, token: current, reviewer: row[2], claimedAt: Date(timeIntervalSince1970: row[3]), leaseUntil: until)
    }

    static func subject(_ db: Database, _ id: Int64) throws -> String {
        let row = try Row.fetchOne(db, sql: "SELECT station_code, inspection_id, version FROM record WHERE id = ?", arguments: [id])
        return row.map { "\($0[0] as String)/\($0[1] as String)#\($0[2] as Int)" } ?? "record \(id)"
    }

    static func ruleSet(_ db: Database, recordId: Int64) throws -> RuleSet? {
        guard let content = try String.fetchOne(db, sql: """
            SELECT s.content FROM record r JOIN rule_set s ON s.sha256 = r.rule_set_sha256 WHERE r.id = ?
            """, arguments: [recordId]) else { return nil }
        return try? JSONCoding.decoder().decode(RuleSet.self, from: Data(content.utf8))
    }

    /// The reasons a reviewer may give: the record's rule set's, or every stored rule set's when none judged it.
    static func reasons(_ db: Database, id: Int64) throws -> [ReasonCode] {
        if let set = try ruleSet(db, recordId: id), !set.reasons.isEmpty { return set.reasons }
        var all: [ReasonCode] = []
        for content in try String.fetchAll(db, sql: "SELECT content FROM rule_set ORDER BY first_used_at") {
            guard let set = try? JSONCoding.decoder().decode(RuleSet.self, from: Data(content.utf8)) else { continue }
            for reason in set.reasons where !all.contains(where: { $0.code == reason.code }) { all.append(reason) }
        }
        return all
    }

    /// A stored record's findings, in the order the audit produced them.
    static func storedFindings(_ db: Database, record id: Int64) throws -> [Finding] {
        let decoder = JSONCoding.decoder()
        return try Row.fetchAll(db, sql: """
            SELECT rule, severity, photo, field, message, evidence FROM finding WHERE record_row = ? ORDER BY position
            """, arguments: [id]).map { finding in
            Finding(rule: finding[0], severity: Severity(rawValue: finding[1]) ?? .warning, photo: finding[2], field: finding[3],
                    message: finding[4],
                    evidence: (try? decoder.decode([String: JSONValue].self, from: Data((finding[5] as String).utf8))) ?? [:])
        }
    }

    static func loadItem(_ db: Database, blobs: BlobStore, id: Int64) throws -> ReviewItem {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.station_code, s.name, b.batch_id, r.inspection_id, r.version, r.status, r.sampled, r.raw, r.rule_set_sha256,
                   q.priority, q.enqueued_at
            FROM record r JOIN batch b ON b.id = r.batch_row JOIN queue_item q ON q.record_row = r.id
            LEFT JOIN station s ON s.code = r.station_code WHERE r.id = ?
            """, arguments: [id]) else { throw ReviewError.notFound(id: id) }
        let decoder = JSONCoding.decoder()
        let findings = try storedFindings(db, record: id)
        let photos = try Row.fetchAll(db, sql: """
            SELECT position, code, file, device, declared_taken_at, blob_sha256, sound, facts FROM photo WHERE record_row = ? ORDER BY position
            """, arguments: [id]).map { photo -> StoredPhoto in
            let blob: String? = photo[5]
            let facts = (photo[7] as String?).flatMap { try? decoder.decode(PhotoFacts.self, from: Data($0.utf8)) }
            return StoredPhoto(position: photo[0], code: photo[1], file: photo[2], device: photo[3],
                               declaredTakenAt: (photo[4] as Double?).map { Date(timeIntervalSince1970: $0) },
                               blobPath: blob.map { blobs.url(for: $0).path }, sound: photo[6], facts: facts)
        }
        let raw = (try? decoder.decode(JSONValue.self, from: Data((row[7] as String).utf8))) ?? .null
        let ruleSet = try ruleSet(db, recordId: id)
        let requiredCodes = ruleSet?.requirements(for: InspectionRecord.parse(raw, index: 0)).photoCodes ?? []
        return ReviewItem(
            claim: nil, id: id, station: row[0], stationName: row[1], batchId: row[2], inspectionId: row[3], version: row[4],
            status: RecordStatus(rawValue: row[5]) ?? .flagged, sampled: row[6],
            priority: QueuePriority(rawValue: row[9]) ?? .warning, enqueuedAt: Date(timeIntervalSince1970: row[10]),
            ruleset: (row[8] as String?).map { RuleSetReference(id: ruleSet?.id ?? "?", sha256: $0) },
            record: raw, findings: findings, photos: photos, reasons: try reasons(db, id: id), requiredPhotoCodes: requiredCodes)
    }
}


extension ViaStore {
    /// The stored file of a photo of another inspection (for showing a duplicate side by side), newest version first.
    public func photoPath(station: String, inspectionId: String, code: String) -> String? {
        let sha = try? read { db in
            try String.fetchOne(db, sql: """
                SELECT p.blob_sha256 FROM photo p JOIN record r ON r.id = p.record_row
                WHERE r.station_code = ? AND r.inspection_id = ? AND p.code = ? AND p.blob_sha256 IS NOT NULL
                ORDER BY r.version DESC LIMIT 1
                """, arguments: [station, inspectionId, code])
        }
        return sha.flatMap { $0 }.map { blobs.url(for: $0).path }
    }
}
