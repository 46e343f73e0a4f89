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
        }
        // The whole-store window really reads the rollup: it holds every record.
        let rolled = try temporary.store.read { db in try Int.fetchOne(db, sql: "SELECT sum(records) FROM record_hour") }
        #expect(rolled == 3000)
    }
}
