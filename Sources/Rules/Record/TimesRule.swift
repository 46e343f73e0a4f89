import VIACore

/// `record.times`: the inspection ends after it starts and lasts a plausible time.
public struct TimesRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Shortest plausible inspection, in minutes.
        public var minMinutes = 5.0
        /// Longest plausible inspection, in minutes.
        public var maxMinutes = 240.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            minMinutes = try parameters.double(
                "min_minutes", minMinutes, "shortest plausible inspection (started_at to finished_at), in minutes", in: 0...1440)
            maxMinutes = try parameters.double(
                "max_minutes", maxMinutes, "longest plausible inspection (started_at to finished_at), in minutes", in: 1...10080)
        }
    }

    public static let description = RuleDescription(
        identifier: "record.times",
        name: "Plausible inspection times",
        description: "finished_at is not after started_at, or the inspection lasted less than the minimum or more than the maximum plausible duration.",
        rationale: "A full inspection (exterior, chassis, lane instruments) takes time; a two-minute inspection was not performed, and an inspection spanning a whole day hides photos taken on another occasion.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("22 min 30 s"),
            RuleExample("a heavy truck taking 3 h 50 min",
                        .record(["started_at": "2026-10-18T09:59:10+08:00", "finished_at": "2026-10-18T13:49:10+08:00"])),
            RuleExample("4 minutes when the rule set accepts 3", parameters: ["min_minutes": 3],
                        .record(["started_at": "2026-10-18T10:17:40+08:00"])),
        ],
        triggeringExamples: [
            RuleExample("finished before it started",
                        .record(["finished_at": "2026-10-18T09:21:40+08:00"])),
            RuleExample("2 min 10 s from start to end",
                        .record(["started_at": "2026-10-18T10:19:30+08:00"])),
            RuleExample("more than six hours",
                        .record(["finished_at": "2026-10-18T16:21:40+08:00"])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let start = context.record.startedAt, let end = context.record.finishedAt else { return [] } // record.fields
        let seconds = end.date.timeIntervalSince(start.date)
        var evidence: [String: JSONValue] = [
            "started_at": .string(start.description), "finished_at": .string(end.description),
            "duration_min": Format.rounded(seconds / 60, digits: 1),
        ]
        guard seconds > 0 else {
            return [Violation(
                field: "finished_at",
                message: seconds == 0
                    ? "finished_at \(end) is the same as started_at; expected the inspection to end after it starts"
                    : "finished_at \(end) is \(Format.duration(seconds)) before started_at \(start); expected the inspection to end after it starts",
                evidence: evidence)]
        }
        if seconds < configuration.minMinutes * 60 {
            evidence["min_minutes"] = JSONValue(configuration.minMinutes)
            return [Violation(
                message: "the inspection lasted \(Format.duration(seconds)) (\(start) to \(end)); at least \(Format.number(configuration.minMinutes)) min expected",
                evidence: evidence)]
        }
        if seconds > configuration.maxMinutes * 60 {
            evidence["max_minutes"] = JSONValue(configuration.maxMinutes)
            return [Violation(
                message: "the inspection lasted \(Format.duration(seconds)) (\(start) to \(end)); at most \(Format.number(configuration.maxMinutes)) min expected",
                evidence: evidence)]
        }
        return []
    }
}
