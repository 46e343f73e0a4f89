import VIACore

/// `record.overlap`: a vehicle cannot be on two lanes at once.
public struct OverlapRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Overlap accepted (clock differences between stations), in seconds.
        public var minOverlapSeconds = 0.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            minOverlapSeconds = try parameters.double(
                "min_overlap_s", minOverlapSeconds, "overlap in seconds still accepted (clock differences between stations)",
                in: 0...86400)
        }
    }

    static func inspection(_ station: String, _ id: String, _ start: String, _ end: String) -> KnownInspection {
        KnownInspection(station: station, inspectionId: id, vin: "LFV2A21K7G3023312",
                        startedAt: Timestamp.parseISO8601(start), finishedAt: Timestamp.parseISO8601(end), odometerKm: nil)
    }

    public static let description = RuleDescription(
        identifier: "record.overlap",
        name: "Vehicle inspected in one place at a time",
        description: "Another inspection of the same VIN, at any station, has a time window overlapping this one's [started_at, finished_at]. Attempts of one inspection (a re-test and its first test, also when the re-test names it in retest_of) are one visit, not two.",
        rationale: "A vehicle cannot be on two lanes at once: one of the two inspections was carried out without the vehicle (a 代检 / paper inspection).",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("no other inspection of the VIN"),
            RuleExample("last year's inspection",
                        .known("inspection 2025-10-12 14:02–14:31", inspection: inspection(
                            "150602003", "15060200325101200", "2025-10-12T14:02:00+08:00", "2025-10-12T14:31:00+08:00"))),
            RuleExample("a re-inspection at another station starting the minute this one ended",
                        .known("inspection 10:21:40–10:50:00 the same day", inspection: inspection(
                            "150602003", "15060200326101801", "2026-10-18T10:21:40+08:00", "2026-10-18T10:50:00+08:00"))),
            RuleExample("an earlier submission of this same inspection",
                        .known("this inspection, submitted before", inspection: inspection(
                            ExampleWorld.stationCode, "15060200126101800", "2026-10-18T09:59:10+08:00", "2026-10-18T10:21:40+08:00"))),
            RuleExample("a re-test registered under a serial of its own whose first attempt's times overlap it",
                        .record(["inspection_id": "15060200126101899", "attempt": 2, "retest_of": "15060200126101800"]),
                        .known("the first attempt 15060200126101800, 09:40–10:05", inspection: inspection(
                            ExampleWorld.stationCode, "15060200126101800", "2026-10-18T09:40:00+08:00", "2026-10-18T10:05:00+08:00"))),
        ],
        triggeringExamples: [
            RuleExample("another station inspected the VIN from 10:05 to 10:40",
                        .known("inspection at 150602003, 10:05–10:40", inspection: inspection(
                            "150602003", "15060200326101802", "2026-10-18T10:05:00+08:00", "2026-10-18T10:40:00+08:00"))),
            RuleExample("the same station registered the vehicle twice on two lanes",
                        .known("inspection 15060200126101799, 09:50–10:10", inspection: inspection(
                            ExampleWorld.stationCode, "15060200126101799", "2026-10-18T09:50:00+08:00", "2026-10-18T10:10:00+08:00"))),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let record = context.record
        guard let vin = record.vin, let start = record.startedAt, let end = record.finishedAt, end > start else { return [] }
        var violations: [Violation] = []
        for other in context.history.inspections(vin: vin) {
            guard !other.isSameInspection(station: context.stationCode, record: record),
                  let otherStart = other.startedAt, let otherEnd = other.finishedAt else { continue }
            let overlap = min(end.date, otherEnd.date).timeIntervalSince(max(start.date, otherStart.date))
            guard overlap > configuration.minOverlapSeconds, overlap > 0 else { continue }
            violations.append(Violation(
                message: "VIN \(vin) was also being inspected at station \(other.station), inspection \(other.inspectionId), from \(otherStart) to \(otherEnd); this inspection ran from \(start) to \(end), an overlap of \(Format.duration(overlap)); expected no overlap\(configuration.minOverlapSeconds > 0 ? " beyond \(Format.duration(configuration.minOverlapSeconds))" : "")",
                evidence: [
                    "vin": .string(vin), "other_station": .string(other.station),
                    "other_inspection_id": .string(other.inspectionId),
                    "other_started_at": .string(otherStart.description), "other_finished_at": .string(otherEnd.description),
                    "overlap_s": Format.rounded(overlap, digits: 1), "min_overlap_s": JSONValue(configuration.minOverlapSeconds),
                ]))
        }
        return violations
    }
}
