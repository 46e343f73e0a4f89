import Foundation
import Store
@testable import Supervision
import Testing
import VIACore
import VIATesting

/// Every figure checked against values computed by hand on a small fixture.
///
/// Station A (150602001), received at t0: 3 passed (one sampled), 1 returned (photo.missing), 2 flagged
/// (A-f1 photo.time_window error, A-f2 record.vin warning). Station B (150603002), at t0 + 1 h: 1 passed, 3 flagged
/// (B-f1 and B-f2 photo.duplicate errors, B-f3 photo.time_window error). At T = t0 + 2 h: li approves A-f1 after
/// 10 s and rejects B-f1 after 20 s; wang approves B-f2 after 30 s and rejects B-f3 after 5 s. Now = T + 100 s.
@Suite struct FiguresTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_006_400) // on an hour boundary
    static let T = t0.addingTimeInterval(7200)
    static let now = T.addingTimeInterval(100)

    static func fixture() throws -> TemporaryStore {
        var stations = TestBatches.registry.stations
        stations.append(Station(code: "150603002", name: "B", lanes: stations[0].lanes))
        let temporary = try TemporaryStore(stations: StationRegistry(stations: stations))
        let ruleSet = TestBatches.catalog.ruleSets[0]
        func record(_ id: String, _ status: RecordStatus, sampled: Bool = false, _ findings: [(String, Severity)] = []) -> AuditedRecord {
            let result = RecordResult(inspectionId: id, status: status, sampled: sampled, ruleset: ruleSet.reference,
                                      findings: findings.map { Finding(rule: $0.0, severity: $0.1, photo: "0111", message: "m") },
                                      checkMs: 5)
            return AuditedRecord(record: InspectionRecord.parse(TestBatches.record(id), index: 0), result: result, ruleSet: ruleSet,
                                 photos: [], photoPaths: [])
        }
        func commit(_ station: String, _ batch: String, _ records: [AuditedRecord], at date: Date) throws {
            let receipt = Receipt(batchId: batch, station: station, records: records.map(\.result))
            _ = try temporary.store.commit(SubmissionHeader(station: station, batchId: batch, contentSHA256: String(repeating: "a", count: 64),
                                                            manifest: "{}"), storedBlobs: [:], at: date) { _ in
                AuditOutcome(receipt: receipt, records: records)
            }
        }
        try commit("150602001", "a", [
            record("A-p1", .passed), record("A-p2", .passed), record("A-s", .passed, sampled: true),
            record("A-r", .returned, [("photo.missing", .error)]),
            record("A-f1", .flagged, [("photo.time_window", .error)]), record("A-f2", .flagged, [("record.vin", .warning)]),
        ], at: t0)
        try commit("150603002", "b", [
            record("B-p", .passed), record("B-f1", .flagged, [("photo.duplicate", .error)]),
            record("B-f2", .flagged, [("photo.duplicate", .error)]), record("B-f3", .flagged, [("photo.time_window", .error)]),
        ], at: t0.addingTimeInterval(3600))
        let store = temporary.store
        let a1 = try #require(try store.claimNext(reviewer: "li", now: T))
        #expect(a1.inspectionId == "A-f1")
        _ = try store.decide(id: a1.id, token: a1.claim!.token, verdict: .approve, now: T.addingTimeInterval(10))
        let b1 = try #require(try store.claimNext(reviewer: "li", now: T.addingTimeInterval(20)))
        let b2 = try #require(try store.claimNext(reviewer: "wang", now: T.addingTimeInterval(20)))
        #expect(b1.inspectionId == "B-f1" && b2.inspectionId == "B-f2")
        _ = try store.decide(id: b1.id, token: b1.claim!.token, verdict: .reject(reason: "R01", note: nil), now: T.addingTimeInterval(40))
        _ = try store.decide(id: b2.id, token: b2.claim!.token, verdict: .approve, now: T.addingTimeInterval(50))
        let b3 = try #require(try store.claimNext(reviewer: "wang", now: T.addingTimeInterval(60)))
        #expect(b3.inspectionId == "B-f3")
        _ = try store.decide(id: b3.id, token: b3.claim!.token, verdict: .reject(reason: "R02", note: nil), now: T.addingTimeInterval(65))
        return temporary
    }

    let window = StatsWindow(since: nil, until: FiguresTests.now)

    @Test func overview() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let o = try Supervisor(store: temporary.store).overview(window)
        #expect(o.recordsReceived == 10 && o.autoPassed == 4 && o.returned == 1 && o.flagged == 5 && o.sampled == 1)
        #expect(o.autoPassRate == 0.4)
        #expect(o.queueDepth == 2 && o.oldestQueuedAgeSeconds == 7300)
        #expect(o.decisions == 4 && o.approvals == 2 && o.rejections == 2 && o.reviewersActive == 2)
        #expect(o.reviewTime.p50 == 10 && o.reviewTime.p90 == 30 && o.reviewTime.p99 == 30 && o.reviewTime.mean == 16.25)
        #expect(o.withinTargetRate == 0.5)
        // 6 records entered the queue over 7300 s.
        #expect(abs(o.staffing.arrivalsPerHour - 6 / (7300.0 / 3600)) < 1e-9)
        let a = 6 / 7300.0 * 16.25
        #expect(abs((o.staffing.offeredLoad ?? 0) - a) < 1e-9)
        #expect(o.staffing.reviewersNeeded == 1)
        #expect(abs((o.staffing.expectedWaitSeconds ?? 0) - a * 16.25 / (1 - a)) < 1e-9, "Erlang C with one server is a/(1−a)·s")
    }

    @Test func windowsExcludeOlderActivity() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        // The last hour: station B's batch is older (t0 + 1 h = now − 1 h 1 min 40 s), only decisions remain.
        let recent = try Supervisor(store: temporary.store).overview(StatsWindow(since: Self.now.addingTimeInterval(-3600), until: Self.now))
        #expect(recent.recordsReceived == 0 && recent.decisions == 4)
    }

    @Test func stations() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let list = try Supervisor(store: temporary.store).stations(window)
        let a = try #require(list.first { $0.station == "150602001" }), b = try #require(list.first { $0.station == "150603002" })
        #expect(a.records == 6 && a.flagged == 2 && a.returned == 1 && a.decisions == 1 && a.rejections == 0 && a.rejectionRate == 0)
        #expect(abs(a.flagRate - 1.0 / 3) < 1e-12 && abs(a.returnRate - 1.0 / 6) < 1e-12)
        #expect(b.records == 4 && b.flagged == 3 && b.decisions == 3 && b.rejections == 2)
        #expect(b.topRules == [RuleCount(rule: "photo.duplicate", records: 2), RuleCount(rule: "photo.time_window", records: 1)])
        #expect(a.medianInspectionMinutes == 22.5, "09:59:10 → 10:21:40")
        // Station A against B: flag z = (1/3 − 3/4)/√(0.1875/6), return z = (1/6 − 0)/√(0.0625/6),
        // rejection z = (0 − 2/3)/√(2/9 / 1); the score is their root mean square.
        let zFlag = (1.0 / 3 - 0.75) / (0.1875 / 6).squareRoot()
        let zReturn = (1.0 / 6) / (0.0625 / 6).squareRoot()
        let zReject = (0 - 2.0 / 3) / (2.0 / 9).squareRoot()
        let rms = ((zFlag * zFlag + zReturn * zReturn + zReject * zReject) / 3).squareRoot()
        #expect(abs(a.outlierScore - (rms * 100).rounded() / 100) < 1e-9)
        #expect(a.outlierDriver == "flag")
    }

    @Test func rulesAndOverrides() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let list = try Supervisor(store: temporary.store).rules(window)
        let timeWindow = try #require(list.first { $0.rule == "photo.time_window" })
        #expect(timeWindow.records == 2 && timeWindow.rate == 0.2 && timeWindow.decided == 2 && timeWindow.approvals == 1
                && timeWindow.overrideRate == 0.5)
        let duplicate = try #require(list.first { $0.rule == "photo.duplicate" })
        #expect(duplicate.records == 2 && duplicate.decided == 2 && duplicate.rejections == 1 && duplicate.overrideRate == 0.5)
        let vin = try #require(list.first { $0.rule == "record.vin" })
        #expect(vin.records == 1 && vin.decided == 0 && vin.overrideRate == nil)
        #expect(list.contains { $0.rule == "photo.missing" && $0.records == 1 })
    }

    @Test func reviewersAndHours() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let supervisor = Supervisor(store: temporary.store)
        let reviewers = try supervisor.reviewers(window)
        let li = try #require(reviewers.first { $0.reviewer == "li" }), wang = try #require(reviewers.first { $0.reviewer == "wang" })
        #expect(li.decisions == 2 && li.approvals == 1 && li.rejections == 1 && li.reviewTime.p50 == 10 && li.reviewTime.p99 == 20)
        #expect(wang.decisions == 2 && wang.reviewTime.p50 == 5 && wang.reviewTime.p90 == 30)
        let hours = try supervisor.hours(window)
        #expect(hours.map(\.arrivals) == [6, 4, 0])
        #expect(hours.map(\.autoDecisions) == [3, 1, 0], "passed (not sampled) and returned records")
        #expect(hours.map(\.humanDecisions) == [0, 0, 4])
        #expect(hours.map(\.queueDepth) == [3, 6, 2])
        #expect(hours.first?.hour == Self.t0)
    }

    @Test func csvHeadersAreStable() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let supervisor = Supervisor(store: temporary.store)
        let overview = CSVTable.overview(try supervisor.overview(window))
        #expect(overview.hasPrefix("since,until,records_received,auto_passed,returned,flagged,sampled,auto_pass_rate,queue_depth,"
                                   + "oldest_queued_age_s,decisions,approvals,rejections,review_p50_s,review_p90_s,review_p99_s,"
                                   + "within_target_rate,reviewers_active,queue_arrivals_per_hour,reviewers_needed\r\n"))
        #expect(CSVTable.stations(try supervisor.stations(window)).hasPrefix(
            "station,name,records,flagged,returned,flag_rate,return_rate,top_rules,decisions,rejections,rejection_rate,median_inspection_min,outlier_score,outlier_driver\r\n"))
        #expect(CSVTable.rules(try supervisor.rules(window)).hasPrefix("rule,records,rate,decided,approvals,rejections,override_rate\r\n"))
        #expect(CSVTable.reviewers(try supervisor.reviewers(window)).hasPrefix("reviewer,decisions,approvals,rejections,review_p50_s,review_p90_s,review_p99_s\r\n"))
        #expect(CSVTable.hours(try supervisor.hours(window)).hasPrefix("hour,arrivals,auto_decisions,human_decisions,queue_depth\r\n"))
        #expect(CSVTable.render(header: ["a"], rows: [["x,\"y\""]]) == "a\r\n\"x,\"\"y\"\"\"\r\n")
    }

    @Test func jsonKeysAreStable() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let json = try JSONCoding.string(try Supervisor(store: temporary.store).overview(window))
        for key in ["records_received", "auto_pass_rate", "queue_depth", "oldest_queued_age_seconds", "review_time", "p50", "staffing",
                    "reviewers_needed", "arrivals_per_hour", "within_target_rate"] {
            #expect(json.contains("\"\(key)\""), "missing \(key)")
        }
        // A window with nothing in it keeps every key: undefined figures are null, not left out.
        let empty = try JSONCoding.string(try Supervisor(store: temporary.store).overview(
            StatsWindow(since: Self.t0.addingTimeInterval(-7200), until: Self.t0.addingTimeInterval(-3600))), pretty: false)
        for key in ["auto_pass_rate", "within_target_rate", "mean", "p50", "p90", "p99",
                    "mean_review_seconds", "reviewers_needed"] {
            #expect(empty.contains("\"\(key)\":null"), "\(key) in \(empty)")
        }
        let decoded = try JSONCoding.decoder().decode(Overview.self, from: Data(empty.utf8))
        #expect(decoded.autoPassRate == nil && decoded.recordsReceived == 0)
        // A key left out (older output) decodes as nil as well.
        let withoutKey = empty.replacingOccurrences(of: "\"auto_pass_rate\":null,", with: "")
        #expect(!withoutKey.contains("auto_pass_rate"))
        #expect(try JSONCoding.decoder().decode(Overview.self, from: Data(withoutKey.utf8)).autoPassRate == nil)
    }

    @Test func prometheusText() throws {
        let temporary = try Self.fixture()
        defer { temporary.remove() }
        let text = try PrometheusMetrics.render(supervisor: Supervisor(store: temporary.store), now: Self.now)
        #expect(text.contains("# TYPE via_queue_depth gauge\nvia_queue_depth 2\n"))
        #expect(text.contains("via_records_total{status=\"flagged\"} 5\n"))
        #expect(text.contains("via_decisions_total{outcome=\"reject\"} 2\n"))
        #expect(text.contains("via_review_seconds{quantile=\"0.5\"} 10\n"))
        #expect(text.contains("via_rule_override_rate{rule=\"photo.duplicate\"} 0.5\n"))
    }
}

/// Percentiles by selection against nearest rank on a sorted copy, on shapes that trouble quickselect.
@Suite struct PercentilesTests {
    static func reference(_ values: [Double]) -> [Double?] {
        let sorted = values.sorted()
        return [0.5, 0.9, 0.99].map { p in
            sorted.isEmpty ? nil : sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
        }
    }

    /// Musser's "median-of-3 killer" sequence, hard on median-of-three partitioning.
    static func medianOfThreeKiller(_ n: Int) -> [Double] {
        let k = n / 2
        var values = [Double](repeating: 0, count: n)
        for i in 1...k {
            if i % 2 == 1 { values[i - 1] = Double(i); values[i] = Double(k + i) }
            values[k + i - 1] = Double(2 * i)
        }
        return values
    }

    @Test func selectionMatchesNearestRankOfTheSortedValues() {
        var generator = SeededRandom(seed: 20261127)
        var shapes: [[Double]] = [[], [7], [2, 1], [3, 3, 3, 3], Array(repeating: 5, count: 1000)]
        shapes.append((0..<1000).map(Double.init))                                    // already sorted
        shapes.append((0..<1000).reversed().map(Double.init))                         // reversed
        shapes.append((0..<999).map { Double($0 % 2 == 0 ? $0 : 999 - $0) })           // two interleaved runs
        shapes.append((0..<1001).map { Double(min($0, 1000 - $0)) })                  // organ pipe: up, then down
        shapes.append((0..<1000).map { Double($0 % 10) })                             // sawtooth
        shapes.append(Self.medianOfThreeKiller(4096))
        for count in [3, 10, 99, 100, 101, 1000, 4096] {
            shapes.append((0..<count).map { _ in Double(Int.random(in: 0..<20, using: &generator)) }) // many ties
            shapes.append((0..<count).map { _ in Double.random(in: -1e6...1e6, using: &generator) })
        }
        for values in shapes {
            let figures = Percentiles(values)
            #expect([figures.p50, figures.p90, figures.p99] == Self.reference(values), "\(values.prefix(12)) (\(values.count) values)")
            #expect(figures.count == values.count)
        }
        // The sorting fallback, forced at once and after a round or two, picks the same values.
        for values in shapes where !values.isEmpty {
            for budget in [0, 1, 2] {
                var copy = values
                let rank = (values.count - 1) / 2
                #expect(Percentiles.select(rank, in: &copy, from: 0, rounds: budget) == values.sorted()[rank], "budget \(budget)")
            }
        }
        #expect(Percentiles([1, 2, 3, 4]).mean == 2.5)
        #expect(Percentiles([]).mean == nil)
    }
}
