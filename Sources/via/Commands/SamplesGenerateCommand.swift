import ArgumentParser
import Foundation
import Samples
import VIACore

/// `via samples generate DIR`: a batch of realistic records with planted defects and labels.
struct SamplesGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic batch (batch.json, photos, labels.json) with defects planted at a given rate.",
        discussion: """
            Records are realistic (plausible plates, VINs with valid check digits, codes, times within a working day, \
            measurements within the legal limits) and their photos carry EXIF from the station's registered devices, \
            lane and inspection window. labels.json names, for each record, the defect planted and the rule ids that \
            must report it. Same options, same bytes.
            """)

    @Argument(help: "Output folder (created if needed).")
    var directory: String

    @Option(help: "Number of records.")
    var records = 20

    @Option(help: "Share of records with one planted defect (0...1).")
    var defectRate = 0.3

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Station code (default: the registry's first station).")
    var station: String?

    @Option(help: "Batch id (default: derived from the date and seed).")
    var batchId: String?

    @Option(help: "Inspection day, YYYY-MM-DD (station local time).")
    var date = "2026-10-18"

    @Option(help: "Photo size, WxH.")
    var photoSize = "1280x960"

    @Option(help: "JPEG quality of the photos.")
    var quality = 85

    @Option(help: "Sensor noise of the synthetic scenes (standard deviation, grey levels); lower gives smaller files.")
    var noise = 6.0

    @Option(help: "Amplitude of the scenes' fine texture (grey levels); lower gives smaller files.")
    var texture = 7.0

    @Option(help: ArgumentHelp("Plant exactly these defects, one record each, instead of drawing them at --defect-rate (comma-separated: \(Defect.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "kinds"))
    var defects: String?

    @OptionGroup var stationsOptions: StationsOptions
    @OptionGroup var rulesOptions: RulesOptions

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive, got \(records)") }
        guard (0...1).contains(defectRate) else { throw ValidationError("--defect-rate must lie in 0...1, got \(defectRate)") }
        guard let size = PhotoSize(photoSize), size.width >= 64, size.height >= 64 else {
            throw ValidationError("--photo-size must look like 1280x960 (at least 64x64), got '\(photoSize)'")
        }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must lie in 1...100") }
        guard (0...50).contains(noise), (0...50).contains(texture) else { throw ValidationError("--noise and --texture must lie in 0...50") }
        if let defects {
            for name in defects.split(separator: ",") where Defect(rawValue: String(name)) == nil {
                throw ValidationError("unknown defect '\(name)'; known: \(Defect.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let count = defects.split(separator: ",").count
            guard count < records else { throw ValidationError("--defects lists \(count) defects; give --records of at least \(count + 1)") }
        }
        guard Timestamp.parseDate(date) != nil else { throw ValidationError("--date must be YYYY-MM-DD, got '\(date)'") }
    }

    func run() async throws {
        let registry = try stationsOptions.load() ?? SampleStations.registry
        if let station, !registry.contains(station) {
            throw ValidationError("station \(station) is not in the registry (\(registry.stations.map(\.code).joined(separator: ", ")))")
        }
        let catalog = try rulesOptions.load()
        let size = PhotoSize(photoSize)!
        var options = SampleOptions(records: records, defectRate: defectRate, seed: seed, station: station, batchId: batchId,
                                    photoWidth: size.width, photoHeight: size.height, date: date, quality: quality,
                                    noise: noise, texture: texture)
        options.defects = defects?.split(separator: ",").compactMap { Defect(rawValue: String($0)) }
        let output = URL(fileURLWithPath: directory)
        let labels: SampleLabels
        do {
            labels = try await SampleGenerator(registry: registry, catalog: catalog, options: options).generate(into: output)
        } catch let error as SampleGenerationError {
            printError("via: \(error)")
            throw ViaExit.dataError
        }
        let defective = labels.records.filter { $0.defect != nil }.count
        if json {
            print(try JSONCoding.string(JSONValue.object([
                "directory": .string(directory), "batch_id": .string(labels.batchId), "station": .string(labels.station),
                "records": JSONValue(labels.records.count), "defective": JSONValue(defective),
                "labels": .string(output.appendingPathComponent("labels.json").path),
            ])))
            return
        }
        print("wrote batch \(labels.batchId) for station \(labels.station) to \(directory): \(labels.records.count) records, \(defective) with a planted defect")
        print("labels: \(output.appendingPathComponent("labels.json").path)")
    }
}
