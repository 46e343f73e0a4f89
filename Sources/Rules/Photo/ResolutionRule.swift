import VIACore

/// `photo.resolution`: photos are large enough to show what they must show, in either orientation.
public struct ResolutionRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Minimum of the longer side, in pixels.
        public var minWidth = 640
        /// Minimum of the shorter side, in pixels.
        public var minHeight = 480
        /// Code patterns checked; empty checks every code.
        public var codes: [String] = []

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            minWidth = try parameters.int("min_width", minWidth, "minimum pixels on the longer side (either orientation)", in: 1...100_000)
            minHeight = try parameters.int("min_height", minHeight, "minimum pixels on the shorter side (either orientation)", in: 1...100_000)
            codes = try parameters.strings("codes", codes, "photo codes checked, with * and ? patterns (e.g. \"03*\"); empty checks all")
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.resolution",
        name: "Photo resolution",
        description: "A photo is smaller than the rule set's minimum: its longer side below min_width or its shorter side below min_height (portrait and landscape alike).",
        rationale: "A plate or VIN in a thumbnail-sized photo cannot be read; tiny photos are also a sign of a screenshot or a re-compressed copy.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("every photo 1920×1080"),
            RuleExample("a portrait VIN photo 1080×1920",
                        .photo("0113", "1080×1920 (portrait)") { facts in
                            facts.jpeg?.width = 1080
                            facts.jpeg?.height = 1920
                        }),
            RuleExample("a 480×360 exterior photo when only lane photos (03*) are checked", parameters: ["codes": ["03*"]],
                        .photo("0111", "480×360") { facts in
                            facts.jpeg?.width = 480
                            facts.jpeg?.height = 360
                        }),
        ],
        triggeringExamples: [
            RuleExample("640×360: the short side is below 480",
                        .photo("0111", "640×360") { facts in
                            facts.jpeg?.width = 640
                            facts.jpeg?.height = 360
                        }),
            RuleExample("a 320×240 headlamp photo",
                        .photo("0321", "320×240") { facts in
                            facts.jpeg?.width = 320
                            facts.jpeg?.height = 240
                        }),
            RuleExample("a portrait 480×600: the long side is below 640",
                        .photo("0113", "480×600 (portrait)") { facts in
                            facts.jpeg?.width = 480
                            facts.jpeg?.height = 600
                        }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let filter = CodeFilter(configuration.codes)
        var violations: [Violation] = []
        for photo in context.photos where filter.includes(photo.code) {
            guard let dimensions = photo.facts?.dimensions else { continue } // photo.unreadable
            let (width, height) = dimensions
            let long = max(width, height), short = min(width, height)
            guard long < configuration.minWidth || short < configuration.minHeight else { continue }
            violations.append(Violation(
                photo: photo.label,
                message: "photo \(photo.label) is \(width)×\(height); at least \(configuration.minWidth)×\(configuration.minHeight) expected (either orientation)",
                evidence: ["width": JSONValue(width), "height": JSONValue(height),
                           "min_width": JSONValue(configuration.minWidth), "min_height": JSONValue(configuration.minHeight)]))
        }
        return violations
    }
}
