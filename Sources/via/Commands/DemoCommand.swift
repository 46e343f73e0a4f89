import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import RuleSets
import VIACore

/// `via demo`: a walk-through on the committed sample data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through via on the sample data in samples/ (run from the repository root).")

    @Option(help: "The samples folder (stations.yaml and batch-20261018/).")
    var samples = "samples"

    @OptionGroup var rulesOptions: RulesOptions

    func run() async throws {
        let terminal = Terminal.standardOutput
        let stationsPath = (samples as NSString).appendingPathComponent("stations.yaml")
        let batchPath = (samples as NSString).appendingPathComponent("batch-20261018")
        guard FileManager.default.fileExists(atPath: stationsPath), FileManager.default.fileExists(atPath: batchPath) else {
            throw ValidationError("sample data not found under \(samples)/; run from the repository root or pass --samples DIR")
        }
        let registry: StationRegistry
        do {
            registry = try StationsFile.load(path: stationsPath)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ViaExit.dataError
        }
        let catalog = try rulesOptions.load()

        print(terminal.bold("1. A station's pre-flight: via check \(batchPath) --stations \(stationsPath)\n"))
        let loaded: LoadedBatch
        do {
            loaded = try BatchDirectory.load(batchPath, registry: registry)
        } catch {
            printError("via: batch refused: \(error)")
            throw ViaExit.dataError
        }
        let outcome = await (try Auditor(registry: registry, catalog: catalog)).audit(loaded)
        print(ReceiptReport(terminal: terminal).render(outcome, registry: registry))
        print("\nStory of each record: \((samples as NSString).appendingPathComponent("README.md"))")

        print(terminal.bold("\n2. What via reads from a photo: via photo FILE...\n"))
        let report = PhotoReport(terminal: terminal)
        var shown = 0
        for audited in outcome.records where audited.result.status != .passed || shown == 0 {
            guard shown < 3, let index = audited.photos.firstIndex(where: { photo in
                audited.result.findings.contains { $0.photo == photo.code } || audited.result.status == .passed
            }), let facts = audited.photos[index].facts else { continue }
            print(terminal.dim("# record \(audited.result.inspectionId), photo \(audited.photos[index].label)"))
            print(report.render(facts) + "\n")
            shown += 1
        }
        print("More: via rules list · via rules show photo.time_window · via samples generate DIR --records 50")
    }
}
