import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import Samples
import VIACore

/// `via bench check`: audit throughput and accuracy on a generated, labelled batch.
struct BenchCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Audit a generated labelled batch: recall, false flags, records/s and photos/s against the decode limit.",
        discussion: """
            Generates --records records at --defect-rate into a temporary folder (or uses --batch DIR, which must \
            hold labels.json), audits it as `via check` does, scores the receipt against the labels, and runs the \
            plain libjpeg decode loop over the same photos for comparison.
            """)

    @Option(help: "Records to generate.")
    var records = 500

    @Option(help: "Share of records with a planted defect.")
    var defectRate = 0.3

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Photo size of generated records, WxH.")
    var photoSize = "1280x960"

    @Option(help: "Use this generated batch folder instead of generating one.")
    var batch: String?

    @Option(help: "Keep the generated batch in this folder.")
    var keep: String?

    @OptionGroup var rulesOptions: RulesOptions

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard (0...1).contains(defectRate) else { throw ValidationError("--defect-rate must lie in 0...1") }
        guard PhotoSize(photoSize) != nil else { throw ValidationError("--photo-size must look like 1280x960") }
    }

    func run() async throws {
        let catalog = try rulesOptions.load()
        let registry = SampleStations.registry
        let folder: URL
        var generationSeconds: Double?
        var temporary: URL?
        if let batch {
            folder = URL(fileURLWithPath: batch)
        } else {
            folder = keep.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-check-\(getpid())")
            if keep == nil { temporary = folder }
            let size = PhotoSize(photoSize)!
            if !json { print("generating \(records) records (\(photoSize), defect rate \(defectRate)) in \(folder.path)…") }
            let start = DispatchTime.now().uptimeNanoseconds
            try await SampleGenerator(registry: registry, catalog: catalog, options: SampleOptions(
                records: records, defectRate: defectRate, seed: seed, photoWidth: size.width, photoHeight: size.height))
                .generate(into: folder)
            generationSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }

        let labels = try JSONCoding.decoder().decode(SampleLabels.self, from: Data(contentsOf: folder.appendingPathComponent("labels.json")))
        let result = try await CheckBenchmark(folder: folder, registry: registry, catalog: catalog, labels: labels).run()
        if json {
            print(try JSONCoding.string(result))
        } else {
            if let generationSeconds { print(String(format: "generated in %.1f s", generationSeconds)) }
            print(result.summary)
        }
    }
}
