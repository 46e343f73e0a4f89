import ArgumentParser
import Rules
import VIACore

/// Serializable documentation of one rule (for `--json`).
struct RuleDocument: Codable {
    var id: String
    var name: String
    var description: String
    var rationale: String
    var defaultSeverity: Severity
    var parameters: [ParameterDescription]
    var triggeringExamples: [ExampleDocument]
    var nonTriggeringExamples: [ExampleDocument]

    struct ExampleDocument: Codable {
        var summary: String
        var input: [String]
    }

    init(_ rule: any Rule.Type) {
        let d = rule.description
        id = d.identifier
        name = d.name
        description = d.description
        rationale = d.rationale
        defaultSeverity = d.defaultSeverity
        parameters = rule.parameterDescriptions
        triggeringExamples = d.triggeringExamples.map { ExampleDocument(summary: $0.summary, input: $0.inputLines) }
        nonTriggeringExamples = d.nonTriggeringExamples.map { ExampleDocument(summary: $0.summary, input: $0.inputLines) }
    }
}

/// `via rules list`: every rule with its default severity.
struct RulesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every rule with its default severity.")

    @Flag(help: "Print the full catalogue as JSON (descriptions, parameters, examples).")
    var json = false

    func run() throws {
        if json {
            print(try JSONCoding.string(RuleRegistry.all.map(RuleDocument.init)))
            return
        }
        let width = RuleRegistry.identifiers.map(\.count).max() ?? 20
        for rule in RuleRegistry.all {
            let d = rule.description
            print(d.identifier.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                  + d.defaultSeverity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + d.name)
        }
        print("\n\(RuleRegistry.all.count) rules. `via rules show ID` explains one, with its parameters and examples.")
    }
}
