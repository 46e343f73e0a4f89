import Foundation
import GRDB
import Samples
import Store
import Supervision
import Testing
import VIATesting

/// The rollups kept by triggers (whole hours) plus the records at a window's ragged ends give exactly the counts a
/// direct scan of the records gives, for any window.
@Suite struct RollupTests {
    @Test func rollupFiguresEqualDirectCountsForRaggedWindows() throws {
        let temporary = try TemporaryStore(stations: SampleStations.registry)
        defer { temporary.remove() }
        let now = Date(timeIntervalSince1970: 1_790_006_400 + 1234.5)
        try SyntheticStore.fill(temporary.store, registry: SampleStations.registry, count: 3000, days: 2, seed: 7, now: now)
        // Undo some decisions: the decision rollups must take them back.
        let undone = try temporary.store.write { db in
            try db.execute(sql: "UPDATE decision SET undone_at = decided_at + 60 WHERE id % 7 = 0")
            return db.changesCount
        }
        #expect(undone > 0)
        let supervisor = Supervisor(store: temporary.store)
        let windows: [StatsWindow] = [
            StatsWindow(since: nil, until: now),
            StatsWindow(since: now.addingTimeInterval(-86400 - 1777.25), until: now.addingTimeInterval(-3599)),
            StatsWindow(since: now.addingTimeInterval(-5000), until: now.addingTimeInterval(-4000)), // inside one hour or two
            StatsWindow(since: now.addingTimeInterval(-7200), until: now.addingTimeInterval(-3600)),
            StatsWindow(since: now.addingTimeInterval(-2 * 86400 - 10), until: now.addingTimeInterval(-1)),
        ]
        for window in windows {
            let lower = window.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, upper = window.until.timeIntervalSince1970
            let expected = try temporary.store.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT count(*), sum(status = 'passed'), sum(status = 'returned'), sum(status = 'flagged'), sum(sampled)
                    FROM record WHERE received_at BETWEEN ? AND ?
                    """, arguments: [lower, upper])!
            }
            let overview = try supervisor.overview(window)
            #expect(overview.recordsReceived == expected[0], "\(window)")
            #expect(overview.autoPassed == (expected[1] ?? 0) && overview.returned == (expected[2] ?? 0)
                    && overview.flagged == (expected[3] ?? 0) && overview.sampled == (expected[4] ?? 0), "\(window)")
            let perRule = try temporary.store.read { db in
                try Dictionary(Row.fetchAll(db, sql: """
                    SELECT f.rule, count(DISTINCT f.record_row) FROM finding f JOIN record r ON r.id = f.record_row
                    WHERE r.received_at BETWEEN ? AND ? AND f.severity IN ('warning', 'error') GROUP BY f.rule
                    """, arguments: [lower, upper]).map { ($0[0] as String, $0[1] as Int) }, uniquingKeysWith: +)
            }
            let rules = try supervisor.rules(window)
            #expect(Dictionary(rules.filter { $0.records > 0 }.map { ($0.rule, $0.records) }, uniquingKeysWith: +) == perRule, "\(window)")
            let stations = try supervisor.stations(window)
            #expect(stations.reduce(0) { $0 + $1.records } == expected[0])
            let hours = try supervisor.hours(window)
            #expect(hours.reduce(0) { $0 + $1.arrivals } == expected[0])

            let decisions = try temporary.store.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT r.station_code, count(*), sum(d.outcome = 'reject') FROM decision d JOIN record r ON r.id = d.record_row
                    WHERE d.decided_at BETWEEN ? AND ? AND d.undone_at IS NULL GROUP BY 1
                    """, arguments: [lower, upper]).map { "\($0[0] as String) \($0[1] as Int) \($0[2] as Int)" }
            }
            #expect(stations.filter { $0.decisions > 0 }.map { "\($0.station) \($0.decisions) \($0.rejections)" }.sorted()
                    == decisions.sorted(), "\(window)")
            let perHour = try temporary.store.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
                    SELECT CAST(decided_at / 3600 AS INTEGER), count(*) FROM decision
                    WHERE decided_at BETWEEN ? AND ? AND undone_at IS NULL GROUP BY 1
                    """, arguments: [lower, upper]).map { ($0[0] as Int, $0[1] as Int) })
            }
            #expect(Dictionary(uniqueKeysWithValues: hours.filter { $0.humanDecisions > 0 }.map {
                (Int($0.hour.timeIntervalSince1970 / 3600), $0.humanDecisions)
            }) == perHour, "\(window)")
            let overrides = try temporary.store.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT rule, count(*), sum(outcome = 'approve'), sum(outcome = 'reject') FROM (
                        SELECT DISTINCT d.id, d.outcome, f.rule FROM decision d
                        JOIN finding f ON f.record_row = d.record_row AND f.severity IN ('warning', 'error')
                        WHERE d.decided_at BETWEEN ? AND ? AND d.undone_at IS NULL)
                    GROUP BY rule
                    """, arguments: [lower, upper]).map { "\($0[0] as String) \($0[1] as Int) \($0[2] as Int) \($0[3] as Int)" }
            }
            #expect(rules.filter { $0.decided > 0 }.map { "\($0.rule) \($0.decided) \($0.approvals) \($0.rejections)" }.sorted()
                    == overrides.sorted(), "\(window)")
        }
        // The whole-store window really reads the rollup: it holds every record.
        let rolled = try temporary.store.read { db in try Int.fetchOne(db, sql: "SELECT sum(records) FROM record_hour") }
        #expect(rolled == 3000)
        let standing = try temporary.store.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT sum(decisions) FROM decision_hour) - (SELECT count(*) FROM decision WHERE undone_at IS NULL)")
        }
        #expect(standing == 0)
    }

    /// A store from before the decision rollups gets them filled by the migration, equal to what the triggers keep.
    @Test func decisionRollupMigrationFillsWhatTheTriggersKeep() throws {
        let temporary = try TemporaryStore(stations: SampleStations.registry)
        defer { temporary.remove() }
        let now = Date(timeIntervalSince1970: 1_790_006_400 + 99.5)
        try SyntheticStore.fill(temporary.store, registry: SampleStations.registry, count: 1500, days: 1, seed: 11, now: now)
        func rollups(_ store: ViaStore) throws -> [String] {
            try store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT 'd ' || hour || ' ' || station_code || ' ' || decisions || ' ' || rejections FROM decision_hour
                    WHERE decisions > 0
                    UNION ALL
                    SELECT 'r ' || hour || ' ' || rule || ' ' || decided || ' ' || approvals || ' ' || rejections
                    FROM rule_decision_hour WHERE decided > 0
                    ORDER BY 1
                    """)
            }
        }
        _ = try temporary.store.write { db in try db.execute(sql: "UPDATE decision SET undone_at = decided_at + 1 WHERE id % 5 = 0") }
        let kept = try rollups(temporary.store)
        #expect(kept.contains { $0.hasPrefix("d ") } && kept.contains { $0.hasPrefix("r ") })
        // Back to the schema before v6, data and all, then open it again: the migration runs on existing decisions.
        _ = try temporary.store.write { db in
            try db.execute(sql: """
                DROP TRIGGER decision_hour_count; DROP TRIGGER decision_hour_undo; DROP TABLE decision_hour;
                DROP TRIGGER rule_decision_hour_count; DROP TRIGGER rule_decision_hour_undo; DROP TABLE rule_decision_hour;
                DELETE FROM grdb_migrations WHERE identifier = 'v6-decision-rollups';
                """)
        }
        let upgraded = try ViaStore(directory: temporary.directory)
        #expect(try rollups(upgraded) == kept)
    }
}
