import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// Perceptual hash, exposure, contrast and sharpness behave as the rules need.
@Suite struct FiguresTests {
    let analyzer = PhotoAnalyzer()

    func figures(_ bytes: [UInt8]) throws -> ImageFigures {
        try #require(analyzer.analyze(bytes: bytes, name: "x").figures)
    }

    func hash(_ bytes: [UInt8]) throws -> UInt64 { try #require(try figures(bytes).perceptualHashValue) }

    @Test func recompressionAndResizingKeepTheHashClose() throws {
        let original = try hash(TestPhotos.jpeg(seed: 11, width: 640, height: 480, quality: 92))
        let recompressed = try hash(TestPhotos.jpeg(seed: 11, width: 640, height: 480, quality: 55))
        let resized = try hash(TestPhotos.jpeg(seed: 11, width: 800, height: 600, quality: 85))
        let progressive = try hash(TestPhotos.jpeg(seed: 11, width: 640, height: 480, progressive: true))
        #expect(PerceptualHash.distance(original, recompressed) <= 6)
        #expect(PerceptualHash.distance(original, resized) <= 8)
        #expect(PerceptualHash.distance(original, progressive) <= 4)
    }

    @Test func differentScenesAreFarApart() throws {
        let hashes = try (1...24).map { try hash(TestPhotos.jpeg(seed: UInt64($0) * 101, width: 320, height: 240)) }
        var closest = 64
        for i in hashes.indices {
            for j in hashes.indices where j > i {
                closest = min(closest, PerceptualHash.distance(hashes[i], hashes[j]))
            }
        }
        #expect(closest > 12, "closest pair of distinct scenes is \(closest) bits apart")
    }

    @Test func decodeScaleKeepsTheLongSideAtLeast160Pixels() {
        #expect(PhotoAnalyzer.scaleDenominator(width: 2560, height: 1920) == 8)
        #expect(PhotoAnalyzer.scaleDenominator(width: 1280, height: 960) == 8)
        #expect(PhotoAnalyzer.scaleDenominator(width: 1024, height: 768) == 4)
        #expect(PhotoAnalyzer.scaleDenominator(width: 480, height: 640) == 4)
        #expect(PhotoAnalyzer.scaleDenominator(width: 320, height: 240) == 2)
        #expect(PhotoAnalyzer.scaleDenominator(width: 100, height: 80) == 1)
    }

    @Test func hammingDistance() {
        #expect(PerceptualHash.distance(0, 0) == 0)
        #expect(PerceptualHash.distance(0, .max) == 64)
        #expect(PerceptualHash.distance(0b1011, 0b0110) == 3)
        #expect(PerceptualHash.hex(0xAB) == "00000000000000ab")
    }

    @Test func exposureContrastAndSharpness() throws {
        let normal = try figures(TestPhotos.jpeg(seed: 3, width: 640, height: 480))
        let dark = try figures(TestPhotos.jpeg(seed: 3, width: 640, height: 480, exposure: 0.15))
        let bright = try figures(TestPhotos.jpeg(seed: 3, width: 640, height: 480, exposure: 4))
        let blurred = try figures(TestPhotos.jpeg(seed: 3, width: 640, height: 480, blurRadius: 12))
        let blank = try figures(TestPhotos.jpeg(seed: 3, width: 640, height: 480, blank: true))
        #expect(dark.meanLuminance < 40 && normal.meanLuminance > 60 && bright.meanLuminance > 200)
        #expect(blurred.sharpness < normal.sharpness / 4)
        #expect(blank.contrast < 2 && normal.contrast > 20)
        #expect(blank.sharpness < 1)
    }
}
