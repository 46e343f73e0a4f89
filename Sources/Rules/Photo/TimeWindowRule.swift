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
        description: "The EXIF capture time or the declared shooting time lies outside the photo code's window — by default [started_at − tolerance, finished_at + tolerance]; the rule set's photo_windows give code groups their own (documents photographed at reception before the lane starts, the report after it ends) — or the EXIF time and the declared time disagree by more than the allowed skew. Photos from devices registered without EXIF are judged by their declared time.",
        rationale: "Stale photos — taken days earlier, or reused from another visit — are the most common fraud; the declared time is written by lane software and can be spoofed, the EXIF time is harder to fake consistently.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("every photo inside the window, EXIF equal to declared times"),
            RuleExample("EXIF time 90 s after the declared time",
                        .photo("0111", "EXIF DateTimeOriginal 2026:10:18 10:02:32") { $0.exif?.dateTimeOriginal = "2026:10:18 10:02:32" }),
            RuleExample("no offset in EXIF: the station's time zone (UTC+8) is assumed",
                        .photo("0112", "EXIF OffsetTimeOriginal removed") { $0.exif?.offsetTimeOriginal = nil }),
            RuleExample("the registration certificate photographed at reception, 40 min before the lane started",
                        .photoWindows(documentWindows),
                        .addPhoto("0201", copying: "0111", takenAt: "2026-10-18T09:19:10+08:00"),
                        .photo("0201", "EXIF DateTimeOriginal 2026:10:18 09:19:11") { $0.exif?.dateTimeOriginal = "2026:10:18 09:19:11" }),
            RuleExample("the inspection report printed and photographed 20 min after the lane ended",
                        .photoWindows(documentWindows),
                        .addPhoto("0204", copying: "0111", takenAt: "2026-10-18T10:41:40+08:00"),
                        .photo("0204", "EXIF DateTimeOriginal 2026:10:18 10:41:40") { $0.exif?.dateTimeOriginal = "2026:10:18 10:41:40" }),
            RuleExample("a fixed lane camera that writes no EXIF: judged by its declared time",
                        .station("CAM-0102 registered with exif: false") { $0.lanes[0].devices[1].exif = false },
                        .photo("0321", "no EXIF") { $0.exif = nil }),
        ],
        triggeringExamples: [
            RuleExample("EXIF time two days before the inspection",
                        .photo("0111", "EXIF DateTimeOriginal 2026:10:16 10:01:02") { $0.exif?.dateTimeOriginal = "2026:10:16 10:01:02" },
                        .entry("0111", ["taken_at": "2026-10-16T10:01:02+08:00"])),
            RuleExample("declared time after the inspection ended",
                        .entry("0113", ["taken_at": "2026-10-18T11:30:00+08:00"])),
            RuleExample("EXIF and declared time ten minutes apart",
                        .photo("0112", "EXIF DateTimeOriginal 2026:10:18 10:12:30") { $0.exif?.dateTimeOriginal = "2026:10:18 10:12:30" }),
            RuleExample("a lane photo 40 min before the start: only documents may be taken before the lane",
                        .photoWindows(documentWindows),
                        .entry("0321", ["taken_at": "2026-10-18T09:19:10+08:00"]),
                        .photo("0321", "EXIF DateTimeOriginal 2026:10:18 09:19:10") { $0.exif?.dateTimeOriginal = "2026:10:18 09:19:10" }),
            RuleExample("a document photographed 3 h before the start, beyond the 2 h documents may precede it",
                        .photoWindows(documentWindows),
                        .addPhoto("0203", copying: "0111", takenAt: "2026-10-18T06:59:10+08:00"),
                        .photo("0203", "EXIF DateTimeOriginal 2026:10:18 06:59:10") { $0.exif?.dateTimeOriginal = "2026:10:18 06:59:10" }),
        ])

    /// The shipped rule sets' windows: documents from 2 h before the start, the report until 30 min after the end.
    static let documentWindows = [
        PhotoWindow(codes: ["0204"], beforeStartSeconds: 7200, afterEndSeconds: 1800, note: "inspection report, printed after the lane"),
        PhotoWindow(codes: ["02*"], beforeStartSeconds: 7200, note: "documents, photographed at reception"),
    ]

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let start = context.record.startedAt, let end = context.record.finishedAt else { return [] }
        var violations: [Violation] = []
        for photo in context.photos {
            let exif = context.exifTime(photo)
            let declared = photo.entry.takenAt
            let window = PhotoTimeWindow(code: photo.code, start: start, end: end, requirements: context.requirements,
                                         tolerance: configuration.toleranceSeconds)
            var evidence = window.evidence
            if let exif { evidence["exif_time"] = .string(exif.description) }
            if let declared { evidence["declared_time"] = .string(declared.description) }
            var problems: [String] = []
            if let exif, !window.contains(exif.date) {
                problems.append("EXIF time \(exif) is \(window.distance(exif.date)) \(window.text)")
            }
            if let declared, !window.contains(declared.date) {
                problems.append("declared time \(declared) is \(window.distance(declared.date)) \(window.text)")
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

    /// "2 d 3 h", "14 min", "45 s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 86400 { return "\(s / 86400) d \(s % 86400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        if s >= 60 { return "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }
}
