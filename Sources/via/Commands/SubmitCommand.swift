import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import Store
import VIACore

/// `via submit DIR`: intake, audit and store a batch; prints the receipt.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Validate, audit and store a batch in one transaction; print the receipt.",
        discussion: """
            The same batch again (same batch_id, same content) prints the stored receipt and changes nothing; the \
            same batch_id with different content is refused (exit 65). A record whose inspection_id the station \
            submitted before is a resubmission: it is audited again and supersedes the earlier version. Exit 75 when \
            another process held the store's write lock past --lock-timeout.
            """)

    @Argument(help: "The batch directory (holding batch.json and the photos).")
    var directory: String

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var limitOptions: PhotoLimitOptions

    @Flag(help: "Print the receipt as JSON.")
    var json = false

    func run() async throws {
        let catalog = try rulesOptions.load()
        let store = try storeOptions.open()
        let progress = ProgressLine("analysing photos")
        let result: CommitResult
        do {
            result = try await Submitter(store: store, catalog: catalog, analyzer: PhotoAnalyzer(limits: limitOptions.limits))
                .submit(directory: directory, progress: progress.update)
        } catch {
            progress.finish()
            printError("via: \(error)")
            switch error {
            case let .store(storeError): throw StoreFailure(storeError).exitCode
            case .refused, .emptyRegistry, .wrongStation: throw ViaExit.dataError
            case .rules: throw ViaExit.dataError
            }
        }
        progress.finish()
        if json {
            print(try JSONCoding.string(result.receipt))
            return
        }
        let receipt = result.receipt
        if case .alreadyStored = result {
            print("batch \(receipt.batchId) from station \(receipt.station) was already stored with the same content; nothing changed")
        } else {
            print("stored batch \(receipt.batchId) from station \(receipt.station) in \(store.directory.path)")
        }
        let summary = receipt.summary
        let terminal = Terminal.standardOutput
        for record in receipt.records where record.status != .passed || record.sampled {
            let top = record.findings.first { $0.severity >= .warning }
            let line = "  \(ReceiptReport(terminal: terminal).status(record.status)) \(record.inspectionId)"
                + (record.sampled ? " (sampled for QA review)" : "")
                + (top.map { "  \($0.rule): \($0.message)" } ?? "")
            print(line)
        }
        print("summary: \(summary.records) record(s): \(terminal.green("\(summary.passed) passed")), "
              + "\(terminal.yellow("\(summary.returned) returned")), \(terminal.red("\(summary.flagged) flagged"))")
    }
}
