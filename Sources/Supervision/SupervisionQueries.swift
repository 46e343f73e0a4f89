import Foundation
import GRDB
import Store
import VIACore

/// Computes the supervision figures from the store. Every figure is defined here once; `via stats`, the HTML
/// report and `/metrics` all read them from this type.
public struct Supervisor: Sendable {
    public let store: ViaStore
    /// Review-time target per record (the 10–15 s the process is designed for).
    public var reviewTargetSeconds: Double = 15
    /// Queue wait the staffing figure aims to stay under.
    public var queueWaitTargetSeconds: Double = 300

    public init(store: ViaStore) { self.store = store }

    public func overview(_ window: StatsWindow) throws(StoreError) -> Overview {
        try store.read { db in try overview(db, window) }
    }

    public func stations(_ window: StatsWindow) throws(StoreError) -> [StationFigures] {
        try store.read { db in try stations(db, window) }
    }

    public func rules(_ window: StatsWindow) throws(StoreError) -> [RuleFigures] {
        try store.read { db in try rules(db, window) }
    }

    public func reviewers(_ window: StatsWindow) throws(StoreError) -> [ReviewerFigures] {
        try store.read { db in try reviewers(db, window) }
    }

    public func hours(_ window: StatsWindow) throws(StoreError) -> [HourFigures] {
        try store.read { db in try hours(db, window) }
    }

    // MARK: queries

    func overview(_ db: Database, _ window: StatsWindow) throws -> Overview {
        let args: StatementArguments = [window.lower, window.upper]
        var counts = RecordTally()
        for tally in try recordTallies(db, window).values { counts.add(tally) }
        let received = counts.records
        let passed = counts.passed
        let queue = try Row.fetchOne(db, sql: "SELECT count(*), min(enqueued_at) FROM queue_item WHERE state IN ('waiting', 'claimed')")!
        var reviewSeconds: [Double] = []
        var approvals = 0, rejections = 0
        var reviewers: Set<String> = []
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT outcome, review_ms, reviewer FROM decision WHERE decided_at BETWEEN ? AND ? AND undone_at IS NULL
            """, arguments: args)
        while let row = try cursor.next() {
            if (row[0] as String) == "approve" { approvals += 1 } else { rejections += 1 }
            reviewSeconds.append((row[1] as Double) / 1000)
            reviewers.insert(row[2])
        }
        let enqueued = try Int.fetchOne(db, sql: "SELECT count(*) FROM queue_item WHERE enqueued_at BETWEEN ? AND ?", arguments: args) ?? 0
        let firstActivity = try Double.fetchOne(db, sql: "SELECT min(received_at) FROM record WHERE received_at BETWEEN ? AND ?", arguments: args)
        let start = max(window.lower, firstActivity ?? window.upper)
        let hours = max(1.0 / 60, (window.upper - start) / 3600)
        let percentiles = Percentiles(reviewSeconds)
        return Overview(
            window: window, recordsReceived: received, autoPassed: passed, returned: counts.returned, flagged: counts.flagged,
            sampled: counts.sampled, autoPassRate: received == 0 ? nil : Double(passed) / Double(received),
            queueDepth: queue[0], oldestQueuedAgeSeconds: (queue[1] as Double?).map { max(0, window.upper - $0) },
            decisions: approvals + rejections, approvals: approvals, rejections: rejections, reviewTime: percentiles,
            reviewTargetSeconds: reviewTargetSeconds,
            withinTargetRate: reviewSeconds.isEmpty ? nil
                : Double(reviewSeconds.filter { $0 <= reviewTargetSeconds }.count) / Double(reviewSeconds.count),
            reviewersActive: reviewers.count,
            staffing: Staffing(arrivalsPerHour: Double(enqueued) / hours, meanReviewSeconds: percentiles.mean,
                               targetWaitSeconds: queueWaitTargetSeconds))
    }

    func stations(_ db: Database, _ window: StatsWindow) throws -> [StationFigures] {
        let args: StatementArguments = [window.lower, window.upper]
        struct Tally { var name: String?; var records = 0, flagged = 0, returned = 0, decisions = 0, rejections = 0
            var durations: [Double] = []; var rules: [RuleCount] = [] }
        var tallies: [String: Tally] = [:]
        let names = try Dictionary(Row.fetchAll(db, sql: "SELECT code, name FROM station").map { ($0[0] as String, $0[1] as String?) },
                                   uniquingKeysWith: { first, _ in first })
        for (key, counts) in try recordTallies(db, window) {
            tallies[key.station, default: Tally(name: names[key.station] ?? nil)].records += counts.records
            tallies[key.station]!.flagged += counts.flagged
            tallies[key.station]!.returned += counts.returned
        }
        let durations = try Row.fetchCursor(db, sql: """
            SELECT station_code, finished_at - started_at FROM record
            WHERE received_at BETWEEN ? AND ? AND finished_at > started_at
            """, arguments: args)
        while let row = try durations.next() { tallies[row[0], default: Tally()].durations.append(row[1]) }
        for (station, rules) in try ruleTallies(db, window) {
            tallies[station, default: Tally(name: names[station] ?? nil)].rules = rules.map { RuleCount(rule: $0.key, records: $0.value) }
        }
        for (key, counts) in try decisionTallies(db, window) {
            tallies[key.station, default: Tally(name: names[key.station] ?? nil)].decisions += counts.decisions
            tallies[key.station]!.rejections += counts.rejections
        }
        let totals = tallies.values.reduce(into: (records: 0, flagged: 0, returned: 0, decisions: 0, rejections: 0)) {
            $0.records += $1.records; $0.flagged += $1.flagged; $0.returned += $1.returned
            $0.decisions += $1.decisions; $0.rejections += $1.rejections
        }
        return tallies.map { code, tally in
            // z-score of the station's rate against the pooled rate of every other station
            func z(_ count: Int, _ n: Int, _ allCount: Int, _ allN: Int) -> Double {
                let otherN = allN - n, otherCount = allCount - count
                guard n > 0, otherN > 0 else { return 0 }
                let p = Double(otherCount) / Double(otherN)
                let variance = max(p * (1 - p), 0.25 / Double(otherN)) / Double(n)
                return (Double(count) / Double(n) - p) / variance.squareRoot()
            }
            let scores = [("flag", z(tally.flagged, tally.records, totals.flagged, totals.records)),
                          ("return", z(tally.returned, tally.records, totals.returned, totals.records)),
                          ("rejection", z(tally.rejections, tally.decisions, totals.rejections, totals.decisions))]
            let rms = (scores.map { $0.1 * $0.1 }.reduce(0, +) / Double(scores.count)).squareRoot()
            let driver = scores.max { abs($0.1) < abs($1.1) }
            return StationFigures(
                station: code, name: tally.name, records: tally.records, flagged: tally.flagged, returned: tally.returned,
                flagRate: tally.records == 0 ? 0 : Double(tally.flagged) / Double(tally.records),
                returnRate: tally.records == 0 ? 0 : Double(tally.returned) / Double(tally.records),
                topRules: Array(tally.rules.sorted { $0.records != $1.records ? $0.records > $1.records : $0.rule < $1.rule }.prefix(3)),
                decisions: tally.decisions, rejections: tally.rejections,
                rejectionRate: tally.decisions == 0 ? nil : Double(tally.rejections) / Double(tally.decisions),
                medianInspectionMinutes: Percentiles(tally.durations).p50.map { $0 / 60 },
                outlierScore: (rms * 100).rounded() / 100, outlierDriver: rms > 0 ? driver?.0 : nil)
        }.sorted { $0.outlierScore != $1.outlierScore ? $0.outlierScore > $1.outlierScore : $0.station < $1.station }
    }

    func rules(_ db: Database, _ window: StatsWindow) throws -> [RuleFigures] {
        let received = try recordTallies(db, window).values.reduce(0) { $0 + $1.records }
        var perRule: [String: Int] = [:]
        for rules in try ruleTallies(db, window).values {
            for (rule, records) in rules { perRule[rule, default: 0] += records }
        }
        var figures: [String: RuleFigures] = [:]
        for (rule, records) in perRule {
            figures[rule] = RuleFigures(rule: rule, records: records, rate: received == 0 ? 0 : Double(records) / Double(received),
                                        decided: 0, approvals: 0, rejections: 0, overrideRate: nil)
        }
        for (rule, counts) in try ruleDecisionTallies(db, window) where counts.decided > 0 {
            var figure = figures[rule] ?? RuleFigures(rule: rule, records: 0, rate: 0, decided: 0, approvals: 0, rejections: 0,
                                                     overrideRate: nil)
            figure.decided = counts.decided
            figure.approvals = counts.approvals
            figure.rejections = counts.rejections
            figure.overrideRate = Double(counts.approvals) / Double(counts.decided)
            figures[rule] = figure
        }
        return figures.values.sorted { $0.records != $1.records ? $0.records > $1.records : $0.rule < $1.rule }
    }

    func reviewers(_ db: Database, _ window: StatsWindow) throws -> [ReviewerFigures] {
        var times: [String: [Double]] = [:]
        var counts: [String: (approvals: Int, rejections: Int)] = [:]
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT reviewer, outcome, review_ms FROM decision WHERE decided_at BETWEEN ? AND ? AND undone_at IS NULL
            """, arguments: [window.lower, window.upper])
        while let row = try cursor.next() {
            let reviewer: String = row[0]
            times[reviewer, default: []].append((row[2] as Double) / 1000)
            if (row[1] as String) == "approve" { counts[reviewer, default: (0, 0)].approvals += 1 } else { counts[reviewer, default: (0, 0)].rejections += 1 }
        }
        return times.map { reviewer, seconds in
            ReviewerFigures(reviewer: reviewer, decisions: seconds.count, approvals: counts[reviewer]?.approvals ?? 0,
                            rejections: counts[reviewer]?.rejections ?? 0, reviewTime: Percentiles(seconds))
        }.sorted { $0.decisions != $1.decisions ? $0.decisions > $1.decisions : $0.reviewer < $1.reviewer }
    }

    func hours(_ db: Database, _ window: StatsWindow) throws -> [HourFigures] {
        var arrivals: [Int: Int] = [:], automatic: [Int: Int] = [:], human: [Int: Int] = [:]
        for (key, counts) in try recordTallies(db, window) {
            arrivals[key.hour, default: 0] += counts.records
            automatic[key.hour, default: 0] += counts.automatic
        }
        for (key, counts) in try decisionTallies(db, window) {
            human[key.hour, default: 0] += counts.decisions
        }
        let buckets = Set(arrivals.keys).union(human.keys)
        guard let first = buckets.min(), let last = buckets.max() else { return [] }
        // Queue depth at the end of each hour: entered minus left (decided, or superseded by a resubmission).
        let entered = try Double.fetchAll(db, sql: "SELECT enqueued_at FROM queue_item ORDER BY enqueued_at")
        let left = try Double.fetchAll(db, sql: """
            SELECT t FROM (
                SELECT min(d.decided_at) AS t FROM decision d JOIN queue_item q ON q.record_row = d.record_row
                WHERE q.state = 'decided' AND d.undone_at IS NULL GROUP BY d.record_row
                UNION ALL
                SELECT (SELECT min(n.received_at) FROM record n WHERE n.station_code = r.station_code
                        AND n.inspection_id = r.inspection_id AND n.version > r.version)
                FROM queue_item q JOIN record r ON r.id = q.record_row WHERE q.state = 'superseded')
            WHERE t IS NOT NULL ORDER BY t
            """)
        var enteredIndex = 0, leftIndex = 0
        return (first...last).map { bucket in
            let end = Double(bucket + 1) * 3600
            while enteredIndex < entered.count && entered[enteredIndex] < end { enteredIndex += 1 }
            while leftIndex < left.count && left[leftIndex] < end { leftIndex += 1 }
            return HourFigures(hour: Date(timeIntervalSince1970: Double(bucket) * 3600), arrivals: arrivals[bucket] ?? 0,
                               autoDecisions: automatic[bucket] ?? 0, humanDecisions: human[bucket] ?? 0,
                               queueDepth: max(0, enteredIndex - leftIndex))
        }
    }
}

extension Supervisor {
    /// Every review time in the window, in seconds (for the distribution chart).
    public func reviewTimes(_ window: StatsWindow) throws(StoreError) -> [Double] {
        try store.read { db in
            try Double.fetchAll(db, sql: """
                SELECT review_ms / 1000.0 FROM decision WHERE decided_at BETWEEN ? AND ? AND undone_at IS NULL
                """, arguments: [window.lower, window.upper])
        }
    }

    /// Everything at once, for reports.
    public func report(_ window: StatsWindow) throws(StoreError) -> SupervisionReport {
        try store.read { db in
            SupervisionReport(overview: try overview(db, window), stations: try stations(db, window), rules: try rules(db, window),
                              reviewers: try reviewers(db, window), hours: try hours(db, window),
                              reviewTimes: try Double.fetchAll(db, sql: """
                                  SELECT review_ms / 1000.0 FROM decision WHERE decided_at BETWEEN ? AND ? AND undone_at IS NULL
                                  """, arguments: [window.lower, window.upper]))
        }
    }
}

/// All supervision figures of a window.
public struct SupervisionReport: Sendable, Codable, Equatable {
    public var overview: Overview
    public var stations: [StationFigures]
    public var rules: [RuleFigures]
    public var reviewers: [ReviewerFigures]
    public var hours: [HourFigures]
    public var reviewTimes: [Double]
}
