import Audit
import Foundation
import Testing
import VIACore
import VIATesting

/// Whole-batch refusals: each names the file and the JSON path, and nothing is audited.
@Suite struct BatchDirectoryTests {
    let registry = TestBatches.registry

    func refusal(_ folder: URL) -> BatchRefusal? {
        do {
            _ = try BatchDirectory.load(folder.path, registry: registry)
            return nil
        } catch {
            return error
        }
    }

    func folder() throws -> URL { try TestPhotos.temporaryFolder("via-batch") }

    @Test func aGoodBatchLoadsWithPhotoPaths() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestBatches.write([TestBatches.record()], into: dir)
        let loaded = try BatchDirectory.load(dir.path, registry: registry)
        #expect(loaded.batch.records.count == 1)
        #expect(loaded.batch.batchId == "20261018-0001")
        #expect(loaded.photoPaths[0].count == 7)
        #expect(loaded.photoPaths[0].allSatisfy { $0.map { FileManager.default.fileExists(atPath: $0) } == true })
    }

    @Test func invalidJSONNamesTheFileAndTheSpot() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\n  \"format\": \"via-batch/1\",\n  \"records\": [ oops ]\n}".utf8).write(to: dir.appendingPathComponent("batch.json"))
        let error = try #require(refusal(dir))
        #expect(error.file.hasSuffix("batch.json"))
        #expect(error.message.hasPrefix("not valid JSON"))
        #expect(error.description.contains("line") || error.description.contains("character"), "\(error)")
    }

    @Test func wrongFormatUnknownStationAndMissingRecords() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestBatches.write([TestBatches.record()], into: dir, extra: ["format": "via-batch/2"])
        #expect(refusal(dir)?.path == "$.format")
        try TestBatches.write([TestBatches.record()], station: "999999999", into: dir)
        let unknown = try #require(refusal(dir))
        #expect(unknown.path == "$.station" && unknown.message.contains("999999999"))
        try JSONCoding.encoder().encode(JSONValue.object(["format": "via-batch/1", "station": "150602001", "batch_id": "b"]))
            .write(to: dir.appendingPathComponent("batch.json"))
        #expect(refusal(dir)?.path == "$.records")
    }

    @Test(arguments: ["/etc/passwd", "../outside.jpg", "photos/../../x.jpg", "C:\\photos\\a.jpg"])
    func pathsLeavingTheDirectoryAreRefused(path: String) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = TestBatches.record { record in
            guard case var .array(photos) = record["photos"]!, case var .object(first) = photos[0] else { return }
            first["file"] = .string(path)
            photos[0] = .object(first)
            record["photos"] = .array(photos)
        }
        try TestBatches.write([TestBatches.record("A"), record], into: dir)
        let error = try #require(refusal(dir))
        #expect(error.path == "$.records[1].photos[0].file", "\(error)")
    }

    @Test func symlinksLeavingTheDirectoryAreRefused() throws {
        let dir = try folder()
        let outside = try folder()
        defer {
            try? FileManager.default.removeItem(at: dir)
            try? FileManager.default.removeItem(at: outside)
        }
        try TestBatches.write([TestBatches.record()], into: dir)
        try Data(TestPhotos.jpeg()).write(to: outside.appendingPathComponent("secret.jpg"))
        let link = dir.appendingPathComponent("photos/15060200126101800/0111.jpg")
        try FileManager.default.removeItem(at: link)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent("secret.jpg"))
        let error = try #require(refusal(dir))
        #expect(error.message.contains("symlink"), "\(error)")
        // A symlink that stays inside the batch is fine.
        try FileManager.default.removeItem(at: link)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "0112.jpg")
        #expect(refusal(dir) == nil)
    }

    @Test func problemsInsideOneRecordDoNotRefuseTheBatch() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = TestBatches.record("B") { record in
            record["started_at"] = "yesterday"
            record["odometer_km"] = "lots"
            record.removeValue(forKey: "plate")
        }
        try TestBatches.write([TestBatches.record("A"), broken, .string("not a record")], into: dir)
        let loaded = try BatchDirectory.load(dir.path, registry: registry)
        #expect(loaded.batch.records.count == 3)
        let record = loaded.batch.records[1]
        #expect(record.missingFields.contains("plate"))
        #expect(record.fieldProblems.map(\.field).contains("started_at"))
        #expect(record.fieldProblems.map(\.field).contains("odometer_km"))
        #expect(loaded.batch.records[2].label == "records[2]")
        #expect(!loaded.batch.records[2].fieldProblems.isEmpty)
    }

    /// SQLite's C API cuts text at a NUL: "A\u{0}B" would be stored, and looked up, as "A" (another batch, another
    /// station's record). Control characters are refused in the batch id and turn a record field into a problem.
    @Test func controlCharactersInIdsAndFields() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (id, found) in [("nul\u{0}A", "the control character U+0000"), ("\u{0}x", "the control character U+0000"),
                            ("bell\u{7}", "the control character U+0007"), ("del\u{7F}", "the control character U+007F"),
                            ("a/b", "a slash"), ("line\u{2028}", "a line break"),
                            (String(repeating: "x", count: 129), "129 characters")] {
            try TestBatches.write([TestBatches.record()], into: dir, extra: ["batch_id": .string(id)])
            let refused = try #require(refusal(dir), "\(id.unicodeScalars.map(\.value))")
            #expect(refused.path == "$.batch_id" && refused.message.hasSuffix("; found \(found)"), "\(refused.message)")
        }
        let sneaky = TestBatches.record("15060200126101899") { record in
            record["inspection_id"] = "15060200126101800\u{0}evil"
            record["plate"] = "蒙K\u{1B}12345"
        }
        try TestBatches.write([sneaky], into: dir)
        let record = try BatchDirectory.load(dir.path, registry: registry).batch.records[0]
        #expect(record.inspectionId == nil && record.plate == nil)
        #expect(record.label == "records[0]")
        let problems = record.fieldProblems.map { "\($0.field): \($0.message)" }
        #expect(problems.contains { $0.hasPrefix("inspection_id: contains the control character U+0000") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("plate: contains the control character U+001B") }, "\(problems)")
    }

    @Test func notADirectoryAndMissingManifest() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(refusal(dir)?.message.contains("cannot read batch.json") == true)
        #expect(refusal(dir.appendingPathComponent("nope"))?.message.contains("not a batch directory") == true)
    }

    @Test func unknownFieldsAreKeptVerbatim() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestBatches.write([TestBatches.record { $0["lane_software"] = ["vendor": "X", "version": 3] }], into: dir)
        let record = try BatchDirectory.load(dir.path, registry: registry).batch.records[0]
        #expect(record.raw["lane_software"]?["vendor"] == "X")
        #expect(record.fieldProblems.isEmpty)
    }
}
