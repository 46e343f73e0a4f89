import ArgumentParser

/// `via bench`: performance benchmarks (figures, never pass/fail).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure via's performance on this machine.",
        subcommands: [BenchPhotosCommand.self, BenchCheckCommand.self, BenchSubmitCommand.self, BenchHashesCommand.self,
                      BenchReviewCommand.self, BenchStatsCommand.self],
        defaultSubcommand: BenchPhotosCommand.self)
}
