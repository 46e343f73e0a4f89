import GRDB

/// A window cut into whole hours, read from the rollup tables the store's triggers keep (`record_hour`,
/// `finding_hour`, `decision_hour`, `rule_decision_hour`), and the partial hours at its ends, read from the rows
/// themselves with the same definitions.
/// Every count is exact; only the work depends on the window's length.
struct WindowSplit {
    /// Whole hours inside the window (bucket numbers: hours since 1970).
    var hours: ClosedRange<Int>?
    /// The rest of the window: closed ranges of seconds since 1970.
    var edges: [(from: Double, to: Double)]

    init(_ window: StatsWindow) {
        let first = window.since == nil ? Int(Int32.min) : Int((window.lower / 3600).rounded(.up))
        let last = Int((window.upper / 3600).rounded(.down)) - 1
        guard first <= last else {
            hours = nil
            edges = [(window.lower, window.upper)]
            return
        }
        hours = first...last
        edges = []
        if window.since != nil, window.lower < Double(first) * 3600 { edges.append((window.lower, (Double(first) * 3600).nextDown)) }
        edges.append((Double(last + 1) * 3600, window.upper))
    }
}

/// Records of one station in one hour, by outcome.
struct RecordTally {
    var records = 0, passed = 0, returned = 0, flagged = 0, sampled = 0
    /// Decided without a reviewer: passed or returned, and not sampled for QA.
    var automatic = 0

    mutating func add(_ other: RecordTally) {
        records += other.records; passed += other.passed; returned += other.returned
        flagged += other.flagged; sampled += other.sampled; automatic += other.automatic
    }
}

struct HourStation: Hashable {
    var hour: Int
    var station: String
}

extension Supervisor {
    /// Hands `collect` every row of `hourly` over the window's whole hours (its arguments: the first and last hour)
    /// and of `edge` over each partial hour at its ends (its arguments: from and to, seconds since 1970). Both
    /// queries answer the same columns with the same meaning.
    func rows(_ db: Database, _ window: StatsWindow, hourly: String, edge: String, _ collect: (Row) throws -> Void) throws {
        func each(_ cursor: RowCursor) throws {
            while let row = try cursor.next() { try collect(row) }
        }
        let split = WindowSplit(window)
        if let hours = split.hours {
            try each(Row.fetchCursor(db, sql: hourly, arguments: [hours.lowerBound, hours.upperBound]))
        }
        for range in split.edges {
            try each(Row.fetchCursor(db, sql: edge, arguments: [range.from, range.to]))
        }
    }

    /// Record counts by hour and station in the window.
    func recordTallies(_ db: Database, _ window: StatsWindow) throws -> [HourStation: RecordTally] {
        var tallies: [HourStation: RecordTally] = [:]
        try rows(db, window, hourly: """
            SELECT hour, station_code, records, passed, returned, flagged, sampled, automatic FROM record_hour
            WHERE hour BETWEEN ? AND ?
            """, edge: """
            SELECT CAST(received_at / 3600 AS INTEGER), station_code, count(*), sum(status = 'passed'), sum(status = 'returned'),
                   sum(status = 'flagged'), sum(sampled), sum(status IN ('passed', 'returned') AND sampled = 0)
            FROM record WHERE received_at BETWEEN ? AND ? GROUP BY 1, 2
            """) { row in
            tallies[HourStation(hour: row[0], station: row[1]), default: RecordTally()].add(
                RecordTally(records: row[2], passed: row[3], returned: row[4], flagged: row[5], sampled: row[6], automatic: row[7]))
        }
        return tallies
    }

    /// Records each rule fired on (warnings and errors), by station, in the window.
    func ruleTallies(_ db: Database, _ window: StatsWindow) throws -> [String: [String: Int]] {
        var tallies: [String: [String: Int]] = [:]
        try rows(db, window, hourly: """
            SELECT station_code, rule, sum(records) FROM finding_hour WHERE hour BETWEEN ? AND ? GROUP BY 1, 2
            """, edge: """
            SELECT r.station_code, f.rule, count(DISTINCT f.record_row) FROM finding f JOIN record r ON r.id = f.record_row
            WHERE r.received_at BETWEEN ? AND ? AND f.severity IN ('warning', 'error') GROUP BY 1, 2
            """) { row in
            tallies[row[0], default: [:]][row[1], default: 0] += row[2] as Int
        }
        return tallies
    }

    /// Standing (not undone) decisions by hour of decision and station of the record, in the window.
    func decisionTallies(_ db: Database, _ window: StatsWindow) throws -> [HourStation: (decisions: Int, rejections: Int)] {
        var tallies: [HourStation: (decisions: Int, rejections: Int)] = [:]
        try rows(db, window, hourly: """
            SELECT hour, station_code, decisions, rejections FROM decision_hour WHERE hour BETWEEN ? AND ? AND decisions > 0
            """, edge: """
            SELECT CAST(d.decided_at / 3600 AS INTEGER), r.station_code, count(*), sum(d.outcome = 'reject')
            FROM decision d JOIN record r ON r.id = d.record_row
            WHERE d.decided_at BETWEEN ? AND ? AND d.undone_at IS NULL GROUP BY 1, 2
            """) { row in
            let key = HourStation(hour: row[0], station: row[1])
            let counts = tallies[key] ?? (0, 0)
            tallies[key] = (counts.decisions + row[2], counts.rejections + (row[3] as Int))
        }
        return tallies
    }

    /// Standing decisions on records each rule fired on (warnings and errors), in the window.
    func ruleDecisionTallies(_ db: Database, _ window: StatsWindow) throws -> [String: (decided: Int, approvals: Int, rejections: Int)] {
        var tallies: [String: (decided: Int, approvals: Int, rejections: Int)] = [:]
        try rows(db, window, hourly: """
            SELECT rule, sum(decided), sum(approvals), sum(rejections) FROM rule_decision_hour
            WHERE hour BETWEEN ? AND ? GROUP BY rule HAVING sum(decided) > 0
            """, edge: """
            SELECT rule, count(*), sum(outcome = 'approve'), sum(outcome = 'reject') FROM (
                SELECT DISTINCT d.id, d.outcome, f.rule FROM decision d
                JOIN finding f ON f.record_row = d.record_row AND f.severity IN ('warning', 'error')
                WHERE d.decided_at BETWEEN ? AND ? AND d.undone_at IS NULL)
            GROUP BY rule
            """) { row in
            let rule: String = row[0]
            let counts = tallies[rule] ?? (0, 0, 0)
            tallies[rule] = (counts.decided + row[1], counts.approvals + (row[2] as Int), counts.rejections + (row[3] as Int))
        }
        return tallies
    }
}
