import Foundation
import Testing
import VIACore

/// `JSONWriter` must write exactly what `JSONCoding.encoder(pretty: false)` writes: stored facts and receipts are
/// read back with `JSONDecoder`, and stations compare receipts byte for byte across retries.
@Suite struct JSONWriterTests {
    static func encoded<T: Encodable>(_ value: T) throws -> String {
        try JSONCoding.string(value, pretty: false)
    }

    static let awkwardStrings = ["", "plain", "a/b \"q\" \\ back", "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1b}\u{1f}\u{7f}",
                                 "京A·12345 é 😀 \u{2028}\u{2029}", "e\u{301}"]
    static let numbers: [Double] = [0, -0.0, 1, 3, -7, 0.1, 1e-5, 2.5e-7, 0.000123, 1234567.125, 1e15, 1e16, 1e17, 1e20,
                                    123456789012345680, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1.5e300, 0.1 + 0.2]

    static var fullFacts: PhotoFacts {
        var jpeg = JPEGStructure()
        jpeg.width = 1280; jpeg.height = 960; jpeg.components = 3; jpeg.precision = 8
        jpeg.sampling = ["2x2", "1x1", "1x1"]; jpeg.process = "progressive (arithmetic)"; jpeg.progressive = true
        jpeg.restartInterval = 4; jpeg.quantizationTables = 2; jpeg.huffmanTables = 4; jpeg.scans = 10
        jpeg.hasEoi = true; jpeg.eoiOffset = 123_456; jpeg.bytesAfterEoi = 7; jpeg.segmentsOmitted = 3
        jpeg.segments = [.init(marker: "APP1", offset: 2, length: 900, identifier: "Exif"), .init(marker: "DQT", offset: 904, length: 132)]
        var exif = ExifFacts(byteOrder: "MM", problems: ["IFD0 entry 3 points outside the segment"])
        exif.dateTimeOriginal = "2026:10:18 10:01:02"; exif.subSecTimeOriginal = "123"; exif.offsetTimeOriginal = "+08:00"
        exif.dateTime = "2026:10:18 10:01:03"; exif.dateTimeDigitized = "2026:10:18 10:01:02"; exif.make = "Hikvision"
        exif.model = "DS-2CD \"lane\" 3"; exif.bodySerialNumber = "SN\u{1}"; exif.software = "Adobe Photoshop 25.0 (Windows)"
        exif.orientation = 1; exif.exposureTime = 0.004; exif.fNumber = 2.8; exif.iso = 100
        exif.gps = GPSFacts(latitude: 40.8196, longitude: -111.1, altitude: -3, dateStamp: "2026:10:18", timeStamp: "02:01:02.5")
        exif.thumbnail = .init(offset: 4000, length: 6000)
        let xmp = XMPFacts(creatorTool: "GIMP 2.10", modifyDate: "2026-10-18T10:05:00+08:00", photoshopHistory: true,
                           historySoftware: ["Adobe Photoshop 25.0 (Windows)"], editingTraces: ["APP13 Photoshop 3.0", "xmp:CreatorTool"])
        let integrity = Integrity(decoded: true, decoderWarnings: 2, problems: [
            PhotoProblem(.trailingData, "7 bytes follow the EOI marker"), PhotoProblem(.corruptData, "bad Huffman code", severity: .warning)])
        let figures = ImageFigures(perceptualHash: "00ff00ff00ff00ff", meanLuminance: 127.5, contrast: 41.25, sharpness: 1e-7,
                                   scaledWidth: 160, scaledHeight: 120)
        return PhotoFacts(file: "photos/京A/0111.jpg", byteCount: 269_001, sha256: String(repeating: "ab", count: 32), jpeg: jpeg,
                          exif: exif, xmp: xmp, integrity: integrity, figures: figures)
    }

    @Test func photoFactsMatchFoundation() throws {
        let full = Self.fullFacts
        #expect(full.jsonText == (try Self.encoded(full)))
        var bare = PhotoFacts(file: "x.jpg", byteCount: 0)
        #expect(bare.jsonText == (try Self.encoded(bare)))
        bare.exif = ExifFacts(byteOrder: "II")
        bare.exif?.gps = GPSFacts()
        bare.jpeg = JPEGStructure()
        bare.xmp = XMPFacts()
        #expect(bare.jsonText == (try Self.encoded(bare)))
        for text in Self.awkwardStrings {
            var facts = full
            facts.file = text
            facts.exif?.model = text
            #expect(facts.jsonText == (try Self.encoded(facts)), "\(text.unicodeScalars.map { $0.value })")
        }
        for number in Self.numbers {
            var facts = full
            facts.figures?.sharpness = number
            facts.exif?.gps?.latitude = number
            #expect(facts.jsonText == (try Self.encoded(facts)), "\(number)")
        }
    }

    @Test func receiptsMatchFoundation() throws {
        let evidence: [String: JSONValue] = [
            "max_ms": .number(1500), "ratio": .number(0.25), "camelKey": .string("kept as sent"), "a10": .bool(true), "a9": .null,
            "B": .array([.number(1e20), .number(-0.5), .string("é")]), "_x": .object(["z": .number(3), "A": .object([:])]),
            "é": .number(2), "f": .number(1),
        ]
        let findings = [
            Finding(rule: "photo.exif_time", severity: .error, photo: "0111", message: "taken \"before\" the inspection", evidence: evidence),
            Finding(rule: "record.fields", severity: .warning, field: "plate", message: "missing"),
            Finding(rule: "photo.sharpness", severity: .info, message: "ok"),
        ]
        let receipt = Receipt(batchId: "b/1 京", station: "150602001", records: [
            RecordResult(inspectionId: "1506020012026000001", status: .flagged, sampled: false,
                         ruleset: RuleSetReference(id: "small-car", sha256: String(repeating: "0", count: 64)), findings: findings, checkMs: 3.25),
            RecordResult(inspectionId: "2", status: .passed, sampled: true, ruleset: nil, findings: [], checkMs: 12),
        ])
        #expect(receipt.jsonText == (try Self.encoded(receipt)))
        #expect(Receipt(batchId: "", station: "", records: []).jsonText == (try Self.encoded(Receipt(batchId: "", station: "", records: []))))
        #expect(JSONValue.object(evidence).compactText == (try Self.encoded(JSONValue.object(evidence))))
        for number in Self.numbers + [-1e15 + 1, 1e15 - 1, 71, -71.5] {
            #expect(JSONValue.number(number).compactText == (try Self.encoded(JSONValue.number(number))), "\(number)")
        }
    }

    @Test func nonFiniteNumbersFailAsFoundationThrows() {
        var facts = Self.fullFacts
        facts.figures?.contrast = .nan
        #expect(facts.jsonText == nil)
        #expect((try? Self.encoded(facts)) == nil)
        #expect(JSONValue.array([.number(.infinity)]).compactText == "null")
        var writer = JSONWriter()
        writer.number(-.infinity)
        #expect(writer.failed && writer.text == nil)
    }

    @Test func decodesBackToTheSameValue() throws {
        let facts = Self.fullFacts
        let decoded = try JSONCoding.decoder().decode(PhotoFacts.self, from: Data(try #require(facts.jsonBytes)))
        #expect(decoded == facts)
    }
}
