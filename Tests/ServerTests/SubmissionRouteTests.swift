import Audit
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing
import VIACore
import VIATesting

/// POST /v1/batches does exactly what `via submit` does: receipts, idempotency, conflicts, refusals, resubmissions;
/// and the two read routes.
@Suite struct SubmissionRouteTests {
    /// A receipt without the timing figures (they differ between two runs of the same audit).
    func timeless(_ receipt: Receipt) -> Receipt {
        var copy = receipt
        for index in copy.records.indices { copy.records[index].checkMs = 0 }
        return copy
    }

    @Test func theUploadIsAuditedExactlyAsViaSubmitDoes() async throws {
        let upload = try TestUpload.make([TestBatches.record("A1"), TestBatches.record("A2") { $0["vin"] = "LFV2A21K8G3023312" },
                                          TestBatches.record("A3") { $0["photos"] = .array(Array(($0["photos"]?.arrayValue ?? []).dropLast())) }])
        defer { upload.remove() }
        // The same folder through the library path of `via submit`, into a store of its own.
        let reference = try TemporaryStore(stations: TestServer.registry)
        defer { reference.remove() }
        let expected = try await Submitter(store: reference.store, catalog: TestBatches.catalog).submit(directory: upload.folder.path).receipt

        try await TestServer.withRouter { server, client in
            let response = try await client.upload(upload, token: server.tokenA)
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.location] == "/v1/batches/20261018-0001")
            let receipt = try response.decode(Receipt.self)
            #expect(timeless(receipt) == timeless(expected))
            #expect(receipt.summary.records == 3 && receipt.summary.passed == 1 && receipt.summary.flagged == 1 && receipt.summary.returned == 1)
            // Same content identity as `via submit`, so either path recognises the other's batch as the same.
            let hashes = try [server.store, reference.store].map { store in
                try store.read { db in try String.fetchOne(db, sql: "SELECT content_sha256 FROM batch") }
            }
            #expect(hashes[0] != nil && hashes[0] == hashes[1])
            #expect(try server.store.integrityProblems().isEmpty)
            #expect(server.leftoverUploads().isEmpty, "upload folders are removed after the request")
            // The stored receipt reads back the same.
            let stored = try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenA)
            #expect(try stored.decode(Receipt.self) == receipt)
        }
    }

    @Test func theSameBatchAgainIs200AndDifferentContentIs409() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        try await TestServer.withRouter { server, client in
            let first = try await client.upload(upload, token: server.tokenA)
            #expect(first.status == .created)
            let counts = try server.store.read { db in
                try ["batch", "record", "photo", "finding", "audit_log"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") }
            }
            let again = try await client.upload(upload, token: server.tokenA)
            #expect(again.status == .ok)
            #expect(try again.decode(Receipt.self) == first.decode(Receipt.self))
            // One photo replaced, same batch id: 409 and nothing changes.
            try Data(TestPhotos.jpeg(seed: 4242)).write(to: upload.folder.appendingPathComponent("photos/15060200126101800/0112.jpg"))
            let conflict = try await client.upload(upload, token: server.tokenA)
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "batch_conflict")
            #expect(conflict.errorMessage?.contains("different content") == true)
            let after = try server.store.read { db in
                try ["batch", "record", "photo", "finding", "audit_log"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") }
            }
            #expect(after == counts)
        }
    }

    @Test func refusedBatchesNameTheFileAndJSONPath() async throws {
        try await TestServer.withRouter { server, client in
            func post(_ manifest: String) async throws -> TestResponse {
                var headers = HTTPFields()
                headers[.contentType] = Multipart.contentType
                let body = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: Data(manifest.utf8))])
                return try await client.call(.post, "/v1/batches", token: server.tokenA, headers: headers, body: body)
            }
            let broken = try await post("{\"format\": \"via-batch/1\",\n  \"station\": ")
            #expect(broken.status == .badRequest)
            #expect(broken.errorCode == "invalid_batch_json")
            #expect(broken.errorMessage?.hasPrefix("batch refused: batch.json: not valid JSON") == true, "\(broken.text)")
            #expect(broken.errorMessage?.contains("line") == true, "names line and column: \(broken.text)")
            let format = try await post(#"{"format": "via-batch/2", "station": "150602001", "batch_id": "x", "records": []}"#)
            #expect(format.status == .unprocessableContent)
            #expect(format.errorMessage == #"batch refused: batch.json: $.format: expected "via-batch/1", found "via-batch/2""#)
            #expect(format.json?["error"]?["path"]?.stringValue == "$.format")
            let escape = try await post(#"{"format": "via-batch/1", "station": "150602001", "batch_id": "x", "records": [{"photos": [{"code": "0111", "file": "../../etc/passwd"}]}]}"#)
            #expect(escape.status == .unprocessableContent)
            #expect(escape.errorMessage?.contains("$.records[0].photos[0].file") == true, "\(escape.text)")
            let noRecords = try await post(#"{"format": "via-batch/1", "station": "150602001", "batch_id": "x"}"#)
            #expect(noRecords.status == .unprocessableContent && noRecords.errorMessage?.contains("$.records") == true)
            // A batch naming another station is 404, whether that station exists or not.
            let unknown = try await post(#"{"format": "via-batch/1", "station": "999999999", "batch_id": "x", "records": []}"#)
            #expect(unknown.status == .notFound)
            #expect(try server.batchCount() == 0)
            #expect(server.leftoverUploads().isEmpty)
        }
    }

    @Test func aRecordShowsItsStatusFindingsAndTheReviewersDecision() async throws {
        let upload = try TestUpload.make([TestBatches.record("R1") { $0["vin"] = "LFV2A21K8G3023312" }])
        defer { upload.remove() }
        try await TestServer.withRouter { server, client in
            #expect(try await client.upload(upload, token: server.tokenA).status == .created)
            let pending = try await client.call(.get, "/v1/records/R1", token: server.tokenA)
            #expect(pending.status == .ok)
            let report = try pending.decode(RecordStatusReport.self)
            #expect(report.status == .flagged && report.review == .pending && report.decision == nil && report.version == 1)
            #expect(report.findings.contains { $0.rule == "record.vin" })
            #expect(pending.json?["decision"] == .null, "decision is present and null until decided")

            // A reviewer rejects it with a reason.
            let item = try #require(try server.store.claimNext(reviewer: "li"))
            _ = try server.store.decide(id: item.id, token: try #require(item.claim?.token), verdict: .reject(reason: "R02", note: "photo two days old"))
            let decided = try await client.call(.get, "/v1/records/R1", token: server.tokenA).decode(RecordStatusReport.self)
            #expect(decided.review == .decided)
            #expect(decided.decision?.outcome == "reject")
            #expect(decided.decision?.reasonCode == "R02" && decided.decision?.reasonText == "Photo date stale")
            #expect(decided.decision?.note == "photo two days old")

            // Undone: back to pending, no decision.
            _ = try server.store.undo(reviewer: "li")
            let undone = try await client.call(.get, "/v1/records/R1", token: server.tokenA).decode(RecordStatusReport.self)
            #expect(undone.review == .pending && undone.decision == nil)

            // A resubmission supersedes it: version 2, from the new batch.
            let again = try TestUpload.make([TestBatches.record("R1")], batchId: "20261018-0002", photoSeed: 77)
            defer { again.remove() }
            #expect(try await client.upload(again, token: server.tokenA).status == .created)
            let current = try await client.call(.get, "/v1/records/R1", token: server.tokenA).decode(RecordStatusReport.self)
            #expect(current.version == 2 && current.batchId == "20261018-0002" && current.review == .notRequired)
        }
    }

    @Test func batchIdsWithSpecialCharactersRoundTrip() async throws {
        let upload = try TestUpload.make(batchId: "2026 批次#1")
        defer { upload.remove() }
        try await TestServer.withRouter { server, client in
            let response = try await client.upload(upload, token: server.tokenA)
            #expect(response.status == .created)
            let location = try #require(response.headers[.location])
            #expect(location == "/v1/batches/2026%20%E6%89%B9%E6%AC%A1%231")
            let stored = try await client.call(.get, location, token: server.tokenA)
            #expect(stored.status == .ok)
            #expect(try stored.decode(Receipt.self).batchId == "2026 批次#1")
        }
    }
}
