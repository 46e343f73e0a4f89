import ArgumentParser
import VIACore

/// `via rules sets`: the rule sets in force, what they apply to, and their content hashes.
struct RulesSetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sets", abstract: "List the rule sets: what each applies to, its priority and content hash.")

    @OptionGroup var rulesOptions: RulesOptions

    @Flag(help: "Print the resolved rule sets as JSON.")
    var json = false

    func run() throws {
        let catalog = try rulesOptions.load()
        if json {
            print(try JSONCoding.string(catalog.ruleSets))
            return
        }
        for set in catalog.ruleSets {
            let selector = set.appliesTo
            let scope = set.abstract ? "abstract (shared defaults)"
                : "vehicle \(list(selector.vehicleTypes)) · use \(list(selector.useTypes)) · category \(list(selector.categories)) · priority \(set.priority)"
            print("\(set.id)  \(set.name)")
            print("    \(scope)")
            print("    sha256 \(set.sha256) · \(set.sources.joined(separator: " ← "))")
        }
    }

    func list(_ values: [String]) -> String { values.isEmpty ? "any" : values.joined(separator: ",") }
}
