import Foundation
import PhotoAnalysis
import VIACore

/// Batch directories for tests: the canonical example inspection written out with real photo files.
public enum TestBatches {
    /// The stations of the canonical example (station 150602001, lane 1 with CAM-0101 and CAM-0102).
    public static var registry: StationRegistry { StationRegistry(stations: [ExampleWorld().station]) }

    /// The canonical record JSON (from `ExampleWorld`) with a new inspection id.
    public static func record(_ inspectionId: String = "15060200126101800",
                              _ change: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
        var record = ExampleWorld().record
        record["inspection_id"] = .string(inspectionId)
        change(&record)
        return .object(record)
    }

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
