import Foundation
import GRDB
import Store
import Testing
import VIACore
import VIATesting

@Suite struct StoreBasicsTests {
    @Test func migrationsRunOnAnEmptyStoreAndAgainAreNoOps() throws {
        let temporary = try TemporaryStore(stations: nil)
        defer { temporary.remove() }
        #expect(try temporary.store.appliedMigrations() == ["v1-registry", "v1-submissions", "v2-review", "v3-station-tokens", "v4-supervision-rollups", "v5-registry-revision", "v6-decision-rollups", "v7-honest-records"])
        let tables = try temporary.store.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        for table in ["audit_log", "audit_head", "batch", "blob", "decision", "device", "finding", "lane", "photo", "photo_hash",
                      "queue_item", "queue_skip", "record", "rule_set", "station", "station_token", "record_hour", "finding_hour", "registry_revision",
                      "decision_hour", "rule_decision_hour", "decision_reason", "station_return"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let journal = try temporary.store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let foreignKeys = try temporary.store.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
        // Opening again runs nothing new.
        let reopened = try ViaStore(directory: temporary.directory)
        #expect(try reopened.appliedMigrations() == ["v1-registry", "v1-submissions", "v2-review", "v3-station-tokens", "v4-supervision-rollups", "v5-registry-revision", "v6-decision-rollups", "v7-honest-records"])
        #expect(try reopened.integrityProblems().isEmpty)
    }

    @Test func stationImportIsIdempotentAndReportsChanges() throws {
        let temporary = try TemporaryStore(stations: nil)
        defer { temporary.remove() }
        let store = temporary.store
        let registry = TestBatches.registry
        #expect(try store.importStations(registry).added == ["150602001"])
        #expect(try store.importStations(registry) == StationImportReport(unchanged: ["150602001"]))
        #expect(try store.registry() == registry)
        var changed = registry.stations[0]
        changed.lanes[0].devices.removeLast()
        changed.lanes.append(Lane(code: "2", devices: [Device(id: "CAM-0201", make: "Hikvision", model: "X", serial: "S")]))
        let second = Station(code: "150603002", name: "康巴什", lanes: [Lane(code: "1")])
        let report = try store.importStations(StationRegistry(stations: [changed, second]))
        #expect(report.updated == ["150602001"] && report.added == ["150603002"])
        let stored = try store.registry()
        #expect(stored["150602001"] == changed)
        #expect(stored["150603002"] == second)
        // The registry is cached per store object; a change made through another connection (another process) shows.
        let other = try ViaStore(directory: temporary.directory)
        let third = Station(code: "150604003", name: "伊金霍洛", lanes: [Lane(code: "1")])
        _ = try other.importStations(StationRegistry(stations: [changed, second, third]))
        #expect(try store.registry()["150604003"] == third)
        let entries = try store.read { db in try AuditEntry.fetchAll(db) }
        #expect(entries.map(\.action) == ["stations.imported", "stations.imported", "stations.imported"], "the no-op import logged nothing")
    }

    @Test func schemaConstraintsRefuseBadRows() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        #expect(throws: (any Error).self) {
            try temporary.store.pool.write { db in
                try db.execute(sql: "INSERT INTO lane (station_code, code, position) VALUES ('nope', '1', 0)")
            }
        }
        #expect(throws: (any Error).self) {
            try temporary.store.pool.write { db in
                try db.execute(sql: "INSERT INTO finding (record_row, position, rule, severity, message, evidence) VALUES (999, 0, 'x', 'fatal', 'm', '{}')")
            }
        }
    }

    @Test func blobsAreStoredOnceAndVerified() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = TestPhotos.jpeg()
        let file = folder.appendingPathComponent("a.jpg")
        try Data(bytes).write(to: file)
        let sha = try #require(PhotoAnalysisSHA.of(bytes))
        #expect(try temporary.store.blobs.store(file: file.path, sha256: sha) == bytes.count)
        #expect(try temporary.store.blobs.store(file: file.path, sha256: sha) == bytes.count)
        #expect(temporary.store.blobs.read(sha) == Data(bytes))
        let siblings = try FileManager.default.contentsOfDirectory(atPath: temporary.store.blobs.url(for: sha).deletingLastPathComponent().path)
        #expect(siblings == [sha], "no temporary files left behind")
        #expect(throws: StoreError.photoChanged(path: file.path)) {
            try temporary.store.blobs.store(file: file.path, sha256: String(repeating: "a", count: 64))
        }
    }
}
