import Foundation
import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// A seeded mutation fuzzer for the EXIF parser, the marker walker and the whole analysis.
///
/// Bounded here; `make fuzz` runs it with VIA_FUZZ_ITERATIONS set high in a release build. A crash ends the test
/// process, so reaching the end is the assertion; the bounds on what the parsers return are checked as well.
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["VIA_FUZZ_ITERATIONS"] ?? "") ?? 20000

    static let seedPhoto: [UInt8] = {
        var exif = TestPhotos.cameraExif()
        exif.thumbnail = try? SyntheticPhoto.thumbnail(seed: 4, width: 32, height: 24)
        exif.software = "Firmware 1.0"
        return TestPhotos.jpeg(seed: 3, width: 48, height: 32, progressive: true, exif: exif,
                               xmp: XMPFields(creatorTool: "Tool", historySoftware: ["A", "B"]))
    }()

    static let seedTIFF: [UInt8] = {
        var exif = TestPhotos.cameraExif(littleEndian: false)
        exif.thumbnail = [0xFF, 0xD8, 0xFF, 0xD9]
        return ExifWriter.tiff(exif).bytes
    }()

    /// Mutations that matter for binary formats: bit flips, interesting values, chunk moves, cuts.
    static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 4)) {
            guard !bytes.isEmpty else { return [UInt8(truncatingIfNeeded: random.next())] }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 8 {
            case 0: bytes[at] ^= UInt8(1) << UInt8(random.next() % 8)
            case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 2: // interesting 16/32-bit values: 0, all ones, small and huge offsets
                let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x08]
                for k in 0..<min(4, bytes.count - at) { bytes[at + k] = values[Int(random.next() % UInt64(values.count))] }
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 64) + 1))
            case 4: bytes = Array(bytes.prefix(at))
            case 5: // duplicate a chunk elsewhere
                let length = min(bytes.count - at, Int(random.next() % 128) + 1)
                let chunk = Array(bytes[at..<(at + length)])
                bytes.insert(contentsOf: chunk, at: Int(random.next() % UInt64(bytes.count)))
            case 6: bytes.insert(contentsOf: [0xFF, UInt8(0xC0 + random.next() % 64)], at: at)
            default: bytes.append(contentsOf: (0..<Int(random.next() % 32)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            }
        }
        return bytes
    }

    static func residentMegabytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024
    }

    @Test func exifParserSurvivesMutations() {
        var random = SeededRandom(seed: 0xE71F)
        for _ in 0..<Self.iterations {
            let tiff = Self.mutate(Self.seedTIFF, &random)
            let facts = ExifParser.parse(tiff)
            #expect(facts.problems.count <= 20)
            if let thumbnail = facts.thumbnail { #expect(thumbnail.length >= 0) }
        }
    }

    @Test func markerWalkerSurvivesMutations() {
        var random = SeededRandom(seed: 0x3A1C)
        for _ in 0..<Self.iterations {
            let bytes = Self.mutate(Self.seedPhoto, &random)
            let walk = MarkerWalker.walk(bytes)
            #expect(walk.structure.segments.count <= JPEGStructure.segmentLimit)
            #expect(walk.structure.bytesAfterEoi <= bytes.count)
            if let range = walk.exifPayload { #expect(range.upperBound <= bytes.count) }
            for range in walk.xmpPayloads { #expect(range.upperBound <= bytes.count && range.lowerBound <= range.upperBound) }
        }
    }

    @Test func wholeAnalysisSurvivesMutationsInBoundedMemory() {
        var random = SeededRandom(seed: 0xD3C0)
        let analyzer = PhotoAnalyzer()
        let before = Self.residentMegabytes()
        for _ in 0..<max(1, Self.iterations / 10) {
            let bytes = Self.mutate(Self.seedPhoto, &random)
            let facts = analyzer.analyze(bytes: bytes, name: "fuzz.jpg")
            #expect(facts.integrity.problems.count <= PhotoProblem.Kind.allCases.count)
        }
        #expect(Self.residentMegabytes() - before < 256, "analysis memory grew without bound")
    }
}
