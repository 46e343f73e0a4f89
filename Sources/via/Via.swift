import ArgumentParser

/// The `via` command line: Vehicle Inspection Audit.
@main
struct Via: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "via",
        abstract: "Vehicle Inspection Audit: automatic audit of vehicle inspection records and photos.",
        discussion: """
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
}
