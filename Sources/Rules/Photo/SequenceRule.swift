import VIACore

/// `photo.sequence`: lane photos follow the order the lane process imposes (0344 before 0342, 0341 before 0343).
public struct SequenceRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// [before, after] photo-code pairs.
        public var order: [[String]] = [["0344", "0342"], ["0341", "0343"]]

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            order = try parameters.pairs(
                "order", order, "[before, after] photo codes: the after photo must not be taken earlier than the before photo")
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.sequence",
        name: "Lane photos in order",
        description: "For each [before, after] pair of photo codes present in the record (by default dynamic chassis start 0344 before end 0342, road-test brake start 0341 before end 0343), the after photo was taken earlier than the before photo. EXIF time is used when available, else the declared taken_at.",
        rationale: "A test's end photo taken before its start photo means the photos were not taken during that test: reused, or shot out of sequence to fill the record.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("0344 at 10:15:00, 0342 at 10:17:00"),
            RuleExample("road-test start photo without an end photo (nothing to compare)",
                        .addPhoto("0341", copying: "0344", takenAt: "2026-10-18T10:19:00+08:00"),
                        .photo("0341", "EXIF DateTimeOriginal 2026:10:18 10:19:00") { $0.exif?.dateTimeOriginal = "2026:10:18 10:19:00" }),
            RuleExample("declared times reversed but EXIF times in order (EXIF wins)",
                        .entry("0344", ["taken_at": "2026-10-18T10:18:00+08:00"])),
        ],
        triggeringExamples: [
            RuleExample("dynamic chassis end shot a minute and a half before its start",
                        .photo("0342", "EXIF DateTimeOriginal 2026:10:18 10:13:30") { $0.exif?.dateTimeOriginal = "2026:10:18 10:13:30" },
                        .entry("0342", ["taken_at": "2026-10-18T10:13:30+08:00"])),
            RuleExample("road-test photos without EXIF, declared end before start",
                        .addPhoto("0341", copying: "0344", takenAt: "2026-10-18T10:19:00+08:00"),
                        .addPhoto("0343", copying: "0342", takenAt: "2026-10-18T10:18:20+08:00"),
                        .photo("0341", "no EXIF") { $0.exif = nil }, .photo("0343", "no EXIF") { $0.exif = nil }),
            RuleExample("a lane whose rule set requires the right headlamp (0352) before the left (0321)", parameters: ["order": [["0352", "0321"]]]),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        var violations: [Violation] = []
        for pair in configuration.order where pair.count == 2 {
            guard let before = context.photos.first(where: { $0.code == pair[0] }),
                  let after = context.photos.first(where: { $0.code == pair[1] }),
                  let beforeTime = Self.time(before, context), let afterTime = Self.time(after, context) else { continue }
            guard afterTime.time < beforeTime.time else { continue }
            let gap = beforeTime.time.date.timeIntervalSince(afterTime.time.date)
            violations.append(Violation(
                photo: after.label,
                message: "photo \(context.requirements.describe(pair[1])) was taken at \(afterTime.time) (\(afterTime.source)), \(Format.duration(gap)) before \(context.requirements.describe(pair[0])) at \(beforeTime.time) (\(beforeTime.source)); \(pair[0]) is expected first",
                evidence: ["before_code": .string(pair[0]), "after_code": .string(pair[1]),
                           "before_time": .string(beforeTime.time.description), "after_time": .string(afterTime.time.description),
                           "before_source": .string(beforeTime.source), "after_source": .string(afterTime.source),
                           "gap_s": Format.rounded(gap, digits: 1)]))
        }
        return violations
    }

    /// The EXIF capture time when the photo has one, else the declared shooting time.
    static func time(_ photo: RecordPhoto, _ context: RecordContext) -> (time: Timestamp, source: String)? {
        if let exif = context.exifTime(photo) { return (exif, "EXIF") }
        if let declared = photo.entry.takenAt { return (declared, "declared") }
        return nil
    }
}
