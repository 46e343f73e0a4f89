import VIACore

/// `record.ruleset`: some rule set must apply to the record, or nothing decides what it must contain.
public struct RuleSetRule: Rule {
    public typealias Configuration = EmptyConfiguration

    public static let description = RuleDescription(
        identifier: "record.ruleset",
        name: "A rule set applies",
        description: "No rule set in force applies to the record's vehicle type, use and inspection category, so its required photos and fields are unknown.",
        rationale: "Without a rule set a record could only be judged by the format's minimum, and an unusual vehicle would pass unchecked; a reviewer must look at it and the rule sets must be extended.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("the small-passenger rule set applies to a K33 private car"),
            RuleExample("a light truck judged by a truck rule set",
                        .record(["vehicle_type": "H31", "use_type": "F"]),
                        ExampleChange("rule set light-truck applies") { world in world.ruleSetId = "light-truck" }),
        ],
        triggeringExamples: [
            RuleExample("a heavy semi-trailer tractor with no rule set for it",
                        .record(["vehicle_type": "Q11", "use_type": "F"]), .noRuleSet()),
            RuleExample("vehicle type missing, so no rule set can be chosen",
                        .record(["vehicle_type": nil]), .noRuleSet()),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard context.ruleSetId == nil else { return [] }
        let record = context.record
        func show(_ value: String?) -> String { value ?? "(missing)" }
        return [Violation(
            message: "no rule set applies to vehicle type \(show(record.vehicleType)), use \(show(record.useType)), category \(show(record.category)); expected a rule set in force to cover this vehicle",
            evidence: ["vehicle_type": JSONValue(record.vehicleType), "use_type": JSONValue(record.useType),
                       "category": JSONValue(record.category)])]
    }
}
