import ArgumentParser
import VIACore
import Foundation
import RuleSets

/// `via rules lint [DIR]`: validate rule-set files, reporting each problem as file:line: message.
struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate rule sets: unknown rule ids or keys, wrong types, bad patterns, unknown photo codes, extends cycles.",
        discussion: "Each problem is printed to stderr as file:line: message (with --json, all of them to stdout as JSON). Exit 0 when clean, 65 when anything is wrong.")

    @Argument(help: "Rule-set folder (default: $VIA_RULES, else ./rules).")
    var directory: String?

    @Flag(help: "Print the rule sets and every problem as JSON.")
    var json = false

    func run() throws {
        let folder = directory ?? ProcessInfo.processInfo.environment["VIA_RULES"] ?? "rules"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("rule-set folder \(folder) not found")
        }
        let result = RuleSetLoader.load(directory: folder)
        let concrete = result.catalog.ruleSets.filter { !$0.abstract }.count
        if json {
            print(try JSONCoding.string(JSONValue.object([
                "directory": .string(folder), "ok": .bool(!result.hasErrors),
                "rule_sets": JSONValue(result.hasErrors ? [] : result.catalog.ruleSets.map(\.id)), "selectable": JSONValue(result.hasErrors ? 0 : concrete),
                "problems": .array(result.diagnostics.map { diagnostic in
                    .object(["file": .string(diagnostic.file), "line": diagnostic.line.map { JSONValue($0) } ?? .null,
                             "message": .string(diagnostic.message)])
                }),
            ])))
        } else {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
        }
        if result.hasErrors {
            printError("via: \(result.diagnostics.count) problem(s) in \(folder)")
            throw ViaExit.dataError
        }
        if !json { print("\(folder): \(result.catalog.ruleSets.count) rule set(s), \(concrete) selectable, no problems") }
    }
}
