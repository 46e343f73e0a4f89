import ArgumentParser
import Foundation
import PhotoAnalysis
import VIACore

/// Finding and making photo files for benchmarks and the demo.
enum PhotoFiles {
    /// Regular files under a folder, recursively, sorted by path.
    static func list(_ directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(directory) is not a folder")
        }
        let root = URL(fileURLWithPath: directory)
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        var files: [String] = []
        for case let url as URL in enumerator {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url.path) }
        }
        return files.sorted()
    }

    /// Writes `count` camera-like photos (EXIF with time, camera and GPS) and returns their paths.
    static func synthesize(count: Int, width: Int, height: Int, quality: Int, into folder: URL) async throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paths = (0..<count).map { folder.appendingPathComponent(String(format: "photo-%04d.jpg", $0)).path }
        var failure: Error?
        await forEachConcurrently(count, work: { index -> Error? in
            do {
                var exif = ExifFields()
                exif.make = "Hikvision"
                exif.model = "DS-2CD2T47G2"
                exif.bodySerialNumber = "DS2CD2T47G2-0101"
                exif.dateTimeOriginal = String(format: "2026:10:18 10:%02d:%02d", index / 60 % 60, index % 60)
                exif.offsetTimeOriginal = "+08:00"
                exif.gps = GPSFields(latitude: 39.8170, longitude: 109.9770, altitude: 1050)
                let spec = PhotoSpec(scene: SceneSpec(width: width, height: height, seed: UInt64(index) + 1),
                                     encoding: EncodeOptions(quality: quality), exif: exif)
                let bytes = try SyntheticPhoto.make(spec)
                try Data(bytes).write(to: URL(fileURLWithPath: paths[index]))
                return nil
            } catch {
                return error
            }
        }, deliver: { _, error in if let error, failure == nil { failure = error } })
        if let failure { throw failure }
        return paths
    }
}
