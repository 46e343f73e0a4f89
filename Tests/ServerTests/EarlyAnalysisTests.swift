import Audit
import Foundation
import PhotoAnalysis
@testable import Server
import Testing
import VIACore
import VIATesting

/// Photos analysed as their parts arrive: only those the manifest names, once it has been read.
@Suite struct EarlyAnalysisTests {
    static func photo(in folder: URL, _ name: String, seed: UInt64) throws -> UploadedPhoto {
        let bytes = TestPhotos.jpeg(seed: seed, width: 320, height: 240)
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return UploadedPhoto(path: path, byteCount: bytes.count, sha256: try #require(PhotoAnalysisSHA.of(bytes)))
    }

    // The limit catches a hang, not slowness: in the whole suite on two cores, tests that run the via binary hold the
    // cooperative threads for minutes, and this test's clock runs while it waits for one (it once hit a 1-minute limit).
    @Test(.timeLimit(.minutes(10))) func partsTheManifestDoesNotNameAreNotAnalysed() async throws {
        let folder = try TestPhotos.temporaryFolder("early")
        defer { try? FileManager.default.removeItem(at: folder) }
        let gate = AuditGate(width: 1, maxWaiting: 100) // as the server's photo gate: room for every part
        let early = EarlyAnalysis(analyzer: PhotoAnalyzer(), gate: gate)
        let before = try Self.photo(in: folder, "before.jpg", seed: 1)
        let stray = try Self.photo(in: folder, "stray.jpg", seed: 2)
        let named = try Self.photo(in: folder, "named.jpg", seed: 3) // the part file; "p/named.jpg" in the batch
        let late = try Self.photo(in: folder, "late.jpg", seed: 4)

        #expect(await gate.enter()) // hold the only slot: parts received so far wait
        early.start(key: "before.jpg", photo: before)
        early.start(key: "stray.jpg", photo: stray)
        while await gate.waiting < 2 { try await Task.sleep(for: .milliseconds(1)) }
        // The manifest arrives after two parts: it names "before.jpg" and "p/named.jpg" only.
        early.limit(to: ["before.jpg", "p/named.jpg"])
        await gate.leave()
        early.start(key: "p/named.jpg", photo: named)
        early.start(key: "late.jpg", photo: late)

        let result = await early.finish(["before.jpg": before, "stray.jpg": stray, "p/named.jpg": named, "late.jpg": late])
        #expect(result["before.jpg"]?.analysis?.facts.sha256 == before.sha256)
        #expect(result["p/named.jpg"]?.analysis?.facts.isSound == true)
        #expect(result["stray.jpg"]?.analysis == nil, "waiting when the manifest came: cancelled")
        #expect(result["late.jpg"]?.analysis == nil, "arrived after the manifest, not named: never started")
        #expect(await gate.waiting == 0)
    }
}
