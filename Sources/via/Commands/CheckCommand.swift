import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import Store
import VIACore

/// `via check DIR`: audit a batch without storing anything (a station's pre-flight).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Audit a batch without storing anything (a station's pre-flight).",
        discussion: """
            Prints the receipt: each record passed, returned (incomplete: back to the station) or flagged \
            (to human review), with findings. With --stations no store is needed (history is the batch itself); \
            without it the store's registry and history are used (duplicates, odometer and overlap against every \
            stored inspection). Exit 0 when the batch was audited, 65 when it is refused whole (invalid \
            batch.json, wrong format, unknown station, photo paths leaving the directory).
            """)

    @Argument(help: "The batch directory (holding batch.json and the photos).")
    var directory: String

    @OptionGroup var stationsOptions: StationsOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var limitOptions: PhotoLimitOptions

    @Flag(help: "Print the receipt as JSON.")
    var json = false

    func run() async throws {
        let catalog = try rulesOptions.load()
        var store: ViaStore?
        let registry: StationRegistry
        if let fromFile = try stationsOptions.load() {
            registry = fromFile
        } else {
            let opened = try storeOptions.open()
            do {
                registry = try opened.registry()
            } catch {
                throw StoreFailure(error).report()
            }
            guard !registry.stations.isEmpty else {
                printError("via: the store at \(opened.directory.path) has no stations; pass --stations FILE or run `via stations import FILE`")
                throw ViaExit.dataError
            }
            store = opened
        }
        let loaded: LoadedBatch
        do {
            loaded = try BatchDirectory.load(directory, registry: registry)
        } catch {
            printError("via: batch refused: \(error)")
            throw ViaExit.dataError
        }
        let auditor = try Auditor(registry: registry, catalog: catalog, analyzer: PhotoAnalyzer(limits: limitOptions.limits))
        let outcome: AuditOutcome
        if let store {
            let analysed = await auditor.analyse(loaded)
            do {
                outcome = try store.read { db in auditor.judge(analysed, history: StoreHistory(db)) }
            } catch {
                throw StoreFailure(error).report()
            }
        } else {
            outcome = await auditor.audit(loaded)
        }
        if json {
            print(try JSONCoding.string(outcome.receipt))
        } else {
            print(ReceiptReport(terminal: .standardOutput).render(outcome, registry: registry))
        }
    }
}
