import Foundation
import GRDB
@testable import Store
import Testing
import VIACore
import VIATesting

/// `v7-honest-records` on a store written by the previous schema: records keep their ids, versions and rows as
/// attempt 1; reasons, the return feed and the age limits are filled from what was there.
@Suite struct HonestRecordsMigrationTests {
    @Test func aStoreAtV6IsUpgradedWithItsData() throws {
        let directory = try TestPhotos.temporaryFolder("via-v6")
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(ViaStore.databaseName).path)
        try Migrations.migrator.migrate(queue, upTo: "v6-decision-rollups")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO station (code, name, timezone, updated_at) VALUES ('S1', 'Station', 'Asia/Shanghai', 0);
                INSERT INTO lane (station_code, code, position) VALUES ('S1', '1', 0);
                INSERT INTO device (station_code, lane_code, id, make, position) VALUES ('S1', '1', 'CAM-1', 'Hikvision', 0);
                INSERT INTO batch (id, station_code, batch_id, content_sha256, manifest, receipt, record_count, submitted_at)
                    VALUES (1, 'S1', 'B1', '\(String(repeating: "a", count: 64))', '{}', '{}', 3, 1000);
                INSERT INTO record (id, batch_row, station_code, inspection_id, version, is_current, vin, status, sampled, check_ms, raw, received_at)
                    VALUES (1, 1, 'S1', 'I1', 1, 0, 'V1', 'flagged', 0, 1, '{}', 1000),
                           (2, 1, 'S1', 'I1', 2, 1, 'V1', 'flagged', 0, 1, '{}', 2000),
                           (3, 1, 'S1', 'I2', 1, 1, 'V2', 'returned', 0, 1, '{}', 1500);
                INSERT INTO queue_item (record_row, station_code, inspection_id, priority, enqueued_at, state)
                    VALUES (1, 'S1', 'I1', 0, 1000, 'superseded'), (2, 'S1', 'I1', 0, 2000, 'decided');
                """)
            let seq = try AuditLog.append(db, actor: "t", action: "decision.reject", subject: nil, detail: [:], at: Date(timeIntervalSince1970: 2100)).seq
            try db.execute(sql: """
                INSERT INTO decision (id, record_row, reviewer, outcome, reason_code, claimed_at, decided_at, review_ms, undone_at, audit_seq)
                    VALUES (1, 2, 'li', 'reject', 'R02', 2050, 2100, 50000, 2130, ?),
                           (2, 2, 'li', 'reject', 'R01', 2140, 2150, 10000, NULL, ?);
                """, arguments: [seq, seq])
        }
        try queue.close()

        let store = try ViaStore(directory: directory)
        #expect(try store.appliedMigrations().last == "v7-honest-records")
        #expect(try store.integrityProblems().isEmpty)
        let records = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, inspection_id, attempt, version, is_current FROM record ORDER BY id").map {
                "\($0[0] as Int64) \($0[1] as String) a\($0[2] as Int) v\($0[3] as Int) \($0[4] as Bool)"
            }
        }
        #expect(records == ["1 I1 a1 v1 false", "2 I1 a1 v2 true", "3 I2 a1 v1 true"])
        let reasons = try store.read { db in try String.fetchAll(db, sql: "SELECT code FROM decision_reason ORDER BY decision_id") }
        #expect(reasons == ["R02", "R01"])
        let feed = try store.read { db in
            try String.fetchAll(db, sql: "SELECT kind || ' ' || record_row || ' ' || at FROM station_return ORDER BY seq")
        }
        #expect(feed == ["returned 3 1500.0", "rejected 2 2100.0", "withdrawn 2 2130.0", "rejected 2 2150.0"])
        let due = try store.read { db in try Double.fetchAll(db, sql: "SELECT due_at FROM queue_item ORDER BY record_row") }
        #expect(due == [1600, 2600])
        let device = try store.registry()["S1"]?.lanes.first?.devices.first
        #expect(device?.exif == true && device?.watermark == .auto)
        // The rebuilt table keeps its constraints, indexes and the trigger counting records per hour.
        let indexes = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'record' AND sql IS NOT NULL ORDER BY name")
        }
        #expect(indexes == ["record_batch", "record_current", "record_hour_count", "record_received", "record_vin"])
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO record (batch_row, station_code, inspection_id, attempt, version, is_current, status, sampled, check_ms, raw, received_at)
                    VALUES (1, 'S1', 'I1', 1, 3, 1, 'passed', 0, 1, '{}', 3000)
                    """)
            }
        }
        try store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO record (batch_row, station_code, inspection_id, attempt, version, is_current, status, sampled, check_ms, raw, received_at)
                VALUES (1, 'S1', 'I1', 2, 1, 1, 'passed', 0, 1, '{}', 7200)
                """)
        }
        let hour = try store.read { db in try Int.fetchOne(db, sql: "SELECT records FROM record_hour WHERE hour = 2") }
        #expect(hour == 1)
    }
}
