import ArgumentParser

/// `via rules`: the rule catalogue and rule-set validation.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "The rule catalogue (descriptions, parameters, examples) and rule-set validation.",
        subcommands: [RulesListCommand.self, RulesShowCommand.self, RulesLintCommand.self, RulesSetsCommand.self],
        defaultSubcommand: RulesListCommand.self)
}
