import ArgumentParser

/// `via samples`: synthetic labelled batches.
struct SamplesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Synthetic labelled batches for demos, tests and benchmarks.",
        subcommands: [SamplesGenerateCommand.self])
}
