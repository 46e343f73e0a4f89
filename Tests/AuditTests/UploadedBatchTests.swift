import Audit
import Foundation
import PhotoAnalysis
import Store
import Testing
import VIACore
import VIATesting

/// Batches received by `via serve` (photo parts already on disk and hashed) are audited and stored exactly as the
/// same batch from a directory, and their photo files become blobs by a move.
@Suite struct UploadedBatchTests {
    static let catalog = TestBatches.catalog

    /// Writes a batch folder, then turns it into an upload: every photo copied to `area/part-N`, hashed.
    func upload(from folder: URL, area: URL, records: [JSONValue]) throws -> UploadedBatch {
        var photos: [String: UploadedPhoto] = [:]
        var index = 0
        for record in records {
            for photo in record["photos"]?.arrayValue ?? [] {
                guard let file = photo["file"]?.stringValue else { continue }
                let key = UploadedBatch.key(for: file)
                guard photos[key] == nil else { continue }
                let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
                let part = area.appendingPathComponent("part-\(index)")
                index += 1
                try Data(bytes).write(to: part)
                photos[key] = UploadedPhoto(path: part.path, byteCount: bytes.count, sha256: PhotoAnalysisSHA.of(bytes)!)
            }
        }
        return UploadedBatch(manifest: try Data(contentsOf: folder.appendingPathComponent("batch.json")), photos: photos,
                             absentRoot: area.appendingPathComponent("absent").path)
    }

    func summary(_ receipt: Receipt) -> [String] {
        receipt.records.map { "\($0.inspectionId) \($0.status.rawValue) " + $0.findings.map(\.rule).sorted().joined(separator: ",") }
    }

    @Test func anUploadIsJudgedAsItsDirectoryAndMovesItsPhotosIntoTheStore() async throws {
        let records = [TestBatches.record("U1"), TestBatches.record("U2") { $0["vin"] = "LFV2A21K8G3023312" }]
        let folder = try TestPhotos.temporaryFolder()
        let area = try TestPhotos.temporaryFolder("via-upload-area")
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: area) }
        try TestBatches.write(records, into: folder)
        let upload = try upload(from: folder, area: area, records: records)

        let viaUpload = try TemporaryStore(stations: TestBatches.registry)
        let viaDirectory = try TemporaryStore(stations: TestBatches.registry)
        defer { viaUpload.remove(); viaDirectory.remove() }
        let uploaded = try await Submitter(store: viaUpload.store, catalog: Self.catalog).submit(upload: upload)
        let fromFolder = try await Submitter(store: viaDirectory.store, catalog: Self.catalog).submit(directory: folder.path)
        guard case let .stored(receipt) = uploaded, case let .stored(expected) = fromFolder else {
            Issue.record("not stored: \(uploaded) / \(fromFolder)")
            return
        }
        #expect(summary(receipt) == summary(expected))
        #expect(receipt.records[1].findings.contains { $0.rule == "record.vin" })

        // Every part is now a blob with the same bytes, moved rather than copied.
        for photo in upload.photos.values {
            #expect(!FileManager.default.fileExists(atPath: photo.path), "part \(photo.path) was moved into the store")
            #expect(viaUpload.store.blobs.read(photo.sha256).map { PhotoAnalysisSHA.of([UInt8]($0)) } == photo.sha256)
        }
        #expect(try viaUpload.store.integrityProblems().isEmpty)
        // The content hash agrees with the directory's: the same batch from the folder is already stored.
        let again = try await Submitter(store: viaUpload.store, catalog: Self.catalog).submit(directory: folder.path)
        #expect(again == .alreadyStored(receipt))
    }

    @Test func photosAnalysedAsTheyArrivedAreNotAnalysedAgain() async throws {
        let records = [TestBatches.record("E1")]
        let folder = try TestPhotos.temporaryFolder()
        let area = try TestPhotos.temporaryFolder("via-upload-area")
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: area) }
        try TestBatches.write(records, into: folder)
        var upload = try upload(from: folder, area: area, records: records)
        // Every part comes with its analysis, one of them saying the data is corrupt (the file itself is sound):
        // the audit must judge the facts it was given.
        let analyzer = PhotoAnalyzer()
        let corrupt = try #require(upload.photos.keys.sorted().first)
        for (key, photo) in upload.photos {
            var facts = analyzer.analyze(path: photo.path)
            if key == corrupt { facts.integrity.problems.append(PhotoProblem(.corruptData, "planted by the test")) }
            upload.photos[key]?.analysis = (facts, 1.5)
        }
        let temporary = try TemporaryStore(stations: TestBatches.registry)
        defer { temporary.remove() }
        let result = try await Submitter(store: temporary.store, catalog: Self.catalog).submit(upload: upload)
        guard case let .stored(receipt) = result else { Issue.record("\(result)"); return }
        let unreadable = receipt.records[0].findings.filter { $0.rule == "photo.unreadable" }
        #expect(unreadable.count == 1 && unreadable[0].message.contains("planted by the test"), "\(receipt.records[0].findings)")
        // The parts still became blobs (moved), as without early analysis.
        #expect(upload.photos.values.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) })
        #expect(upload.photos.values.filter { temporary.store.blobs.contains($0.sha256) }.count >= upload.photos.count - 1)
    }

    @Test func pathsMatchAsInADirectoryAndAMissingPartIsAMissingFile() throws {
        #expect(UploadedBatch.key(for: "./photos//A1/./0111.jpg") == "photos/A1/0111.jpg")
        let manifest = try JSONCoding.encoder().encode(JSONValue.object([
            "format": "via-batch/1", "station": .string(ExampleWorld.stationCode), "batch_id": "b1",
            "records": [TestBatches.record("P1")],
        ]))
        let record = TestBatches.record("P1")
        let files = (record["photos"]?.arrayValue ?? []).compactMap { $0["file"]?.stringValue }
        #expect(files.count >= 3)
        var photos: [String: UploadedPhoto] = [:]
        // The first photo uploaded under an equivalent spelling, the second empty, the rest missing.
        photos[UploadedBatch.key(for: "./" + files[0])] = UploadedPhoto(path: "/area/part-0", byteCount: 10, sha256: "aa")
        photos[UploadedBatch.key(for: files[1])] = UploadedPhoto(path: "/area/part-1", byteCount: 0, sha256: "e3")
        let loaded = try UploadedBatch(manifest: manifest, photos: photos, absentRoot: "/area/absent")
            .load(registry: TestBatches.registry, maxBytes: 1000)
        #expect(loaded.photoPaths[0][0] == "/area/part-0")
        #expect(loaded.photoPaths[0][1] == "/area/part-1")
        #expect(loaded.photoPaths[0][2] == "/area/absent/" + UploadedBatch.key(for: files[2]))
        #expect(loaded.knownSHA256 == ["/area/part-0": "aa"], "an empty file's hash is left to the analysis, as from a directory")
        #expect(loaded.ownsFiles)
    }

    @Test func anUploadWhosePartsCannotBeMovedIsCopiedIntoTheStore() async throws {
        // /dev/shm is another filesystem than the temporary folder on Linux: rename fails with EXDEV.
        let shm = URL(fileURLWithPath: "/dev/shm")
        let areaRoot = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        let area = areaRoot.appendingPathComponent("via-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: area, withIntermediateDirectories: true)
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: area) }
        let records = [TestBatches.record("C1")]
        try TestBatches.write(records, into: folder)
        let upload = try upload(from: folder, area: area, records: records)
        let temporary = try TemporaryStore(stations: TestBatches.registry)
        defer { temporary.remove() }
        let result = try await Submitter(store: temporary.store, catalog: Self.catalog).submit(upload: upload)
        guard case .stored = result else { Issue.record("\(result)"); return }
        for photo in upload.photos.values {
            #expect(temporary.store.blobs.read(photo.sha256).map { PhotoAnalysisSHA.of([UInt8]($0)) } == photo.sha256)
            if areaRoot == shm {
                #expect(FileManager.default.fileExists(atPath: photo.path), "copied, so the part is still there for the caller to remove")
            }
        }
        #expect(try temporary.store.integrityProblems().isEmpty)
    }
}
