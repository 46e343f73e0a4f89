/// What a rule is for, as `via rules list` and `via rules show` print it.
public struct RuleDescription: Sendable {
    /// Stable identifier used in YAML, findings, statistics and docs (e.g. "photo.time_window").
    public let identifier: String
    public let name: String
    /// What it catches.
    public let description: String
    /// Why it matters to reviewers.
    public let rationale: String
    public let defaultSeverity: Severity
    /// Inputs on which the rule stays silent (with default parameters unless the example sets some).
    public let nonTriggeringExamples: [RuleExample]
    /// Inputs on which the rule must report at least one violation.
    public let triggeringExamples: [RuleExample]

    public init(identifier: String, name: String, description: String, rationale: String, defaultSeverity: Severity,
                nonTriggeringExamples: [RuleExample], triggeringExamples: [RuleExample]) {
        self.identifier = identifier
        self.name = name
        self.description = description
        self.rationale = rationale
        self.defaultSeverity = defaultSeverity
        self.nonTriggeringExamples = nonTriggeringExamples
        self.triggeringExamples = triggeringExamples
    }
}
