import Foundation
import PhotoAnalysis
import VIACore

/// What to generate.
public struct SampleOptions: Sendable {
    public var records: Int
    /// Share of records that carry one planted defect (0...1).
    public var defectRate: Double
    public var seed: UInt64
    public var station: String?
    public var batchId: String?
    public var photoWidth: Int
    public var photoHeight: Int
    /// The inspection day (YYYY-MM-DD, station local time).
    public var date: String
    public var quality: Int
    /// Sensor noise and texture amplitude of the synthetic scenes, in grey levels (lower compresses smaller).
    public var noise: Double
    public var texture: Double
    /// Plant exactly these defects (one record each, spread over the batch) instead of drawing them at
    /// `defectRate`.
    public var defects: [Defect]?

    public init(records: Int = 20, defectRate: Double = 0.3, seed: UInt64 = 1, station: String? = nil, batchId: String? = nil,
                photoWidth: Int = 1280, photoHeight: Int = 960, date: String = "2026-10-18", quality: Int = 85,
                noise: Double = 6, texture: Double = 7) {
        self.noise = noise
        self.texture = texture
        self.records = records
        self.defectRate = defectRate
        self.seed = seed
        self.station = station
        self.batchId = batchId
        self.photoWidth = photoWidth
        self.photoHeight = photoHeight
        self.date = date
        self.quality = quality
    }
}

/// `labels.json`: for each record, the defect planted in it and the rules that must report it.
public struct SampleLabels: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var inspectionId: String
        public var defect: Defect?
        public var expectedRules: [String]
        public var story: String
    }

    public var format = "via-labels/1"
    public var batchId: String
    public var station: String
    public var seed: UInt64
    public var records: [Entry]
}

public struct SampleGenerationError: Error, CustomStringConvertible {
    public var description: String
}

/// Generates labelled synthetic batches: realistic records and camera-like photos whose EXIF matches the
/// station's registered devices, lane and inspection window, with defects planted at a given rate.
/// Same options, same bytes.
public struct SampleGenerator: Sendable {
    public let registry: StationRegistry
    public let catalog: RuleSetCatalog
    public let options: SampleOptions

    public init(registry: StationRegistry, catalog: RuleSetCatalog, options: SampleOptions) {
        self.registry = registry
        self.catalog = catalog
        self.options = options
    }

    /// Writes batch.json, labels.json and the photos into `directory` (created if needed).
    @discardableResult
    public func generate(into directory: URL) async throws -> SampleLabels {
        let chosen: Station? = options.station.map { registry[$0] } ?? registry.stations.first
        guard let station = chosen else {
            throw SampleGenerationError(description: "station \(options.station ?? "?") is not in the registry")
        }
        guard !station.lanes.isEmpty else {
            throw SampleGenerationError(description: "station \(station.code) has no lanes")
        }
        guard let day = Timestamp.parseDate(options.date) else {
            throw SampleGenerationError(description: "--date must be YYYY-MM-DD, got \(options.date)")
        }
        var plan = BatchPlan(station: station, catalog: catalog, options: options, day: day)
        plan.build()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let photos = plan.photos
        var failure: Error?
        await forEachConcurrently(photos.count, work: { index -> Error? in
            do {
                let photo = photos[index]
                let url = directory.appendingPathComponent(photo.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(photo.render()).write(to: url)
                return nil
            } catch {
                return error
            }
        }, deliver: { _, error in if let error, failure == nil { failure = error } })
        if let failure { throw failure }
        let encoder = JSONCoding.encoder()
        try encoder.encode(plan.batchJSON).write(to: directory.appendingPathComponent("batch.json"))
        try encoder.encode(plan.labels).write(to: directory.appendingPathComponent("labels.json"))
        return plan.labels
    }
}

/// One photo file to write.
struct PlannedPhoto: Sendable {
    var path: String
    var spec: PhotoSpec
    /// Keep only this share of the encoded bytes (a truncated upload).
    var truncateTo: Double?

    func render() throws -> [UInt8] {
        let bytes = try SyntheticPhoto.make(spec)
        guard let truncateTo else { return bytes }
        return Array(bytes.prefix(Int(Double(bytes.count) * truncateTo)))
    }
}
