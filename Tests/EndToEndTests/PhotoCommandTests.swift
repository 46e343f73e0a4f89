import Foundation
import PhotoAnalysis
import Testing
import VIATesting

/// `via photo` driven through the built binary.
@Suite struct PhotoCommandTests {
    @Test func soundPhotosExitZeroWithJSON() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.jpg"), b = folder.appendingPathComponent("b.bin")
        try Data(TestPhotos.jpeg(seed: 1)).write(to: a)
        try Data(TestPhotos.jpeg(seed: 2, progressive: true)).write(to: b) // extension is not trusted
        let result = try ViaBinary.run(["photo", "--json", a.path, b.path])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(objects[0]["file"] as? String == a.path)
        let exif = try #require(objects[0]["exif"] as? [String: Any])
        #expect(exif["date_time_original"] as? String == "2026:10:18 10:01:02")
        let gps = try #require(exif["gps"] as? [String: Any])
        #expect((gps["latitude"] as? Double).map { abs($0 - 39.817) < 1e-6 } == true)
        let jpeg = try #require(objects[1]["jpeg"] as? [String: Any])
        #expect(jpeg["progressive"] as? Bool == true)
        let figures = try #require(objects[0]["figures"] as? [String: Any])
        #expect((figures["perceptual_hash"] as? String)?.count == 16)
    }

    @Test func anyUnsoundFileExits65() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.jpg"), bad = folder.appendingPathComponent("bad.jpg")
        let bytes = TestPhotos.jpeg()
        try Data(bytes).write(to: good)
        try Data(TestPhotos.truncated(bytes, at: 0.5)).write(to: bad)
        let result = try ViaBinary.run(["photo", good.path, bad.path])
        #expect(result.status == 65)
        #expect(result.stdout.contains("truncated"))
        #expect(result.stdout.contains("good.jpg  sound"))
        let missing = try ViaBinary.run(["photo", folder.appendingPathComponent("nope.jpg").path])
        #expect(missing.status == 65)
        #expect(missing.stdout.contains("io_error"))
    }

    @Test func trailingDataIsOnlyAWarning() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("t.jpg")
        try Data(TestPhotos.jpeg() + [UInt8](repeating: 7, count: 100)).write(to: file)
        let result = try ViaBinary.run(["photo", file.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("trailing_data"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try ViaBinary.run(["photo"]).status == 64)
        #expect(try ViaBinary.run(["photo", "--max-bytes", "0", "x.jpg"]).status == 64)
        #expect(try ViaBinary.run(["photo", "--bogus", "x.jpg"]).status == 64)
        #expect(try ViaBinary.run(["no-such-command"]).status == 64)
    }

    @Test func noDecodeStillReadsMetadata() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("m.jpg")
        try Data(TestPhotos.jpeg()).write(to: file)
        let result = try ViaBinary.run(["photo", "--no-decode", "--json", file.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"decoded\" : false"))
        #expect(result.stdout.contains("Hikvision"))
    }
}
