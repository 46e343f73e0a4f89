import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import RuleSets
import Store
import Supervision
import VIACore

/// `via demo`: the end-to-end walk-through on the committed sample data, in a fresh temporary store.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "End-to-end walk-through on samples/ in a fresh temporary store (run from the repository root).")

    @Option(help: "The samples folder (stations.yaml and batch-20261018/).")
    var samples = "samples"

    @Option(help: "Use this store directory instead of a fresh temporary one.")
    var store: String?

    @OptionGroup var rulesOptions: RulesOptions

    /// Total size of the files under a folder.
    static func size(of directory: URL) -> Int {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey])
        var total = 0
        while let url = enumerator?.nextObject() as? URL {
            total += (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }

    func run() async throws {
        let terminal = Terminal.standardOutput
        let stationsPath = (samples as NSString).appendingPathComponent("stations.yaml")
        let batchPath = (samples as NSString).appendingPathComponent("batch-20261018")
        guard FileManager.default.fileExists(atPath: stationsPath), FileManager.default.fileExists(atPath: batchPath) else {
            throw ValidationError("sample data not found under \(samples)/; run from the repository root or pass --samples DIR")
        }
        let catalog = try rulesOptions.load()
        let directory = store.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("via-demo-\(getpid())")
        let opened: ViaStore
        do {
            opened = try ViaStore(directory: directory)
        } catch {
            throw StoreFailure(error).report()
        }

        print(terminal.bold("1. A fresh store: via init --store \(directory.path)"))
        print("   via.sqlite (WAL) and blobs/ in \(directory.path)\n")

        print(terminal.bold("2. The station registry: via stations import \(stationsPath)"))
        let registry: StationRegistry
        do {
            registry = try StationsFile.load(path: stationsPath)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ViaExit.dataError
        }
        do {
            let report = try opened.importStations(registry)
            print("   \(report.summary): " + registry.stations.map { "\($0.code) \($0.name) (\($0.lanes.count) lanes)" }.joined(separator: ", ") + "\n")
        } catch {
            throw StoreFailure(error).report()
        }

        print(terminal.bold("3. A station uploads a batch: via submit \(batchPath)"))
        let submitter = Submitter(store: opened, catalog: catalog)
        let result: CommitResult
        do {
            result = try await submitter.submit(directory: batchPath)
        } catch {
            printError("via: \(error)")
            throw ViaExit.dataError
        }
        let receipt = result.receipt
        for record in receipt.records {
            let top = record.findings.filter { $0.severity >= .warning }.map(\.rule)
            print("   \(ReceiptReport(terminal: terminal).status(record.status)) \(record.inspectionId)"
                  + (top.isEmpty ? "" : "  " + Array(Set(top)).sorted().joined(separator: ", ")))
        }
        let summary = receipt.summary
        print("   summary: \(summary.records) records: \(summary.passed) passed at once, \(summary.returned) back to the station, "
              + "\(summary.flagged) to reviewers")
        print("   the story of each record: \((samples as NSString).appendingPathComponent("README.md"))\n")

        print(terminal.bold("4. The station's lane software retries the upload: via submit \(batchPath)"))
        do {
            let again = try await submitter.submit(directory: batchPath)
            if case .alreadyStored = again { print("   already stored with the same content: the stored receipt, nothing changed\n") }
        } catch {
            printError("via: \(error)")
            throw ViaExit.dataError
        }

        print(terminal.bold("5. What via read from a photo it flagged: via photo FILE"))
        if let loaded = try? BatchDirectory.load(batchPath, registry: registry),
           let flagged = receipt.records.first(where: { $0.findings.contains { $0.rule == "photo.edited" } }),
           let code = flagged.findings.first(where: { $0.rule == "photo.edited" })?.photo,
           let recordIndex = loaded.batch.records.firstIndex(where: { $0.inspectionId == flagged.inspectionId }),
           let photoIndex = loaded.batch.records[recordIndex].photos.firstIndex(where: { $0.code == code }),
           let path = loaded.photoPaths[recordIndex][photoIndex] {
            print(PhotoReport(terminal: terminal).render(PhotoAnalyzer().analyze(path: path)))
        }
        print(terminal.bold("6. The supervisor's view: via stats"))
        if let overview = try? Supervisor(store: opened).overview(StatsWindow(since: nil)) {
            print(StatsReport.overview(overview, since: nil))
        }
        print(terminal.bold("\nThe store is at \(directory.path)") + " (\(PhotoReport.size(Self.size(of: directory)))); explore it:")
        print("   via stations list --store \(directory.path)")
        print("   via check \(batchPath) --store \(directory.path)")
        print("   via queue --store \(directory.path)            # then: via review --store \(directory.path)")
        print("   via report --html report.html --store \(directory.path)")
        print("   via rules show photo.duplicate")
    }
}
