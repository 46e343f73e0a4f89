import Foundation
import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// via's EXIF reader must agree with ExifTool (`exiftool -json -n`) on every field it reads.
@Suite struct ExiftoolCrossCheckTests {
    /// Varied EXIF: both byte orders, all four hemispheres, sub-seconds, offsets, missing fields.
    static func variants() throws -> [ExifFields] {
        var list: [ExifFields] = []
        let positions: [(Double, Double, Double?)] = [(39.817, 109.977, 1052.4), (-33.856_784, 151.215_297, 58),
                                                      (40.689_247, -74.044_502, -3.5), (-22.951_916, -43.210_487, nil)]
        for (index, position) in positions.enumerated() {
            for little in [true, false] {
                var fields = ExifFields()
                fields.littleEndian = little
                fields.make = ["Hikvision", "Dahua", "Canon", "NIKON CORPORATION"][index]
                fields.model = ["DS-2CD2T47G2", "IPC-HFW5442E", "Canon EOS R6", "NIKON Z 6_2"][index]
                fields.bodySerialNumber = index == 3 ? nil : "SN-\(index)-\(little ? "II" : "MM")"
                fields.software = index == 1 ? "Adobe Photoshop 25.0 (Windows)" : nil
                fields.orientation = [1, 3, 6, 8][index]
                fields.dateTime = "2026:10:1\(index) 11:00:0\(index)"
                fields.dateTimeOriginal = "2026:10:1\(index) 10:0\(index):02"
                fields.subSecTimeOriginal = ["120", "5", "045", nil][index]
                fields.offsetTimeOriginal = ["+08:00", "+10:00", "-04:00", nil][index]
                fields.exposureTime = [Rational(1, 250), Rational(1, 60), Rational(2, 1), nil][index]
                fields.fNumber = [Rational(28, 10), nil, Rational(8, 1), Rational(56, 10)][index]
                fields.iso = [100, 400, nil, 3200][index]
                fields.gps = GPSFields(latitude: position.0, longitude: position.1, altitude: position.2,
                                       dateStamp: "2026:10:1\(index)", timeStamp: (index + 1, 30, index == 2 ? 15.25 : 59))
                if index == 2 { fields.thumbnail = try SyntheticPhoto.thumbnail(seed: 9) }
                list.append(fields)
            }
        }
        return list
    }

    @Test func syntheticPhotosAgreeWithExiftool() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, fields) in try Self.variants().enumerated() {
            let url = folder.appendingPathComponent("v\(index).jpg")
            try Data(TestPhotos.jpeg(seed: UInt64(index), width: 96, height: 64, progressive: index % 3 == 0, exif: fields)).write(to: url)
            paths.append(url.path)
        }
        let reference = try Self.exiftool(paths)
        #expect(reference.count == paths.count)
        for path in paths {
            let tool = try #require(reference[path])
            let facts = PhotoAnalyzer().analyze(path: path)
            Self.compare(facts, tool, path: path)
        }
    }

    /// Third-party photos kept beside the project (../shared/testdata); skipped when that folder is absent.
    @Test(.enabled(if: !TestPhotos.realCameraFiles().isEmpty, "../shared/testdata/real-cameras not present"))
    func realCameraPhotosAgreeWithExiftool() throws {
        let paths = TestPhotos.realCameraFiles()
        let reference = try Self.exiftool(paths)
        for path in paths {
            let tool = try #require(reference[path])
            Self.compare(PhotoAnalyzer().analyze(path: path), tool, path: path)
        }
    }

    static func exiftool(_ paths: [String]) throws -> [String: [String: Any]] {
        let result = try ExternalTools.run("exiftool", ["-json", "-n", "-G1", "-charset", "exif=utf8"] + paths)
        let list = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        var byPath: [String: [String: Any]] = [:]
        for object in list { if let source = object["SourceFile"] as? String { byPath[source] = object } }
        return byPath
    }

    /// ExifTool prints numeric-looking strings as JSON numbers; compare both as text.
    static func text(_ value: Any?) -> String? {
        switch value {
        case nil: return nil
        case let string as String: return string
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int(double)) : String(double)
        default: return "\(value!)"
        }
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) }

    static func compare(_ facts: PhotoFacts, _ tool: [String: Any], path: String) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        #expect(facts.jpeg?.width == tool["File:ImageWidth"] as? Int, "\(name) width")
        #expect(facts.jpeg?.height == tool["File:ImageHeight"] as? Int, "\(name) height")
        #expect(facts.jpeg?.components == tool["File:ColorComponents"] as? Int, "\(name) components")
        if let process = tool["File:EncodingProcess"] as? Int {
            #expect(facts.jpeg?.progressive == (process == 2 || process == 6 || process == 10 || process == 14), "\(name) process")
        }
        let exif = facts.exif
        #expect(exif?.byteOrder == tool["File:ExifByteOrder"] as? String, "\(name) byte order")
        func same(_ ours: String?, _ key: String, numericTheirs: Bool = false) {
            let theirs = text(tool[key])
            if let ours, let theirs, let a = Double(ours), let b = Double(theirs), numericTheirs {
                #expect(a == b, "\(name) \(key): via \(ours), exiftool \(theirs)")
            } else {
                #expect(ours == theirs, "\(name) \(key): via \(ours ?? "nil"), exiftool \(theirs ?? "nil")")
            }
        }
        same(exif?.make, "IFD0:Make")
        same(exif?.model, "IFD0:Model")
        same(exif?.software, "IFD0:Software")
        same(exif?.dateTime, "IFD0:ModifyDate")
        same(exif?.orientation.map(String.init), "IFD0:Orientation")
        same(exif?.dateTimeOriginal, "ExifIFD:DateTimeOriginal")
        same(exif?.dateTimeDigitized, "ExifIFD:CreateDate")
        same(exif?.subSecTimeOriginal, "ExifIFD:SubSecTimeOriginal", numericTheirs: true)
        same(exif?.offsetTimeOriginal, "ExifIFD:OffsetTimeOriginal")
        same(exif?.bodySerialNumber, "ExifIFD:SerialNumber")
        same(exif?.iso.map(String.init), "ExifIFD:ISO")
        func close(_ ours: Double?, _ key: String, tolerance: Double = 1e-9) {
            let theirs = number(tool[key])
            #expect((ours == nil) == (theirs == nil), "\(name) \(key): via \(String(describing: ours)), exiftool \(String(describing: theirs))")
            if let ours, let theirs { #expect(abs(ours - theirs) <= tolerance * max(1, abs(theirs)), "\(name) \(key): via \(ours), exiftool \(theirs)") }
        }
        close(exif?.exposureTime, "ExifIFD:ExposureTime")
        close(exif?.fNumber, "ExifIFD:FNumber")
        close(exif?.gps?.latitude, "Composite:GPSLatitude", tolerance: 1e-7)
        close(exif?.gps?.longitude, "Composite:GPSLongitude", tolerance: 1e-7)
        close(exif?.gps?.altitude, "Composite:GPSAltitude", tolerance: 1e-6)
        same(exif?.gps?.dateStamp, "GPS:GPSDateStamp")
        same(exif?.gps?.timeStamp, "GPS:GPSTimeStamp")
        same(exif?.thumbnail.map { String($0.length) }, "IFD1:ThumbnailLength")
    }
}
