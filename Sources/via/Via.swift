import ArgumentParser
import Foundation

/// The `via` command line: Vehicle Inspection Audit.
@main
struct Via: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "via",
        abstract: "Vehicle Inspection Audit: automatic audit of vehicle inspection records and photos.",
        discussion: """
            Global option: --store DIR before the subcommand (e.g. via --store /tmp/via queue) is the store for the \
            whole invocation; a subcommand's own --store still wins. \
            Exit codes: 0 done, 1 internal failure, 64 usage error, 65 invalid input data, \
            75 temporarily unavailable.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            StationsCommand.self,
            CheckCommand.self,
            SubmitCommand.self,
            ServeCommand.self,
            QueueCommand.self,
            ReviewCommand.self,
            AuditCommand.self,
            StatsCommand.self,
            ReportCommand.self,
            RulesCommand.self,
            PhotoCommand.self,
            SamplesCommand.self,
            BenchCommand.self,
            DemoCommand.self,
        ]
    )

    /// `--store DIR` is global (SPEC §6): given before the subcommand, it is the store for the whole invocation
    /// (it sets $VIA_STORE, which every command's own `--store` defaults to and still overrides).
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let store = GlobalOptions.extractStore(&arguments) { setenv("VIA_STORE", store, 1) }
        await main(arguments)
    }
}

enum GlobalOptions {
    /// Removes a `--store DIR` or `--store=DIR` that comes before the subcommand's name and returns DIR.
    static func extractStore(_ arguments: inout [String]) -> String? {
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            let argument = arguments[index]
            if argument == "--store", index + 1 < arguments.count, !arguments[index + 1].isEmpty {
                let value = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
                return value
            }
            if argument.hasPrefix("--store="), argument.count > "--store=".count {
                arguments.remove(at: index)
                return String(argument.dropFirst("--store=".count))
            }
            index += 1
        }
        return nil
    }
}
