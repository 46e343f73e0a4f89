import ArgumentParser
import Foundation
import RuleSets

/// `via rules lint [DIR]`: validate rule-set files, reporting each problem as file:line: message.
struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate rule sets: unknown rule ids or keys, wrong types, bad patterns, unknown photo codes, extends cycles.",
        discussion: "Each problem is printed as file:line: message. Exit 0 when clean, 65 when anything is wrong.")

    @Argument(help: "Rule-set folder (default: $VIA_RULES, else ./rules).")
    var directory: String?

    func run() throws {
        let folder = directory ?? ProcessInfo.processInfo.environment["VIA_RULES"] ?? "rules"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("rule-set folder \(folder) not found")
        }
        let result = RuleSetLoader.load(directory: folder)
        for diagnostic in result.diagnostics { print(diagnostic.description) }
        if result.hasErrors {
            printError("via: \(result.diagnostics.count) problem(s) in \(folder)")
            throw ViaExit.dataError
        }
        let concrete = result.catalog.ruleSets.filter { !$0.abstract }.count
        print("\(folder): \(result.catalog.ruleSets.count) rule set(s), \(concrete) selectable, no problems")
    }
}
