import Foundation
import VIACore

/// `photo.time_window`: photos must be taken during the inspection, and EXIF and declared times must agree.
public struct TimeWindowRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Slack around [started_at, finished_at], in seconds.
        public var toleranceSeconds = 300.0
        /// Largest accepted difference between EXIF time and declared taken_at, in seconds.
        public var maxSkewSeconds = 120.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            toleranceSeconds = try parameters.double(
                "tolerance_s", toleranceSeconds, "slack before started_at and after finished_at, in seconds", in: 0...86400)
            maxSkewSeconds = try parameters.double(
                "max_skew_s", maxSkewSeconds, "largest accepted gap between EXIF time and declared taken_at, in seconds",
                in: 0...86400)
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.time_window",
        name: "Photo taken during the inspection",
        description: "The EXIF capture time or the declared shooting time lies outside [started_at − tolerance, finished_at + tolerance], or the EXIF time and the declared time disagree by more than the allowed skew.",
        rationale: "Stale photos — taken days earlier, or reused from another visit — are the most common fraud; the declared time is written by lane software and can be spoofed, the EXIF time is harder to fake consistently.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("every photo inside the window, EXIF equal to declared times"),
            RuleExample("EXIF time 90 s after the declared time",
                        .photo("0111", "EXIF DateTimeOriginal 2026:10:18 10:02:32") { $0.exif?.dateTimeOriginal = "2026:10:18 10:02:32" }),
            RuleExample("no offset in EXIF: the station's time zone (UTC+8) is assumed",
                        .photo("0112", "EXIF OffsetTimeOriginal removed") { $0.exif?.offsetTimeOriginal = nil }),
        ],
        triggeringExamples: [
            RuleExample("EXIF time two days before the inspection",
                        .photo("0111", "EXIF DateTimeOriginal 2026:10:16 10:01:02") { $0.exif?.dateTimeOriginal = "2026:10:16 10:01:02" },
                        .entry("0111", ["taken_at": "2026-10-16T10:01:02+08:00"])),
            RuleExample("declared time after the inspection ended",
                        .entry("0113", ["taken_at": "2026-10-18T11:30:00+08:00"])),
            RuleExample("EXIF and declared time ten minutes apart",
                        .photo("0112", "EXIF DateTimeOriginal 2026:10:18 10:12:30") { $0.exif?.dateTimeOriginal = "2026:10:18 10:12:30" }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let start = context.record.startedAt, let end = context.record.finishedAt else { return [] }
        let low = start.date.addingTimeInterval(-configuration.toleranceSeconds)
        let high = end.date.addingTimeInterval(configuration.toleranceSeconds)
        var violations: [Violation] = []
        for photo in context.photos {
            let exif = context.exifTime(photo)
            let declared = photo.entry.takenAt
            var evidence: [String: JSONValue] = [
                "started_at": .string(start.description), "finished_at": .string(end.description),
                "tolerance_s": JSONValue(configuration.toleranceSeconds),
            ]
            if let exif { evidence["exif_time"] = .string(exif.description) }
            if let declared { evidence["declared_time"] = .string(declared.description) }
            var problems: [String] = []
            if let exif, exif.date < low || exif.date > high {
                problems.append("EXIF time \(exif) is \(Self.distance(exif.date, low, high)) the inspection window \(start)–\(end)")
            }
            if let declared, declared.date < low || declared.date > high {
                problems.append("declared time \(declared) is \(Self.distance(declared.date, low, high)) the inspection window \(start)–\(end)")
            }
            if let exif, let declared {
                let skew = abs(exif.date.timeIntervalSince(declared.date))
                if skew > configuration.maxSkewSeconds {
                    evidence["skew_s"] = JSONValue((skew * 10).rounded() / 10)
                    problems.append("EXIF time \(exif) and declared time \(declared) differ by \(Self.duration(skew)); at most \(Self.duration(configuration.maxSkewSeconds)) expected")
                }
            }
            if !problems.isEmpty {
                violations.append(Violation(photo: photo.label, message: "photo \(photo.label): " + problems.joined(separator: "; "),
                                            evidence: evidence))
            }
        }
        return violations
    }

    static func distance(_ date: Date, _ low: Date, _ high: Date) -> String {
        duration(date < low ? low.timeIntervalSince(date) : date.timeIntervalSince(high)) + (date < low ? " before" : " after")
    }

    /// "2 d 3 h", "14 min", "45 s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 86400 { return "\(s / 86400) d \(s % 86400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        if s >= 60 { return "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }
}
