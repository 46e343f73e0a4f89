import VIACore

/// `record.vin`: the VIN must be 17 characters of the allowed alphabet with a correct check digit.
public struct VINRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Old vehicles may carry a frame number that is not a 17-character VIN.
        public var allowShortFrameNumbers = false

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            allowShortFrameNumbers = try parameters.bool(
                "allow_short_frame_numbers", allowShortFrameNumbers,
                "accept identifiers that are not 17 characters long (old frame numbers) without a finding")
        }
    }

    public static let description = RuleDescription(
        identifier: "record.vin",
        name: "VIN format and check digit",
        description: "The VIN is not 17 characters from the allowed alphabet (no I, O, Q), or its check digit (position 9) is wrong.",
        rationale: "A mistyped VIN attaches the inspection to another vehicle. Old vehicles may carry a non-standard frame number, so this is a warning by default, not an automatic return.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("a valid VIN"),
            RuleExample("a 12-character frame number when short frame numbers are allowed",
                        parameters: ["allow_short_frame_numbers": true], .record(["vin": "LFV2A21K7G30"])),
        ],
        triggeringExamples: [
            RuleExample("wrong check digit", .record(["vin": "LFV2A21K8G3023312"])),
            RuleExample("the letter O instead of the digit 0", .record(["vin": "LFV2A21K7G3O23312"])),
            RuleExample("16 characters", .record(["vin": "LFV2A21K7G302331"])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let vin = context.record.vin else { return [] } // absence is record.fields' finding
        switch VIN.problem(vin) {
        case nil:
            return []
        case let .length(count):
            if configuration.allowShortFrameNumbers { return [] }
            return [Violation(field: "vin", message: "VIN \"\(vin)\" has \(count) characters; expected 17",
                              evidence: ["vin": .string(vin), "length": JSONValue(count)])]
        case let .characters(bad):
            let list = bad.map { "\"\($0)\"" }.joined(separator: ", ")
            return [Violation(field: "vin", message: "VIN \"\(vin)\" contains \(list); expected only A-Z without I, O, Q and digits",
                              evidence: ["vin": .string(vin), "invalid_characters": JSONValue(bad.map(String.init))])]
        case let .checkDigit(expected, found):
            return [Violation(field: "vin", message: "VIN \"\(vin)\" has check digit \(found) in position 9; expected \(expected)",
                              evidence: ["vin": .string(vin), "expected_check_digit": .string(String(expected)),
                                         "found_check_digit": .string(String(found))])]
        }
    }
}
