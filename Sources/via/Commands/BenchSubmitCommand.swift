import ArgumentParser
import Audit
import Foundation
import PhotoAnalysis
import Samples
import Store
import VIACore

/// `via bench submit`: intake throughput into a fresh store, and what a record costs on disk.
struct BenchSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a generated batch into a fresh store: records/s, photos/s against the decode loop, store size per record.")

    @Option(help: "Records to generate.")
    var records = 200

    @Option(help: "Photo size of generated records, WxH.")
    var photoSize = "1280x960"

    @Option(help: "Use this generated batch folder instead of generating one.")
    var batch: String?

    @OptionGroup var rulesOptions: RulesOptions

    @Flag(help: "Print the figures as JSON.")
    var json = false

    struct Figures: Codable {
        var records: Int
        var photos: Int
        var seconds: Double
        var recordsPerSecond: Double
        var photosPerSecond: Double
        var decodeLoopPhotosPerSecond: Double
        var ratio: Double
        var databaseBytesPerRecord: Double
        var blobBytesPerRecord: Double
    }

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard PhotoSize(photoSize) != nil else { throw ValidationError("--photo-size must look like 1280x960") }
    }

    func run() async throws {
        let catalog = try rulesOptions.load()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-submit-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = batch.map { URL(fileURLWithPath: $0) } ?? scratch.appendingPathComponent("batch")
        if batch == nil {
            let size = PhotoSize(photoSize)!
            if !json { print("generating \(records) records (\(photoSize))…") }
            try await SampleGenerator(registry: SampleStations.registry, catalog: catalog, options: SampleOptions(
                records: records, defectRate: 0.3, seed: 5, photoWidth: size.width, photoHeight: size.height)).generate(into: folder)
        }
        let storeDirectory = scratch.appendingPathComponent("store")
        let store: ViaStore
        do {
            store = try ViaStore(directory: storeDirectory)
            _ = try store.importStations(SampleStations.registry)
        } catch {
            throw StoreFailure(error).report()
        }
        let loaded = try BatchDirectory.load(folder.path, registry: SampleStations.registry)
        let files = Array(Set(loaded.photoPaths.joined().compactMap { $0 })).sorted()
        for file in files { _ = try? FileReader.read(file, limit: Int.max) } // warm the page cache

        let start = DispatchTime.now().uptimeNanoseconds
        var phases: [(String, Double)] = []
        let result = try await Submitter(store: store, catalog: catalog).submit(directory: folder.path, phases: { phases.append(($0, $1)) })
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let decodeSeconds = await DecodeLoop.seconds(files)
        let databaseBytes = ["via.sqlite", "via.sqlite-wal"].reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: storeDirectory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        let recordCount = result.receipt.records.count
        let figures = Figures(
            records: recordCount, photos: files.count, seconds: seconds,
            recordsPerSecond: Double(recordCount) / seconds, photosPerSecond: Double(files.count) / seconds,
            decodeLoopPhotosPerSecond: Double(files.count) / decodeSeconds, ratio: decodeSeconds / seconds,
            databaseBytesPerRecord: Double(databaseBytes) / Double(recordCount),
            blobBytesPerRecord: Double(DemoCommand.size(of: store.blobs.root)) / Double(recordCount))
        if json {
            print(try JSONCoding.string(figures))
            return
        }
        print(String(format: "submit: %d records, %d photos in %.2f s: %.1f records/s, %.1f photos/s", recordCount, files.count,
                     seconds, figures.recordsPerSecond, figures.photosPerSecond))
        print("phases: " + phases.map { "\($0.0) " + String(format: "%.0f ms", $0.1) }.joined(separator: " · "))
        print(String(format: "plain decode loop over the same photos: %.1f photos/s; submit / decode = %.2f",
                     figures.decodeLoopPhotosPerSecond, figures.ratio))
        print(String(format: "store per record: %.1f kB database, %.1f kB photos", figures.databaseBytesPerRecord / 1024,
                     figures.blobBytesPerRecord / 1024))
    }
}
