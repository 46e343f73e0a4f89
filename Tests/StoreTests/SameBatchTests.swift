import Foundation
import Synchronization
import Store
import Testing
import VIACore
import VIATesting

/// Inside the writing transaction, a batch id already stored (by a concurrent upload) is the same batch when the
/// content hash matches or the caller's sameness test says so; otherwise a conflict.
@Suite struct SameBatchTests {
    @Test func aBatchStoredMeanwhileIsJudgedByTheCallersSamenessTest() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let receipt = Receipt(batchId: "b1", station: ExampleWorld.stationCode, records: [])
        func header(_ hash: Character, manifest: String, same: (@Sendable (StoredBatch) -> Bool)? = nil) -> SubmissionHeader {
            var header = SubmissionHeader(station: ExampleWorld.stationCode, batchId: "b1",
                                          contentSHA256: String(repeating: hash, count: 64), manifest: manifest)
            header.isSameAs = same
            return header
        }
        func commit(_ header: SubmissionHeader) throws(StoreError) -> CommitResult {
            try temporary.store.commit(header, storedBlobs: [:]) { _ in AuditOutcome(receipt: receipt, records: []) }
        }
        guard case .stored = try commit(header("a", manifest: #"{"batch_id": "b1"}"#)) else { Issue.record("not stored"); return }
        #expect(throws: StoreError.self) { try commit(header("b", manifest: #"{"batch_id":"b1"}"#)) }
        let seen = Mutex<String?>(nil)
        let same = try commit(header("b", manifest: #"{"batch_id":"b1"}"#) { stored in
            seen.withLock { $0 = stored.manifest }
            return true
        })
        guard case .alreadyStored = same else { Issue.record("\(same)"); return }
        #expect(seen.withLock { $0 } == #"{"batch_id": "b1"}"#)
        #expect(try temporary.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") } == 1)
    }
}
