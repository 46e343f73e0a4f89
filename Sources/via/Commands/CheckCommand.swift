import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import VIACore

/// `via check DIR`: audit a batch without storing anything (a station's pre-flight).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Audit a batch without storing anything (a station's pre-flight).",
        discussion: """
            Prints the receipt: each record passed, returned (incomplete: back to the station) or flagged \
            (to human review), with findings. Exit 0 when the batch was audited, 65 when it is refused whole \
            (invalid batch.json, wrong format, unknown station, photo paths leaving the directory).
            """)

    @Argument(help: "The batch directory (holding batch.json and the photos).")
    var directory: String

    @OptionGroup var stationsOptions: StationsOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var limitOptions: PhotoLimitOptions

    @Flag(help: "Print the receipt as JSON.")
    var json = false

    func validate() throws {
        if stationsOptions.stations == nil {
            throw ValidationError("give --stations FILE (the station registry to check against)")
        }
    }

    func run() async throws {
        let registry = try stationsOptions.load() ?? StationRegistry()
        let catalog = try rulesOptions.load()
        let loaded: LoadedBatch
        do {
            loaded = try BatchDirectory.load(directory, registry: registry)
        } catch {
            printError("via: batch refused: \(error)")
            throw ViaExit.dataError
        }
        let auditor = try Auditor(registry: registry, catalog: catalog, analyzer: PhotoAnalyzer(limits: limitOptions.limits))
        let outcome = await auditor.audit(loaded)
        if json {
            print(try JSONCoding.string(outcome.receipt))
        } else {
            print(ReceiptReport(terminal: .standardOutput).render(outcome, registry: registry))
        }
    }
}
