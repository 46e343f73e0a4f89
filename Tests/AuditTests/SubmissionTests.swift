import Audit
import Foundation
import GRDB
import RuleSets
import Store
import Testing
import VIACore
import VIATesting

/// `via submit` semantics: one transaction, idempotency, conflicts, resubmissions, blob dedup, history rules.
@Suite struct SubmissionTests {
    static let catalog = TestBatches.catalog

    static let secondStation = Station(code: "150603002", name: "康巴什区示例", location: StationLocation(lat: 39.8170, lon: 109.9770, radiusM: 400),
                                       lanes: ExampleWorld().station.lanes)

    func store() throws -> TemporaryStore {
        try TemporaryStore(stations: StationRegistry(stations: TestBatches.registry.stations + [Self.secondStation]))
    }

    func count(_ store: ViaStore, _ table: String) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    func submit(_ store: ViaStore, _ folder: URL) async throws(SubmissionError) -> CommitResult {
        try await Submitter(store: store, catalog: Self.catalog).submit(directory: folder.path)
    }

    @Test func aBatchIsStoredWholeAndTheSameBatchAgainChangesNothing() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestBatches.write([TestBatches.record("A1"), TestBatches.record("A2") { $0["vin"] = "LFV2A21K8G3023312" }], into: folder)
        let first = try await submit(temporary.store, folder)
        guard case let .stored(receipt) = first else { Issue.record("not stored: \(first)"); return }
        #expect(receipt.summary.records == 2)
        #expect(receipt.records[1].findings.contains { $0.rule == "record.vin" })
        let counts = try ["batch", "record", "photo", "finding", "blob", "photo_hash", "audit_log", "rule_set"].map { try count(temporary.store, $0) }
        #expect(counts[0] == 1 && counts[1] == 2 && counts[2] == 14)
        #expect(counts[4] == 14 && counts[5] == 14, "every sound photo stored and indexed")
        let again = try await submit(temporary.store, folder)
        #expect(again == .alreadyStored(receipt))
        #expect(try ["batch", "record", "photo", "finding", "blob", "photo_hash", "audit_log", "rule_set"].map { try count(temporary.store, $0) } == counts)
        #expect(try temporary.store.integrityProblems().isEmpty)
    }

    @Test func aBatchForAnotherStationThanExpectedIsRefusedBeforeAnythingIsStored() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestBatches.write([TestBatches.record("A1")], into: folder)
        do {
            _ = try await Submitter(store: temporary.store, catalog: Self.catalog).submit(directory: folder.path, expectedStation: "150603002")
            Issue.record("a batch of station 150602001 was accepted for 150603002")
        } catch {
            guard case .wrongStation(let expected, let declared) = error else { Issue.record("\(error)"); return }
            #expect(expected == "150603002" && declared == "150602001")
        }
        #expect(try count(temporary.store, "batch") == 0 && count(temporary.store, "blob") == 0)
        let own = try await Submitter(store: temporary.store, catalog: Self.catalog).submit(directory: folder.path, expectedStation: "150602001")
        guard case .stored = own else { Issue.record("\(own)"); return }
    }

    @Test func theSameBatchIdWithDifferentContentIsRefused() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestBatches.write([TestBatches.record("A1")], into: folder)
        _ = try await submit(temporary.store, folder)
        // Same batch.json, one photo replaced.
        try Data(TestPhotos.jpeg(seed: 999)).write(to: folder.appendingPathComponent("photos/A1/0112.jpg"))
        do {
            _ = try await submit(temporary.store, folder)
            Issue.record("conflicting content accepted")
        } catch {
            guard case .store(.conflictingBatch(let station, let batchId, _)) = error else { Issue.record("\(error)"); return }
            #expect(station == "150602001" && batchId == "20261018-0001")
            #expect(error.description.contains("different content"))
        }
        #expect(try count(temporary.store, "batch") == 1)
    }

    /// "Same content" is the same JSON and the same photo files: a retry whose batch.json was written again with
    /// other indentation, key order or number spelling is the stored batch; a changed value is not.
    @Test func theSameBatchWrittenDifferentlyIsTheSameBatch() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestBatches.write([TestBatches.record("A1")], into: folder)
        guard case .stored = try await submit(temporary.store, folder) else { Issue.record("not stored"); return }
        let url = folder.appendingPathComponent("batch.json")
        let original = try Data(contentsOf: url)
        let object = try JSONSerialization.jsonObject(with: original)
        // Compact, keys in another order, and 145210 written as 145210.0.
        var rewritten = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        if let range = rewritten.range(of: "\"odometer_km\":") {
            let digits = rewritten[range.upperBound...].prefix { $0.isNumber }
            rewritten.replaceSubrange(range.upperBound..<rewritten.index(range.upperBound, offsetBy: digits.count), with: digits + ".0")
        }
        #expect(Data(rewritten.utf8) != original)
        try Data(rewritten.utf8).write(to: url)
        let again = try await submit(temporary.store, folder)
        guard case .alreadyStored = again else { Issue.record("\(again)"); return }
        // One value changed: a conflict, as before.
        try Data(rewritten.replacingOccurrences(of: "\"lane\":\"1\"", with: "\"lane\":\"2\"").utf8).write(to: url)
        do {
            _ = try await submit(temporary.store, folder)
            Issue.record("a changed batch was taken for the stored one")
        } catch {
            guard case .store(.conflictingBatch) = error else { Issue.record("\(error)"); return }
        }
        #expect(try count(temporary.store, "batch") == 1)
    }

    @Test func aResubmittedRecordSupersedesTheEarlierVersionAndKeepsHistory() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let first = try TestPhotos.temporaryFolder(), second = try TestPhotos.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try TestBatches.write([TestBatches.record("R1") { $0.removeValue(forKey: "plate") }], batchId: "b1", into: first)
        try TestBatches.write([TestBatches.record("R1")], batchId: "b2", into: second)
        let one = try await submit(temporary.store, first).receipt
        #expect(one.records[0].status == .returned)
        let two = try await submit(temporary.store, second).receipt
        #expect(two.records[0].status == .passed, "\(two.records[0].findings.map(\.message))")
        let versions = try temporary.store.read { db in
            try Row.fetchAll(db, sql: "SELECT version, is_current, status FROM record WHERE inspection_id = 'R1' ORDER BY version")
        }
        #expect(versions.map { $0[0] as Int } == [1, 2])
        #expect(versions.map { $0[1] as Bool } == [false, true])
        #expect(versions.map { $0[2] as String } == ["returned", "passed"])
        // The same photos were resubmitted: not duplicates of its own earlier version, stored once.
        #expect(try count(temporary.store, "blob") == 7)
        #expect(try count(temporary.store, "photo") == 14)
    }

    @Test func duplicatesAcrossStationsOdometerRollbackAndOverlapAreFound() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let first = try TestPhotos.temporaryFolder(), second = try TestPhotos.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try TestBatches.write([TestBatches.record("S1-1")], batchId: "a", into: first)
        _ = try await submit(temporary.store, first)
        // Station 2 reuses station 1's left-front photo file, inspects the same VIN at the same time with a lower odometer.
        try TestBatches.write([
            TestBatches.record("S2-1"),
            TestBatches.record("S2-2") { record in
                TestBatches.shift(&record, by: 30 * 86400)
                record["odometer_km"] = 30000
            },
        ], batchId: "b", station: Self.secondStation.code, into: second, photoSeed: 500)
        try FileManager.default.removeItem(at: second.appendingPathComponent("photos/S2-1/0111.jpg"))
        try FileManager.default.copyItem(at: first.appendingPathComponent("photos/S1-1/0111.jpg"),
                                         to: second.appendingPathComponent("photos/S2-1/0111.jpg"))
        let receipt = try await submit(temporary.store, second).receipt
        let findings = receipt.records[0].findings
        let duplicate = try #require(findings.first { $0.rule == "photo.duplicate" })
        #expect(duplicate.photo == "0111")
        #expect(duplicate.evidence["other_station"] == "150602001" && duplicate.evidence["other_inspection_id"] == "S1-1")
        #expect(findings.contains { $0.rule == "record.overlap" }, "\(findings.map(\.rule))")
        #expect(!findings.contains { $0.rule == "record.odometer" }, "same time is not earlier")
        #expect(receipt.records[0].status == .flagged)
        // A month later, 15,210 km less than at station 1.
        let rollback = receipt.records[1].findings
        let odometer = try #require(rollback.first { $0.rule == "record.odometer" }, "\(rollback.map(\.rule))")
        #expect(odometer.message.contains("S1-1"), "\(odometer.message)")
        #expect(!rollback.contains { $0.rule == "record.overlap" })
        #expect(try count(temporary.store, "blob") == 20, "the shared photo is stored once")
    }

    @Test func nearDuplicatesAreFoundThroughTheHashIndex() async throws {
        let temporary = try store()
        defer { temporary.remove() }
        let first = try TestPhotos.temporaryFolder(), second = try TestPhotos.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try TestBatches.write([TestBatches.record("N1")], batchId: "a", into: first, photoSeed: 40)
        _ = try await submit(temporary.store, first)
        try TestBatches.write([TestBatches.record("N2") { $0["vin"] = .string(VIN.withCheckDigit("LSVAU2180N2183294")) }],
                              batchId: "b", into: second, photoSeed: 900)
        // The same scene re-encoded at another quality: different bytes, same picture.
        var exif = TestPhotos.cameraExif(time: "2026:10:18 10:01:02")
        exif.make = "Hikvision"
        try Data(TestPhotos.jpeg(seed: 40, width: 640, height: 480, quality: 60, exif: exif))
            .write(to: second.appendingPathComponent("photos/N2/0111.jpg"))
        let receipt = try await submit(temporary.store, second).receipt
        let duplicate = try #require(receipt.records[0].findings.first { $0.rule == "photo.duplicate" })
        #expect(duplicate.evidence["match"] == "near", "\(duplicate.evidence)")
        #expect(duplicate.evidence["other_inspection_id"] == "N1")
    }

    @Test func submittingNeedsARegisteredStation() async throws {
        let temporary = try TemporaryStore(stations: nil)
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestBatches.write([TestBatches.record()], into: folder)
        do {
            _ = try await submit(temporary.store, folder)
            Issue.record("accepted without a registry")
        } catch {
            guard case .emptyRegistry = error else { Issue.record("\(error)"); return }
        }
    }
}
