import VIACore

/// `photo.quality`: a photo is neither blank, too dark, overexposed nor blurred.
public struct QualityRule: Rule {
    public struct Configuration: RuleConfiguration {
        public var darkMaxLuminance = 35.0
        public var brightMinLuminance = 225.0
        public var blankMaxContrast = 6.0
        public var blurMinRatio = 0.02
        public var codes: [String] = []
        /// Thresholds of their own for some codes (white paper is bright without being overexposed); the first
        /// group naming a code applies.
        public var codeGroups: [CodeGroup] = []

        public init() {}

        /// Thresholds for a group of photo codes; unset ones keep the rule's.
        public struct CodeGroup: Sendable, Equatable {
            public var codes: [String]
            public var darkMaxLuminance: Double?
            public var brightMinLuminance: Double?
            public var blankMaxContrast: Double?
            public var blurMinRatio: Double?

            static let keys = ["codes", "dark_max_luminance", "bright_min_luminance", "blank_max_contrast", "blur_min_ratio"]

            var json: [String: JSONValue] {
                var object: [String: JSONValue] = ["codes": JSONValue(codes)]
                object["dark_max_luminance"] = darkMaxLuminance.map(JSONValue.number)
                object["bright_min_luminance"] = brightMinLuminance.map(JSONValue.number)
                object["blank_max_contrast"] = blankMaxContrast.map(JSONValue.number)
                object["blur_min_ratio"] = blurMinRatio.map(JSONValue.number)
                return object
            }
        }

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            darkMaxLuminance = try parameters.double(
                "dark_max_luminance", darkMaxLuminance, "mean luminance (0–255) at or below which a photo is too dark", in: 0...255)
            brightMinLuminance = try parameters.double(
                "bright_min_luminance", brightMinLuminance, "mean luminance (0–255) at or above which a photo is overexposed",
                in: 0...255)
            blankMaxContrast = try parameters.double(
                "blank_max_contrast", blankMaxContrast, "luminance standard deviation at or below which a photo is blank", in: 0...128)
            blurMinRatio = try parameters.double(
                "blur_min_ratio", blurMinRatio,
                "sharpness ÷ contrast² below which a photo is blurred (Laplacian variance normalised by global contrast)",
                in: 0...100)
            codes = try parameters.strings("codes", codes, "photo codes checked, with * and ? patterns (e.g. \"03*\"); empty checks all")
            let groups = try parameters.objects(
                "code_groups", codeGroups.map(\.json),
                "thresholds of their own for groups of codes, e.g. [{codes: [\"02*\"], bright_min_luminance: 251}] (white paper is bright, not overexposed); the first group naming a code applies",
                keys: CodeGroup.keys)
            codeGroups = try groups.enumerated().map { position, object throws(RuleParameterError) in
                try Self.group(object, position: position)
            }
        }

        static func group(_ object: [String: JSONValue], position: Int) throws(RuleParameterError) -> CodeGroup {
            func problem(_ message: String) -> RuleParameterError {
                RuleParameterError(key: "code_groups", line: nil, message: "item \(position + 1): \(message)")
            }
            guard case let .array(list)? = object["codes"], !list.isEmpty else { throw problem("expected codes, a non-empty list of photo codes") }
            var codes: [String] = []
            for item in list {
                guard let code = item.stringValue else { throw problem("codes: expected photo codes, found \(item.compactText)") }
                codes.append(code)
            }
            func value(_ key: String, _ range: ClosedRange<Double>) throws(RuleParameterError) -> Double? {
                guard let found = object[key] else { return nil }
                guard case let .number(number) = found, range.contains(number) else {
                    throw problem("\(key): expected a number in \(Format.number(range.lowerBound))...\(Format.number(range.upperBound)), found \(found.compactText)")
                }
                return number
            }
            return CodeGroup(codes: codes, darkMaxLuminance: try value("dark_max_luminance", 0...255),
                             brightMinLuminance: try value("bright_min_luminance", 0...256),
                             blankMaxContrast: try value("blank_max_contrast", 0...128), blurMinRatio: try value("blur_min_ratio", 0...100))
        }
    }

    static func figures(_ mean: Double, _ contrast: Double, _ sharpness: Double) -> @Sendable (inout PhotoFacts) -> Void {
        { facts in
            facts.figures?.meanLuminance = mean
            facts.figures?.contrast = contrast
            facts.figures?.sharpness = sharpness
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.quality",
        name: "Photo quality",
        description: "A photo is blank (almost no contrast), too dark or overexposed (mean luminance), or blurred (sharpness, the variance of the Laplacian, is small relative to the photo's contrast).",
        rationale: "A reviewer cannot confirm a plate, a lamp or a wheel on the rollers in an unusable photo; blank frames and deliberately blurred shots also hide a vehicle that was not there.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("well-exposed, sharp photos (mean 118, contrast 52, sharpness 820)"),
            RuleExample("a dim but sharp night-time lane photo: mean 48, contrast 14, sharpness 45 (ratio 0.23)",
                        .photo("0321", "mean 48, contrast 14, sharpness 45", figures(48, 14, 45))),
            RuleExample("a dark exterior photo when only lane photos (03*) are checked", parameters: ["codes": ["03*"]],
                        .photo("0111", "mean 22, contrast 20, sharpness 300", figures(22, 20, 300))),
            RuleExample("a white application form (mean 238) where documents are overexposed only above 250",
                        parameters: ["code_groups": [["codes": ["02*"], "bright_min_luminance": 251]]],
                        .addPhoto("0202", copying: "0113", takenAt: "2026-10-18T09:40:00+08:00"),
                        .photo("0202", "mean 238, contrast 40, sharpness 900", figures(238, 40, 900))),
        ],
        triggeringExamples: [
            RuleExample("a blank grey frame", .photo("0352", "mean 121, contrast 2.4, sharpness 1.1", figures(121, 2.4, 1.1))),
            RuleExample("too dark: mean luminance 24", .photo("0111", "mean 24, contrast 18, sharpness 210", figures(24, 18, 210))),
            RuleExample("overexposed: mean luminance 236", .photo("0112", "mean 236, contrast 15, sharpness 90", figures(236, 15, 90))),
            RuleExample("an exterior view at mean 238 is overexposed: the documents' group does not cover it",
                        parameters: ["code_groups": [["codes": ["02*"], "bright_min_luminance": 251]]],
                        .photo("0111", "mean 238, contrast 40, sharpness 900", figures(238, 40, 900))),
            RuleExample("blurred: sharpness 30 at contrast 52 (ratio 0.011)",
                        .photo("0113", "mean 118, contrast 52, sharpness 30", figures(118, 52, 30))),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let filter = CodeFilter(configuration.codes)
        var violations: [Violation] = []
        for photo in context.photos where filter.includes(photo.code) {
            guard let figures = photo.facts?.figures else { continue }
            var c = configuration
            if let group = configuration.codeGroups.first(where: { CodeFilter($0.codes).matches(photo.code) }) {
                c.darkMaxLuminance = group.darkMaxLuminance ?? c.darkMaxLuminance
                c.brightMinLuminance = group.brightMinLuminance ?? c.brightMinLuminance
                c.blankMaxContrast = group.blankMaxContrast ?? c.blankMaxContrast
                c.blurMinRatio = group.blurMinRatio ?? c.blurMinRatio
            }
            var evidence: [String: JSONValue] = [
                "mean_luminance": Format.rounded(figures.meanLuminance), "contrast": Format.rounded(figures.contrast),
                "sharpness": Format.rounded(figures.sharpness),
            ]
            var problems: [String] = []
            var kinds: [String] = []
            if figures.contrast <= c.blankMaxContrast {
                kinds.append("blank")
                evidence["blank_max_contrast"] = JSONValue(c.blankMaxContrast)
                problems.append("blank: contrast \(Format.number(figures.contrast)) is at most \(Format.number(c.blankMaxContrast)); a photo with visible content is expected")
            } else {
                if figures.meanLuminance <= c.darkMaxLuminance {
                    kinds.append("dark")
                    evidence["dark_max_luminance"] = JSONValue(c.darkMaxLuminance)
                    problems.append("too dark: mean luminance \(Format.number(figures.meanLuminance)) is at most \(Format.number(c.darkMaxLuminance)); above \(Format.number(c.darkMaxLuminance)) is expected")
                } else if figures.meanLuminance >= c.brightMinLuminance {
                    kinds.append("overexposed")
                    evidence["bright_min_luminance"] = JSONValue(c.brightMinLuminance)
                    problems.append("overexposed: mean luminance \(Format.number(figures.meanLuminance)) is at least \(Format.number(c.brightMinLuminance)); below \(Format.number(c.brightMinLuminance)) is expected")
                }
                if figures.contrast >= 1 {
                    let ratio = figures.sharpness / (figures.contrast * figures.contrast)
                    evidence["sharpness_ratio"] = Format.rounded(ratio, digits: 4)
                    if ratio < c.blurMinRatio {
                        kinds.append("blurred")
                        evidence["blur_min_ratio"] = JSONValue(c.blurMinRatio)
                        problems.append("blurred: sharpness \(Format.number(figures.sharpness)) ÷ contrast² \(Format.number(figures.contrast * figures.contrast)) = \(Format.number(ratio, digits: 4)), below the \(Format.number(c.blurMinRatio, digits: 4)) expected of a sharp photo")
                    }
                }
            }
            guard !problems.isEmpty else { continue }
            evidence["problems"] = JSONValue(kinds)
            violations.append(Violation(photo: photo.label, message: "photo \(photo.label) is " + problems.joined(separator: "; "),
                                        evidence: evidence))
        }
        return violations
    }
}
