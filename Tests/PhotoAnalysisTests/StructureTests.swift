import Foundation
import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// Marker walk details and concurrent analysis.
@Suite struct StructureTests {
    @Test func progressiveFileIsRecognised() throws {
        let facts = PhotoAnalyzer().analyze(bytes: TestPhotos.jpeg(progressive: true), name: "p.jpg")
        let jpeg = try #require(facts.jpeg)
        #expect(jpeg.progressive && jpeg.process == "progressive")
        #expect(jpeg.scans > 1)
        #expect(facts.isSound)
    }

    @Test func restartIntervalAndFullChroma() throws {
        let pixels = SyntheticScene.render(SceneSpec(width: 64, height: 48, seed: 2))
        let bytes = try JPEGEncoder.encode(pixels: pixels, width: 64, height: 48, components: 3,
                                           options: EncodeOptions(writeJFIF: true, chromaSubsampling: false, restartInterval: 4))
        let facts = PhotoAnalyzer().analyze(bytes: bytes, name: "r.jpg")
        let jpeg = try #require(facts.jpeg)
        #expect(jpeg.restartInterval == 4)
        #expect(jpeg.sampling == ["1x1", "1x1", "1x1"])
        #expect(jpeg.segments.first?.marker == "APP0" && jpeg.segments.first?.identifier == "JFIF")
        #expect(facts.isSound)
    }

    @Test func greyscaleEncodeAndDecode() throws {
        let bytes = try JPEGEncoder.encode(pixels: [UInt8](repeating: 90, count: 32 * 16), width: 32, height: 16, components: 1)
        let facts = PhotoAnalyzer().analyze(bytes: bytes, name: "g.jpg")
        #expect(facts.jpeg?.components == 1)
        #expect(facts.figures?.meanLuminance == 90)
    }

    @Test func segmentsAreListedInOrder() throws {
        let bytes = TestPhotos.jpeg(xmp: XMPFields(creatorTool: "x"))
        let segments = try #require(PhotoAnalyzer().analyze(bytes: bytes, name: "s").jpeg?.segments)
        #expect(segments.map(\.marker).prefix(2) == ["APP1", "APP1"])
        #expect(segments[0].identifier == "Exif")
        #expect(segments[1].identifier == "http://ns.adobe.com/xap/1.0/")
        #expect(segments.contains { $0.marker == "SOF0" } && segments.last?.marker == "SOS")
    }

    @Test func concurrentAnalysisKeepsInputOrder() async throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for index in 0..<12 {
            let url = folder.appendingPathComponent("p\(index).jpg")
            // alternate large and tiny files so that completion order differs from input order
            let bytes = index % 2 == 0 ? TestPhotos.jpeg(seed: UInt64(index), width: 640, height: 480) : [0xFF]
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        let results = await PhotoAnalyzer().analyze(paths: paths, concurrency: 4)
        #expect(results.map(\.file) == paths)
        #expect(results.enumerated().allSatisfy { $0.offset % 2 == 0 ? $0.element.isSound : !$0.element.isSound })
    }

    @Test func jsonUsesSnakeCaseKeys() throws {
        let facts = PhotoAnalyzer().analyze(bytes: TestPhotos.jpeg(), name: "j.jpg")
        let json = try JSONCoding.string(facts)
        for key in ["\"byte_count\"", "\"date_time_original\"", "\"perceptual_hash\"", "\"mean_luminance\"",
                    "\"bytes_after_eoi\"", "\"body_serial_number\"", "\"sub_sec_time_original\""] {
            #expect(json.contains(key), "missing \(key)")
        }
        let decoded = try JSONCoding.decoder().decode(PhotoFacts.self, from: Data(json.utf8))
        #expect(decoded == facts)
    }
}
