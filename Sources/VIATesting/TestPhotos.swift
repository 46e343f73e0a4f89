import Foundation
import PhotoAnalysis
import VIACore

/// Photo factories and damage for tests: good camera-like JPEGs and every way they break.
public enum TestPhotos {
    /// The EXIF of a registered lane camera at a station in Ordos (UTC+8).
    public static func cameraExif(littleEndian: Bool = true, time: String = "2026:10:18 10:01:02") -> ExifFields {
        var exif = ExifFields()
        exif.littleEndian = littleEndian
        exif.make = "Hikvision"
        exif.model = "DS-2CD2T47G2"
        exif.bodySerialNumber = "DS2CD2T47G2-0101"
        exif.dateTimeOriginal = time
        exif.subSecTimeOriginal = "120"
        exif.offsetTimeOriginal = "+08:00"
        exif.orientation = 1
        exif.gps = GPSFields(latitude: 39.8170, longitude: 109.9770, altitude: 1052,
                             dateStamp: "2026:10:18", timeStamp: (2, 1, 2))
        return exif
    }

    /// A sound camera-like JPEG.
    public static func jpeg(seed: UInt64 = 1, width: Int = 320, height: Int = 240, quality: Int = 88,
                            progressive: Bool = false, exif: ExifFields? = cameraExif(), xmp: XMPFields? = nil,
                            exposure: Double = 1, blurRadius: Int = 0, blank: Bool = false) -> [UInt8] {
        let spec = PhotoSpec(
            scene: SceneSpec(width: width, height: height, seed: seed, exposure: exposure, blurRadius: blurRadius, blank: blank),
            encoding: EncodeOptions(quality: quality, progressive: progressive), exif: exif, xmp: xmp)
        // Synthesis only fails for invalid sizes, which tests never ask for.
        return try! SyntheticPhoto.make(spec)
    }

    /// A JPEG whose APP1 Exif segment holds exactly these TIFF bytes (for damaged EXIF).
    public static func jpeg(tiff: [UInt8], seed: UInt64 = 1) -> [UInt8] {
        let plain = jpeg(seed: seed, exif: nil)
        return JPEGAssembler.insert([.init(marker: 0xE1, payload: Array("Exif".utf8) + [0, 0] + tiff)], into: plain)
    }

    /// The entropy-coded bytes of the last scan: from the end of its SOS header to the EOI marker.
    public static func scanRange(_ jpeg: [UInt8]) -> Range<Int> {
        let structure = MarkerWalker.walk(jpeg).structure
        let sos = structure.segments.last { $0.marker == "SOS" }!
        return (sos.offset + 2 + sos.length)..<(structure.eoiOffset ?? jpeg.count)
    }

    public static func truncated(_ jpeg: [UInt8], at fraction: Double) -> [UInt8] {
        Array(jpeg.prefix(Int(Double(jpeg.count) * fraction)))
    }

    /// Flips `count` bits at seeded positions inside the scan.
    public static func flippingBits(_ jpeg: [UInt8], count: Int, seed: UInt64) -> [UInt8] {
        var out = jpeg
        var random = SeededRandom(seed: seed)
        let scan = scanRange(jpeg)
        for _ in 0..<count {
            let at = scan.lowerBound + Int(random.next() % UInt64(scan.count))
            out[at] ^= UInt8(1) << UInt8(random.next() % 8)
        }
        return out
    }

    /// Zeroes `length` bytes in the middle of the scan.
    public static func zeroingMidScan(_ jpeg: [UInt8], length: Int = 4096) -> [UInt8] {
        var out = jpeg
        let scan = scanRange(jpeg)
        let start = scan.lowerBound + max(0, (scan.count - length) / 2)
        for index in start..<min(start + length, scan.upperBound) { out[index] = 0 }
        return out
    }

    /// SOI and every header segment, but no scan data.
    public static func headersOnly(_ jpeg: [UInt8]) -> [UInt8] {
        let sos = MarkerWalker.walk(jpeg).structure.segments.first { $0.marker == "SOS" }!
        return Array(jpeg.prefix(sos.offset))
    }

    /// Rewrites the frame header to claim other dimensions.
    public static func withFrameSize(_ jpeg: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = jpeg
        let sof = MarkerWalker.walk(jpeg).structure.segments.first { $0.marker.hasPrefix("SOF") }!
        let at = sof.offset + 4 // marker (2) + length (2), then precision
        out[at + 1] = UInt8(height >> 8); out[at + 2] = UInt8(height & 0xFF)
        out[at + 3] = UInt8(width >> 8); out[at + 4] = UInt8(width & 0xFF)
        return out
    }

    // MARK: damaged EXIF

    static func patch32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32, little: Bool) {
        let b = [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        for i in 0..<4 { bytes[offset + i] = little ? b[i] : b[3 - i] }
    }

    static func read16(_ bytes: [UInt8], at offset: Int, little: Bool) -> Int {
        little ? Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 : Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    /// TIFF whose header points IFD0 far outside the segment.
    public static func tiffWithBogusIFD0(littleEndian: Bool = true) -> [UInt8] {
        var (bytes, _) = ExifWriter.tiff(cameraExif(littleEndian: littleEndian))
        patch32(&bytes, at: 4, 0x00FF_FF00, little: littleEndian)
        return bytes
    }

    /// TIFF whose IFD0 Exif-IFD pointer lies outside the segment.
    public static func tiffWithBogusExifPointer(littleEndian: Bool = true) -> [UInt8] {
        var (bytes, layout) = ExifWriter.tiff(cameraExif(littleEndian: littleEndian))
        let entries = read16(bytes, at: layout.ifd0, little: littleEndian)
        for index in 0..<entries {
            let at = layout.ifd0 + 2 + index * 12
            if read16(bytes, at: at, little: littleEndian) == 0x8769 {
                patch32(&bytes, at: at + 8, 0x7FFF_0000, little: littleEndian)
            }
        }
        return bytes
    }

    /// TIFF whose IFD0 links to itself as the next IFD.
    public static func tiffWithIFDLoop(littleEndian: Bool = true) -> [UInt8] {
        var (bytes, layout) = ExifWriter.tiff(cameraExif(littleEndian: littleEndian))
        let entries = read16(bytes, at: layout.ifd0, little: littleEndian)
        patch32(&bytes, at: layout.ifd0 + 2 + entries * 12, UInt32(layout.ifd0), little: littleEndian)
        return bytes
    }

    /// A writable temporary folder, removed by the caller.
    public static func temporaryFolder(_ name: String = "via-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The shared real-camera photos (../shared/testdata/real-cameras), when present.
    public static func realCameraFiles() -> [String] {
        let candidates = [
            ProcessInfo.processInfo.environment["VIA_TESTDATA"],
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/testdata").path,
        ].compactMap { $0 }
        for root in candidates {
            let url = URL(fileURLWithPath: root).appendingPathComponent("real-cameras").standardized
            guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { continue }
            let files = enumerator.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".jpg") }
            if !files.isEmpty { return files.sorted().map { url.appendingPathComponent($0).path } }
        }
        return []
    }
}
