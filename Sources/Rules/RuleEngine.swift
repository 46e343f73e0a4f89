import VIACore

/// The rules of one rule set, configured and ready: evaluates records into findings.
public struct RuleEngine: Sendable {
    public let rules: [ConfiguredRule]

    /// Configures every registered rule as the rule set says (disabled ones are left out).
    /// Throws when the rule set names parameters a rule cannot accept (the loader reports those first).
    public init(ruleSet: RuleSet?) throws(RuleConfigurationError) {
        var configured: [ConfiguredRule] = []
        for rule in RuleRegistry.all {
            let setting = ruleSet?.rules[rule.description.identifier] ?? RuleSetting()
            guard setting.enabled else { continue }
            configured.append(try rule.configured(severity: setting.severity, parameters: setting.parameterValues))
        }
        rules = configured
    }

    /// Every finding for the record, errors first.
    public func evaluate(_ context: RecordContext) -> [Finding] {
        StatusPolicy.ordered(rules.flatMap { $0.findings(context) })
    }
}
