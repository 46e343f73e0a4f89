import Foundation
import PhotoAnalysis
import RuleSets
import VIACore

/// Batch directories for tests: the canonical example inspection written out with real photo files.
public enum TestBatches {
    /// The stations of the canonical example (station 150602001, lane 1 with CAM-0101 and CAM-0102).
    public static var registry: StationRegistry { StationRegistry(stations: [ExampleWorld().station]) }

    /// The canonical record JSON (from `ExampleWorld`) with a new inspection id and its photos in a folder of
    /// their own (`photos/<inspection id>/<code>.jpg`).
    public static func record(_ inspectionId: String = "15060200126101800",
                              _ change: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
        var record = ExampleWorld().record
        record["inspection_id"] = .string(inspectionId)
        if case let .array(photos) = record["photos"] ?? .null {
            record["photos"] = .array(photos.map { photo in
                guard case var .object(entry) = photo, let code = entry["code"]?.stringValue else { return photo }
                entry["file"] = .string("photos/\(inspectionId)/\(code).jpg")
                return .object(entry)
            })
        }
        change(&record)
        return .object(record)
    }

    /// Moves a record's inspection window and every declared photo time by `seconds` (photos written by
    /// `write` follow, since their EXIF comes from the declared times).
    public static func shift(_ record: inout [String: JSONValue], by seconds: TimeInterval) {
        func moved(_ value: JSONValue?) -> JSONValue? {
            guard let text = value?.stringValue, let time = Timestamp.parseISO8601(text) else { return value }
            return .string(Timestamp(date: time.date.addingTimeInterval(seconds), offsetSeconds: time.offsetSeconds).description)
        }
        record["started_at"] = moved(record["started_at"])
        record["finished_at"] = moved(record["finished_at"])
        if case let .array(photos) = record["photos"] ?? .null {
            record["photos"] = .array(photos.map { photo in
                guard case var .object(entry) = photo else { return photo }
                entry["taken_at"] = moved(entry["taken_at"])
                return .object(entry)
            })
        }
    }

    /// A catalog with one rule set for every vehicle that requires exactly the canonical example's photos,
    /// with the shipped default rule tuning (for store and pipeline tests independent of rules/).
    public static let catalog: RuleSetCatalog = {
        let codes = ExampleWorld().requirements.photoCodes.map { "\"\($0)\"" }.joined(separator: ", ")
        let names = ExampleWorld().requirements.photoCodeNames.map { "  \"\($0.key)\": \($0.value)" }.sorted().joined(separator: "\n")
        let yaml = """
            id: test-all
            name: Every vehicle (tests)
            applies_to: { vehicle_types: ["*"] }
            required_fields: [odometer_km]
            required_photos:
              - codes: [\(codes)]
            photo_codes:
            \(names)
            reasons:
              - { code: R01, text: Plate in photo does not match the record }
              - { code: R02, text: Photo date stale }
            sampling: { rate: 0 }
            """
        let result = RuleSetLoader.load(files: [(path: "test-all.yaml", text: yaml)])
        precondition(!result.hasErrors, "\(result.diagnostics)")
        return result.catalog
    }()

    /// Writes batch.json and, for every photo entry with a relative file path, a real camera-like JPEG whose
    /// EXIF matches the entry (time, device). Returns the batch folder.
    @discardableResult
    public static func write(_ records: [JSONValue], batchId: String = "20261018-0001", station: String = ExampleWorld.stationCode,
                             into folder: URL, photoSeed: UInt64 = 1, extra: [String: JSONValue] = [:]) throws -> URL {
        var batch: [String: JSONValue] = ["format": "via-batch/1", "station": .string(station), "batch_id": .string(batchId),
                                          "records": .array(records)]
        for (key, value) in extra { batch[key] = value }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try JSONCoding.encoder().encode(JSONValue.object(batch)).write(to: folder.appendingPathComponent("batch.json"))
        let devices = Dictionary(uniqueKeysWithValues: ExampleWorld().station.lanes[0].devices.map { ($0.id, $0) })
        var seed = photoSeed
        for record in records {
            for photo in record["photos"]?.arrayValue ?? [] {
                guard let file = photo["file"]?.stringValue, PathCheck.problem(file) == nil else { continue }
                let url = folder.appendingPathComponent(file)
                if FileManager.default.fileExists(atPath: url.path) { continue }
                var exif = TestPhotos.cameraExif()
                if let device = photo["device"]?.stringValue.flatMap({ devices[$0] }) {
                    exif.make = device.make
                    exif.model = device.model
                    exif.bodySerialNumber = device.serial
                }
                if let taken = photo["taken_at"]?.stringValue.flatMap(Timestamp.parseISO8601) {
                    exif.dateTimeOriginal = Timestamp.exifText(taken.date, offset: taken.offsetSeconds)
                    exif.offsetTimeOriginal = Timestamp.offsetText(taken.offsetSeconds)
                }
                exif.gps = GPSFields(latitude: 39.8172, longitude: 109.9768, altitude: 1052)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(TestPhotos.jpeg(seed: seed, width: 640, height: 480, exif: exif)).write(to: url)
                seed += 1
            }
        }
        return folder
    }
}
