import Foundation
import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// Every problem class, each built from a good file.
@Suite struct IntegrityTests {
    static let good = TestPhotos.jpeg(seed: 7, width: 640, height: 480)
    let analyzer = PhotoAnalyzer()

    func kinds(_ bytes: [UInt8], analyzer: PhotoAnalyzer = PhotoAnalyzer()) -> [PhotoProblem.Kind] {
        analyzer.analyze(bytes: bytes, name: "test.jpg").integrity.problems.map(\.kind)
    }

    @Test func goodPhotoIsSoundWithEveryFigure() throws {
        let facts = analyzer.analyze(bytes: Self.good, name: "good.jpg")
        #expect(facts.isSound)
        #expect(facts.integrity.problems.isEmpty)
        #expect(facts.integrity.decoded)
        #expect(facts.integrity.decoderWarnings == 0)
        let jpeg = try #require(facts.jpeg)
        #expect(jpeg.width == 640 && jpeg.height == 480 && jpeg.components == 3)
        #expect(jpeg.sampling == ["2x2", "1x1", "1x1"])
        #expect(jpeg.process == "baseline" && !jpeg.progressive && jpeg.scans == 1)
        #expect(jpeg.hasEoi && jpeg.bytesAfterEoi == 0)
        #expect(jpeg.quantizationTables == 2 && jpeg.huffmanTables == 4)
        #expect(facts.sha256?.count == 64)
        let figures = try #require(facts.figures)
        #expect(figures.scaledWidth == 160 && figures.scaledHeight == 120, "640x480 decodes at 1/4")
        #expect(figures.perceptualHash.count == 16)
    }

    @Test(arguments: [0.5, 0.9])
    func truncatedFiles(fraction: Double) {
        let facts = analyzer.analyze(bytes: TestPhotos.truncated(Self.good, at: fraction), name: "cut.jpg")
        #expect(!facts.isSound)
        #expect(facts.integrity.problems.map(\.kind) == [.truncated])
    }

    @Test func truncatedThenEOIReappended() {
        let bytes = TestPhotos.truncated(Self.good, at: 0.6) + [0xFF, 0xD9]
        let facts = analyzer.analyze(bytes: bytes, name: "cut-eoi.jpg")
        #expect(!facts.isSound)
        // The marker walk finds an EOI, but libjpeg runs into it before the image is complete.
        #expect(facts.integrity.problems.map(\.kind) == [.truncated])
        #expect(facts.integrity.problems[0].message.contains("premature end"))
        #expect(facts.integrity.decoderWarnings > 0)
    }

    @Test func missingEOI() {
        let bytes = Array(Self.good.dropLast(2))
        #expect(kinds(bytes) == [.truncated])
    }

    /// Not every flipped bit is detectable: a flip in a coefficient's magnitude bits just changes a value, and a
    /// baseline Huffman stream often resynchronises. With careful Huffman decoding, whatever `djpeg` notices via
    /// notices too (djpeg's own fast path, used whenever its 4 KB buffer is full enough, decodes invalid codes
    /// silently, so it sometimes sees less). The default fast mode must still catch most of it.
    @Test(arguments: [1, 3, 20])
    func bitFlipsInsideTheScanAreSeenAtLeastAsDjpegSeesThem(flips: Int) throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var viaDetected = 0, djpegDetected = 0, fastDetected = 0
        let careful = PhotoAnalyzer(limits: AnalysisLimits(carefulHuffman: true))
        for seed in UInt64(1)...12 {
            let bytes = TestPhotos.flippingBits(Self.good, count: flips, seed: seed)
            let facts = careful.analyze(bytes: bytes, name: "flip.jpg")
            if !analyzer.analyze(bytes: bytes, name: "flip.jpg").isSound { fastDetected += 1 }
            let file = folder.appendingPathComponent("flip-\(seed).jpg")
            try Data(bytes).write(to: file)
            let djpegWarns = try ExternalTools.djpegComplains(file.path)
            if djpegWarns { #expect(!facts.isSound, "seed \(seed), \(flips) flips: djpeg warns, via says sound") }
            #expect(facts.integrity.problems.allSatisfy { $0.severity == .error }, "\(facts.integrity.problems)")
            if !facts.isSound { viaDetected += 1 }
            if djpegWarns { djpegDetected += 1 }
        }
        #expect(viaDetected >= djpegDetected)
        #expect(fastDetected <= viaDetected)
        if flips == 20 {
            #expect(viaDetected >= 9, "twenty flips almost always desynchronise the decoder")
            #expect(fastDetected >= 8)
        }
    }

    @Test func carefulDecodingReportsInvalidHuffmanCodesTheFastPathSwallows() {
        // Some damage leaves the stream synchronised but hits an invalid code, which libjpeg-turbo's fast path
        // (all data in memory) decodes as zero without a word. Among a few hundred damaged files there are such.
        var swallowed = 0
        for seed in UInt64(1)...300 {
            let bytes = TestPhotos.flippingBits(Self.good, count: 3, seed: seed)
            let strict = JPEGDecoder.decode(bytes, options: DecodeOptions(keepPixels: false, strictHuffman: true))
            let fast = JPEGDecoder.decode(bytes, options: DecodeOptions(keepPixels: false))
            #expect(strict.warnings >= fast.warnings || !fast.isClean, "seed \(seed): careful saw less than fast")
            if fast.isClean && !strict.isClean {
                #expect(strict.message.contains("Huffman"), "\(strict.message)")
                swallowed += 1
            }
        }
        #expect(swallowed > 0, "no case where only careful decoding noticed; if libjpeg-turbo changed, drop the chunked source")
    }

    @Test func fourKilobytesZeroedMidScan() {
        let facts = analyzer.analyze(bytes: TestPhotos.zeroingMidScan(Self.good), name: "zeroed.jpg")
        #expect(!facts.isSound)
        #expect(facts.integrity.problems.count == 1)
        #expect([.corruptData, .truncated].contains(facts.integrity.problems[0].kind))
    }

    @Test func zeroLengthFile() {
        let facts = analyzer.analyze(bytes: [], name: "empty.jpg")
        #expect(facts.integrity.problems.map(\.kind) == [.empty])
        #expect(facts.sha256 == nil)
    }

    @Test func pngNamedJPG() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        let facts = analyzer.analyze(bytes: png, name: "photo.jpg")
        #expect(facts.integrity.problems.map(\.kind) == [.notJPEG])
        #expect(facts.integrity.problems[0].message.contains("PNG"))
        #expect(facts.jpeg == nil)
    }

    @Test func headersOnly() {
        let facts = analyzer.analyze(bytes: TestPhotos.headersOnly(Self.good), name: "headers.jpg")
        #expect(facts.integrity.problems.map(\.kind) == [.truncated])
        #expect(facts.exif?.make == "Hikvision", "metadata before the cut is still read")
    }

    @Test func frameClaiming65535Squared() {
        let bytes = TestPhotos.withFrameSize(Self.good, width: 65535, height: 65535)
        let facts = analyzer.analyze(bytes: bytes, name: "huge.jpg")
        #expect(facts.integrity.problems.map(\.kind) == [.tooLarge])
        #expect(!facts.integrity.decoded, "nothing is decoded past the pixel limit")
        #expect(facts.jpeg?.width == 65535)
    }

    @Test func byteAndPixelLimitsAreConfigurable() {
        let small = PhotoAnalyzer(limits: AnalysisLimits(maxBytes: 1000))
        #expect(kinds(Self.good, analyzer: small) == [.tooLarge])
        let fewPixels = PhotoAnalyzer(limits: AnalysisLimits(maxPixels: 640 * 480 - 1))
        #expect(kinds(Self.good, analyzer: fewPixels) == [.tooLarge])
        #expect(kinds(Self.good, analyzer: PhotoAnalyzer(limits: AnalysisLimits(maxPixels: 640 * 480))) == [])
    }

    @Test func fiftyKilobytesOfJunkAfterEOI() {
        var random = SeededRandom(seed: 5)
        let junk = (0..<50_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let facts = analyzer.analyze(bytes: Self.good + junk, name: "junk.jpg")
        #expect(facts.isSound, "trailing data is a warning")
        #expect(facts.integrity.problems.map(\.kind) == [.trailingData])
        #expect(facts.integrity.problems[0].severity == .warning)
        #expect(facts.jpeg?.bytesAfterEoi == 50_000)
    }

    @Test(arguments: [true, false])
    func damagedExif(littleEndian: Bool) throws {
        for (name, tiff) in [("bogus IFD0", TestPhotos.tiffWithBogusIFD0(littleEndian: littleEndian)),
                             ("bogus ExifIFD", TestPhotos.tiffWithBogusExifPointer(littleEndian: littleEndian)),
                             ("IFD loop", TestPhotos.tiffWithIFDLoop(littleEndian: littleEndian))] {
            let facts = analyzer.analyze(bytes: TestPhotos.jpeg(tiff: tiff), name: "\(name).jpg")
            #expect(facts.integrity.problems.map(\.kind) == [.exifDamaged], "\(name)")
            #expect(facts.isSound, "\(name): the image itself decodes")
            let exif = try #require(facts.exif, "\(name): damaged EXIF is reported, not dropped")
            #expect(!exif.problems.isEmpty)
        }
    }

    @Test func damagedExifKeepsWhatCouldBeRead() throws {
        let exif = try #require(analyzer.analyze(bytes: TestPhotos.jpeg(tiff: TestPhotos.tiffWithBogusExifPointer()), name: "x").exif)
        #expect(exif.make == "Hikvision", "IFD0 is intact")
        #expect(exif.dateTimeOriginal == nil, "the Exif IFD is unreachable")
        #expect(exif.problems[0].contains("Exif IFD offset"))
        let loop = try #require(analyzer.analyze(bytes: TestPhotos.jpeg(tiff: TestPhotos.tiffWithIFDLoop()), name: "x").exif)
        #expect(loop.problems[0].contains("IFD loop"))
        #expect(loop.dateTimeOriginal == "2026:10:18 10:01:02")
    }

    @Test func readingFromDisk() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.jpg")
        try Data(Self.good).write(to: file)
        #expect(analyzer.analyze(path: file.path).isSound)
        let missing = analyzer.analyze(path: folder.appendingPathComponent("missing.jpg").path)
        #expect(missing.integrity.problems.map(\.kind) == [.ioError])
        #expect(analyzer.analyze(path: folder.path).integrity.problems.map(\.kind) == [.ioError])
        let limited = PhotoAnalyzer(limits: AnalysisLimits(maxBytes: 100)).analyze(path: file.path)
        #expect(limited.integrity.problems.map(\.kind) == [.tooLarge])
        #expect(limited.byteCount == Self.good.count)
    }

    @Test func noDecodeReadsMetadataOnly() {
        let facts = PhotoAnalyzer(decode: false).analyze(bytes: TestPhotos.flippingBits(Self.good, count: 20, seed: 1), name: "x")
        #expect(!facts.integrity.decoded)
        #expect(facts.figures == nil)
        #expect(facts.isSound, "without a decode, scan damage is invisible")
        #expect(facts.exif?.model == "DS-2CD2T47G2")
    }

    /// Third-party photos kept beside the project (../shared/testdata); skipped when that folder is absent.
    @Test(.enabled(if: !TestPhotos.realCameraFiles().isEmpty, "../shared/testdata/real-cameras not present"))
    func realCameraPhotosAreSound() throws {
        let files = TestPhotos.realCameraFiles()
        for file in files {
            let facts = analyzer.analyze(path: file)
            #expect(facts.isSound, "\(file): \(facts.integrity.problems)")
            #expect(facts.figures != nil)
        }
    }

    /// The facts stored for every photo are written by `JSONWriter`: for real cameras' files and for damaged ones
    /// (problems, EXIF damage, no figures) the text is Foundation's, byte for byte.
    @Test func storedFactsTextIsFoundations() throws {
        let good = Self.good
        var inputs: [(String, [UInt8])] = TestPhotos.realCameraFiles().compactMap { path in
            FileManager.default.contents(atPath: path).map { (path, [UInt8]($0)) }
        }
        inputs += [("good", good), ("cut", TestPhotos.truncated(good, at: 0.5)), ("bits", TestPhotos.flippingBits(good, count: 40, seed: 3)),
                   ("headers", TestPhotos.headersOnly(good)), ("trailing", good + [1, 2, 3]), ("text", Array("not a photo".utf8)),
                   ("exif", TestPhotos.jpeg(tiff: TestPhotos.tiffWithBogusExifPointer(littleEndian: false))), ("empty", [])]
        for (name, bytes) in inputs {
            let facts = analyzer.analyze(bytes: bytes, name: name)
            #expect(facts.jsonText == (try JSONCoding.string(facts, pretty: false)), "\(name)")
        }
    }
}
