import VIACore

/// `record.odometer`: the odometer never reads lower than at an earlier inspection of the same vehicle.
public struct OdometerRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Accepted drop, in km (instrument replacement, typing slips).
        public var toleranceKm = 0.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            toleranceKm = try parameters.double(
                "tolerance_km", toleranceKm, "how many km lower than an earlier reading is still accepted", in: 0...1_000_000)
        }
    }

    static let earlier = KnownInspection(
        station: "150602003", inspectionId: "15060200325101200", vin: "LFV2A21K7G3023312",
        startedAt: Timestamp.parseISO8601("2025-10-12T14:02:00+08:00"), finishedAt: Timestamp.parseISO8601("2025-10-12T14:31:00+08:00"),
        odometerKm: 38_400)

    public static let description = RuleDescription(
        identifier: "record.odometer",
        name: "Odometer does not go back",
        description: "The odometer reading is lower than the reading at an earlier inspection of the same VIN, at any station — earlier attempts of the same inspection included (a re-test comes after its first test).",
        rationale: "A rolled-back odometer, or a reading typed without looking at the vehicle, shows the record was not made from the vehicle on the lane.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("no earlier inspection known"),
            RuleExample("last year's inspection read 38,400 km", .known("inspection a year earlier at 38,400 km", inspection: earlier)),
            RuleExample("an earlier reading 80 km higher within a 100 km tolerance", parameters: ["tolerance_km": 100],
                        .known("inspection a year earlier at 45,290 km", inspection: modified(earlier) { $0.odometerKm = 45_290 })),
            RuleExample("the same inspection submitted before with a higher (mistyped) reading",
                        .known("earlier submission of this inspection at 54,210 km", inspection: KnownInspection(
                            station: ExampleWorld.stationCode, inspectionId: "15060200126101800", vin: "LFV2A21K7G3023312",
                            startedAt: Timestamp.parseISO8601("2026-10-18T09:59:10+08:00"),
                            finishedAt: Timestamp.parseISO8601("2026-10-18T10:21:40+08:00"), odometerKm: 54_210))),
            RuleExample("a re-test (attempt 2) three days after the first attempt, 35 km further",
                        .record(["attempt": 2]),
                        .known("attempt 1 of this inspection on 2026-10-15 at 45,175 km", inspection: firstAttempt(odometer: 45_175))),
        ],
        triggeringExamples: [
            RuleExample("a year ago another station recorded 98,400 km",
                        .known("inspection a year earlier at 98,400 km", inspection: modified(earlier) { $0.odometerKm = 98_400 })),
            RuleExample("this station recorded 45,900 km two years ago",
                        .known("inspection two years earlier at 45,900 km", inspection: KnownInspection(
                            station: ExampleWorld.stationCode, inspectionId: "15060200124100900", vin: "LFV2A21K7G3023312",
                            startedAt: Timestamp.parseISO8601("2024-10-09T10:12:00+08:00"),
                            finishedAt: Timestamp.parseISO8601("2024-10-09T10:40:00+08:00"), odometerKm: 45_900))),
            RuleExample("a re-test (attempt 2) reading 9,000 km less than its first attempt three days earlier",
                        .record(["attempt": 2]),
                        .known("attempt 1 of this inspection on 2026-10-15 at 54,210 km", inspection: firstAttempt(odometer: 54_210))),
        ])

    /// The first attempt of the example inspection, three days before it.
    static func firstAttempt(odometer: Double) -> KnownInspection {
        KnownInspection(station: ExampleWorld.stationCode, inspectionId: "15060200126101800", vin: "LFV2A21K7G3023312",
                        startedAt: Timestamp.parseISO8601("2026-10-15T14:02:00+08:00"),
                        finishedAt: Timestamp.parseISO8601("2026-10-15T14:31:00+08:00"), odometerKm: odometer, attempt: 1)
    }

    static func modified(_ inspection: KnownInspection, _ change: (inout KnownInspection) -> Void) -> KnownInspection {
        var copy = inspection
        change(&copy)
        return copy
    }

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let record = context.record
        guard let vin = record.vin, let odometer = record.odometerKm, let start = record.startedAt else { return [] }
        let higher = context.history.inspections(vin: vin).filter { other in
            guard !other.isSameSubmission(station: context.stationCode, record: record),
                  let otherStart = other.startedAt, otherStart < start, let reading = other.odometerKm else { return false }
            return reading > odometer + configuration.toleranceKm
        }.sorted { ($0.startedAt!, $0.inspectionId) < ($1.startedAt!, $1.inspectionId) }
        return higher.map { other in
            let reading = other.odometerKm!
            let when = other.startedAt!
            return Violation(
                field: "odometer_km",
                message: "odometer \(Format.number(odometer)) km is \(Format.number(reading - odometer)) km lower than the \(Format.number(reading)) km recorded at station \(other.station), inspection \(other.inspectionId)\(other.attempt > 1 || other.inspectionId == record.inspectionId ? " (attempt \(other.attempt))" : "") on \(when); expected at least \(Format.number(reading - configuration.toleranceKm)) km",
                evidence: [
                    "odometer_km": JSONValue(odometer), "other_odometer_km": JSONValue(reading),
                    "difference_km": JSONValue(reading - odometer), "tolerance_km": JSONValue(configuration.toleranceKm),
                    "other_station": .string(other.station), "other_inspection_id": .string(other.inspectionId),
                    "other_attempt": JSONValue(other.attempt), "other_started_at": .string(when.description),
                ])
        }
    }
}
