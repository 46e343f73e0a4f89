import VIACore

/// `photo.exif`: camera photos carry intact EXIF with their capture time.
public struct ExifRule: Rule {
    public struct Configuration: RuleConfiguration {
        public var requireExif = true
        public var requireDateTimeOriginal = true
        /// Code patterns not checked (scanned documents often carry no EXIF).
        public var exemptCodes: [String] = []

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            requireExif = try parameters.bool("require_exif", requireExif, "every checked photo must carry EXIF metadata")
            requireDateTimeOriginal = try parameters.bool(
                "require_date_time_original", requireDateTimeOriginal,
                "EXIF must include a valid DateTimeOriginal (capture time)")
            exemptCodes = try parameters.strings(
                "exempt_codes", exemptCodes, "photo codes not checked, with * and ? patterns (e.g. \"02*\" for scanned documents)")
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.exif",
        name: "EXIF present and intact",
        description: "A readable photo has no EXIF, no valid DateTimeOriginal, or damaged EXIF, where the rule set requires it. Photos from a device registered with exif: false (a fixed lane camera whose snapshots carry none) need no EXIF; damage in EXIF they do carry is still reported.",
        rationale: "The EXIF capture time and camera are what the time-window, device and editing checks rely on; EXIF stripped or rewritten is typical of a photo passed through an editor or a messaging app.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("every photo with EXIF and DateTimeOriginal"),
            RuleExample("a scanned registration certificate without EXIF, documents exempt", parameters: ["exempt_codes": ["02*"]],
                        .addPhoto("0201", copying: "0111", takenAt: "2026-10-18T10:00:20+08:00"),
                        .photo("0201", "no EXIF (scanner output)") { $0.exif = nil }),
            RuleExample("no EXIF where the rule set does not require it",
                        parameters: ["require_exif": false], .photo("0113", "no EXIF") { $0.exif = nil }),
            RuleExample("a fixed lane camera registered with exif: false writes none",
                        .station("CAM-0102 registered with exif: false") { $0.lanes[0].devices[1].exif = false },
                        .photo("0321", "no EXIF") { $0.exif = nil }, .photo("0352", "no EXIF") { $0.exif = nil }),
        ],
        triggeringExamples: [
            RuleExample("EXIF stripped from the left-front photo", .photo("0111", "no EXIF") { $0.exif = nil }),
            RuleExample("DateTimeOriginal missing",
                        .photo("0112", "EXIF without DateTimeOriginal") { facts in
                            facts.exif?.dateTimeOriginal = nil
                            facts.exif?.offsetTimeOriginal = nil
                        }),
            RuleExample("the handheld camera (EXIF-writing) delivers a photo without EXIF while the lane camera is exempt",
                        .station("CAM-0102 registered with exif: false") { $0.lanes[0].devices[1].exif = false },
                        .photo("0111", "no EXIF") { $0.exif = nil }),
            RuleExample("damaged EXIF",
                        .photo("0321", "IFD0 entry count runs past the segment") { facts in
                            facts.exif?.problems = ["IFD0 entry count 4096 runs past the APP1 segment"]
                            facts.integrity.problems = [PhotoProblem(.exifDamaged, "IFD0 entry count 4096 runs past the APP1 segment")]
                        }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let exempt = CodeFilter(configuration.exemptCodes)
        var violations: [Violation] = []
        for photo in context.photos where !exempt.matches(photo.code) {
            guard let facts = photo.facts, facts.isSound else { continue } // photo.unreadable
            // Devices registered without EXIF: their time is the declared one (and the watermark); EXIF they do
            // carry is still checked for damage.
            let required = !context.isFromDeviceWithoutExif(photo)
            var problems: [String] = []
            var evidence: [String: JSONValue] = ["has_exif": .bool(facts.exif != nil)]
            if let exif = facts.exif {
                evidence["date_time_original"] = JSONValue(exif.dateTimeOriginal)
                if configuration.requireDateTimeOriginal, required {
                    if exif.dateTimeOriginal == nil {
                        problems.append("EXIF has no DateTimeOriginal; the capture time is expected")
                    } else if context.exifTime(photo) == nil {
                        problems.append("EXIF DateTimeOriginal \"\(exif.dateTimeOriginal!)\" is not a valid date-time; expected YYYY:MM:DD HH:MM:SS")
                    }
                }
                if !exif.problems.isEmpty {
                    evidence["exif_problems"] = JSONValue(exif.problems)
                    problems.append("EXIF is damaged (\(exif.problems.joined(separator: "; "))); intact EXIF is expected")
                }
            } else if configuration.requireExif, required {
                problems.append("no EXIF metadata; a camera original with EXIF is expected")
            }
            guard !problems.isEmpty else { continue }
            violations.append(Violation(photo: photo.label, message: "photo \(photo.label): " + problems.joined(separator: "; "),
                                        evidence: evidence))
        }
        return violations
    }
}
