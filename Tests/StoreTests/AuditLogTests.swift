import Foundation
import GRDB
import Store
import Testing
import VIACore
import VIATesting

/// The hash chain catches any edit, deletion or reordering of entries.
@Suite struct AuditLogTests {
    func storeWithEntries(_ count: Int) throws -> TemporaryStore {
        let temporary = try TemporaryStore(stations: nil)
        try temporary.store.write { db in
            for index in 1...count {
                try AuditLog.append(db, actor: "reviewer:li", action: "decision.approve", subject: "r\(index)",
                                    detail: ["index": JSONValue(index)])
            }
        }
        return temporary
    }

    func verify(_ temporary: TemporaryStore) throws -> AuditLog.Verification {
        try temporary.store.read { db in try AuditLog.verify(db) }
    }

    @Test func anIntactChainVerifies() throws {
        let temporary = try storeWithEntries(10)
        defer { temporary.remove() }
        let result = try verify(temporary)
        #expect(result.entries == 10 && result.firstBroken == nil)
    }

    @Test(arguments: ["detail", "actor", "action", "subject", "at"])
    func editingAnyFieldIsFound(field: String) throws {
        let temporary = try storeWithEntries(10)
        defer { temporary.remove() }
        let value = field == "at" ? "at + 1" : "'tampered'"
        try temporary.store.pool.write { db in try db.execute(sql: "UPDATE audit_log SET \(field) = \(value) WHERE seq = 4") }
        let result = try verify(temporary)
        #expect(result.firstBroken?.seq == 4, "\(String(describing: result.firstBroken))")
    }

    @Test func editingAndRehashingOneEntryBreaksTheNext() throws {
        let temporary = try storeWithEntries(10)
        defer { temporary.remove() }
        try temporary.store.pool.write { db in
            var entry = try #require(try AuditEntry.fetchOne(db, key: 6))
            entry.detail = #"{"index":600}"#
            entry.hash = entry.expectedHash
            try entry.update(db)
        }
        #expect(try verify(temporary).firstBroken?.seq == 7)
    }

    @Test func deletingAnEntryIsFound() throws {
        let temporary = try storeWithEntries(10)
        defer { temporary.remove() }
        try temporary.store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 3") }
        let result = try verify(temporary)
        #expect(result.firstBroken?.seq == 4)
        #expect(result.firstBroken?.reason.contains("missing") == true)
    }

    @Test func reorderingEntriesIsFound() throws {
        let temporary = try storeWithEntries(10)
        defer { temporary.remove() }
        try temporary.store.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET seq = 100 WHERE seq = 5")
            try db.execute(sql: "UPDATE audit_log SET seq = 5 WHERE seq = 6")
            try db.execute(sql: "UPDATE audit_log SET seq = 6 WHERE seq = 100")
        }
        #expect(try verify(temporary).firstBroken?.seq == 5)
    }
}

/// Tampering that rewrites whole stretches of the chain is caught by the head record and by decisions' references.
@Suite struct AuditLogAnchorTests {
    @Test func deletingTheNewestEntriesIsFound() throws {
        let temporary = try TemporaryStore(stations: nil)
        defer { temporary.remove() }
        try temporary.store.write { db in
            for index in 1...5 { try AuditLog.append(db, actor: "system", action: "x", subject: nil, detail: ["i": JSONValue(index)]) }
        }
        try temporary.store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq >= 4") }
        let result = try temporary.store.verifyAuditLog()
        #expect(result.firstBroken?.reason.contains("deleted from the end") == true, "\(String(describing: result.firstBroken))")
    }

    @Test func rewritingADecisionsEntryAndRehashingTheRestIsFound() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        try TestQueue.fill(store, count: 1)
        let item = try #require(try store.claimNext(reviewer: "li"))
        let decision = try store.decide(id: item.id, token: item.claim!.token, verdict: .approve)
        // An attacker turns the approval into an innocuous entry and recomputes every hash after it.
        try store.pool.write { db in
            var entries = try AuditEntry.order(AuditEntry.Columns.seq).fetchAll(db)
            var previous = AuditEntry.genesis
            for index in entries.indices {
                if entries[index].seq == decision.auditSeq { entries[index].action = "lease.renewed" }
                entries[index].prevHash = previous
                entries[index].hash = entries[index].expectedHash
                previous = entries[index].hash
                try entries[index].update(db)
            }
            try db.execute(sql: "UPDATE audit_head SET hash = ?", arguments: [previous])
        }
        let result = try store.verifyAuditLog()
        #expect(result.firstBroken?.seq == decision.auditSeq, "\(String(describing: result.firstBroken))")
    }
}
