import ArgumentParser
import Rules
import VIACore

/// `via rules show ID`: one rule in full.
struct RulesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Explain one rule: what it catches, why, its parameters and examples.")

    @Argument(help: "Rule id, e.g. photo.time_window.")
    var id: String

    @Flag(help: "Print as JSON.")
    var json = false

    func validate() throws {
        guard RuleRegistry.rule(id) != nil else {
            let close = RuleRegistry.identifiers.filter { $0.hasPrefix(String(id.prefix(while: { $0 != "." }))) }
            throw ValidationError("unknown rule id '\(id)'" + (close.isEmpty ? "; `via rules list` shows them all"
                : "; rules with that prefix: \(close.joined(separator: ", "))"))
        }
    }

    func run() throws {
        let rule = RuleRegistry.rule(id)!
        if json {
            print(try JSONCoding.string(RuleDocument(rule)))
            return
        }
        let d = rule.description
        let terminal = Terminal.standardOutput
        print(terminal.bold("\(d.identifier) — \(d.name)"))
        print("default severity: \(d.defaultSeverity.rawValue)\n")
        print(d.description + "\n")
        print(terminal.bold("Why: ") + d.rationale + "\n")
        let parameters = rule.parameterDescriptions
        if parameters.isEmpty {
            print("Parameters: none\n")
        } else {
            print(terminal.bold("Parameters") + " (in a rule set: rules: { \(d.identifier): { params: { … } } })")
            for parameter in parameters {
                print("  \(parameter.key) (\(parameter.type), default \(parameter.defaultValue.compactText))")
                print("      \(parameter.help)")
            }
            print("")
        }
        print(terminal.bold("Fires on"))
        for example in d.triggeringExamples { printExample(example) }
        print(terminal.bold("Stays silent on"))
        for example in d.nonTriggeringExamples { printExample(example) }
    }

    func printExample(_ example: RuleExample) {
        print("  • \(example.summary)")
        for line in example.inputLines { print("      \(line)") }
    }
}
