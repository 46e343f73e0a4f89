import Foundation
import VIACore

/// Our own EXIF reader: TIFF header, IFD0, the Exif and GPS sub-IFDs and IFD1 (thumbnail).
///
/// It never trusts an offset or a count: values outside the segment, IFD loops, absurd entry counts and unknown
/// byte orders become `problems` on the result, and whatever could still be read is kept.
public enum ExifParser {
    /// Entries per IFD beyond which the directory is treated as damaged (real cameras write well under 100).
    static let maxEntries = 1000
    static let maxIFDs = 16

    enum Tag {
        static let make: UInt16 = 0x010F, model: UInt16 = 0x0110, orientation: UInt16 = 0x0112
        static let software: UInt16 = 0x0131, dateTime: UInt16 = 0x0132
        static let exifIFD: UInt16 = 0x8769, gpsIFD: UInt16 = 0x8825
        static let thumbnailOffset: UInt16 = 0x0201, thumbnailLength: UInt16 = 0x0202
        static let exposureTime: UInt16 = 0x829A, fNumber: UInt16 = 0x829D, iso: UInt16 = 0x8827
        static let dateTimeOriginal: UInt16 = 0x9003, dateTimeDigitized: UInt16 = 0x9004
        static let offsetTimeOriginal: UInt16 = 0x9011, subSecTimeOriginal: UInt16 = 0x9291
        static let bodySerialNumber: UInt16 = 0xA431
        static let gpsLatitudeRef: UInt16 = 1, gpsLatitude: UInt16 = 2, gpsLongitudeRef: UInt16 = 3
        static let gpsLongitude: UInt16 = 4, gpsAltitudeRef: UInt16 = 5, gpsAltitude: UInt16 = 6
        static let gpsTimeStamp: UInt16 = 7, gpsDateStamp: UInt16 = 0x1D
    }

    public static func parse(_ tiff: [UInt8]) -> ExifFacts {
        tiff.withUnsafeBytes { parse($0) }
    }

    /// Parses the TIFF body of an APP1 Exif segment (the bytes after "Exif\0\0").
    public static func parse(_ tiff: UnsafeRawBufferPointer) -> ExifFacts {
        guard tiff.count >= 8 else {
            return ExifFacts(byteOrder: "", problems: ["EXIF segment is \(tiff.count) bytes, too short for a TIFF header"])
        }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default:
            return ExifFacts(byteOrder: "", problems: [String(
                format: "EXIF segment has no TIFF byte-order mark (found 0x%02X%02X)", tiff[0], tiff[1])])
        }
        var parser = Parser(reader: TIFFReader(bytes: tiff, littleEndian: littleEndian))
        return parser.run()
    }

    struct Parser {
        let reader: TIFFReader
        var facts: ExifFacts
        var visited: Set<Int> = []

        init(reader: TIFFReader) {
            self.reader = reader
            self.facts = ExifFacts(byteOrder: reader.littleEndian ? "II" : "MM")
        }

        mutating func problem(_ text: String) {
            if facts.problems.count < 20 { facts.problems.append(text) }
        }

        mutating func run() -> ExifFacts {
            if reader.u16(2) != 42 {
                problem("TIFF header magic is \(reader.u16(2).map(String.init) ?? "missing"), expected 42")
                return facts
            }
            let ifd0Offset = Int(reader.u32(4) ?? 0)
            guard let (ifd0, next) = readIFD(at: ifd0Offset, name: "IFD0") else { return facts }

            facts.make = ascii(ifd0[Tag.make])
            facts.model = ascii(ifd0[Tag.model])
            facts.software = ascii(ifd0[Tag.software])
            facts.dateTime = ascii(ifd0[Tag.dateTime])
            facts.orientation = unsigned(ifd0[Tag.orientation]).map(Int.init)

            if let pointer = ifd0[Tag.exifIFD] {
                if let offset = unsigned(pointer), let (exif, _) = readIFD(at: Int(offset), name: "Exif IFD") {
                    readExif(exif)
                } else if unsigned(pointer) == nil {
                    problem("Exif IFD pointer has an unreadable value")
                }
            }
            if let pointer = ifd0[Tag.gpsIFD] {
                if let offset = unsigned(pointer), let (gps, _) = readIFD(at: Int(offset), name: "GPS IFD") {
                    readGPS(gps)
                } else if unsigned(pointer) == nil {
                    problem("GPS IFD pointer has an unreadable value")
                }
            }
            if next != 0, let (ifd1, next1) = readIFD(at: next, name: "IFD1") {
                readThumbnail(ifd1)
                // Follow any further chain only to detect loops and damage; nothing else is read from it.
                var link = next1
                var depth = 2
                while link != 0 && depth < maxIFDs {
                    guard let (_, following) = readIFD(at: link, name: "IFD\(depth)") else { break }
                    link = following
                    depth += 1
                }
            }
            return facts
        }

        /// Reads one IFD; nil (with a problem recorded) when it lies outside the segment or was seen before.
        mutating func readIFD(at offset: Int, name: String) -> ([UInt16: IFDEntry], Int)? {
            if visited.contains(offset) {
                problem("IFD loop: \(name) points back to offset \(offset), which was already read")
                return nil
            }
            guard offset >= 8, let entryCount = reader.u16(offset) else {
                problem("\(name) offset \(offset) lies outside the \(reader.count)-byte EXIF segment")
                return nil
            }
            visited.insert(offset)
            let count = Int(entryCount)
            if count > maxEntries {
                problem("\(name) at offset \(offset) claims \(count) entries (more than \(maxEntries))")
                return nil
            }
            let tableEnd = offset + 2 + count * 12
            if tableEnd > reader.count {
                problem("\(name) at offset \(offset) has \(count) entries, running past the end of the \(reader.count)-byte EXIF segment")
            }
            var entries: [UInt16: IFDEntry] = [:]
            entries.reserveCapacity(min(count, 64))
            for index in 0..<count {
                let at = offset + 2 + index * 12
                guard let tag = reader.u16(at), let type = reader.u16(at + 2), let rawCount = reader.u32(at + 4) else { break }
                let unit = IFDEntry.unitSize(type)
                guard unit > 0 else { continue } // unknown type: skip, as readers must
                let (size, overflow) = Int(rawCount).multipliedReportingOverflow(by: unit)
                guard !overflow else {
                    problem("\(name) tag \(hex4(tag)) claims an absurd count \(rawCount)")
                    continue
                }
                let valueOffset: Int
                if size <= 4 {
                    valueOffset = at + 8
                } else {
                    guard let pointer = reader.u32(at + 8) else { continue }
                    valueOffset = Int(pointer)
                }
                if valueOffset + size > reader.count || (size > 4 && valueOffset < 8) {
                    problem("\(name) tag \(hex4(tag)): \(size) bytes at offset \(valueOffset) lie outside the \(reader.count)-byte EXIF segment")
                    continue
                }
                entries[tag] = IFDEntry(tag: tag, type: type, count: Int(rawCount), valueOffset: valueOffset, byteSize: size)
            }
            let next = tableEnd <= reader.count - 4 ? Int(reader.u32(tableEnd) ?? 0) : 0
            return (entries, next)
        }

        mutating func readExif(_ exif: [UInt16: IFDEntry]) {
            facts.dateTimeOriginal = ascii(exif[Tag.dateTimeOriginal])
            facts.dateTimeDigitized = ascii(exif[Tag.dateTimeDigitized])
            facts.subSecTimeOriginal = ascii(exif[Tag.subSecTimeOriginal])
            facts.offsetTimeOriginal = ascii(exif[Tag.offsetTimeOriginal])
            facts.bodySerialNumber = ascii(exif[Tag.bodySerialNumber])
            facts.exposureTime = rational(exif[Tag.exposureTime], index: 0)
            facts.fNumber = rational(exif[Tag.fNumber], index: 0)
            facts.iso = unsigned(exif[Tag.iso]).map(Int.init)
        }

        mutating func readGPS(_ gps: [UInt16: IFDEntry]) {
            var result = GPSFacts()
            if let latitude = degrees(gps[Tag.gpsLatitude], name: "GPSLatitude") {
                result.latitude = ascii(gps[Tag.gpsLatitudeRef])?.uppercased() == "S" ? -latitude : latitude
            }
            if let longitude = degrees(gps[Tag.gpsLongitude], name: "GPSLongitude") {
                result.longitude = ascii(gps[Tag.gpsLongitudeRef])?.uppercased() == "W" ? -longitude : longitude
            }
            if let altitude = rational(gps[Tag.gpsAltitude], index: 0) {
                let below = gps[Tag.gpsAltitudeRef].flatMap { reader.u8($0.valueOffset) } == 1
                result.altitude = below ? -altitude : altitude
            }
            result.dateStamp = ascii(gps[Tag.gpsDateStamp])
            if let entry = gps[Tag.gpsTimeStamp], entry.count >= 3,
               let h = rational(entry, index: 0), let m = rational(entry, index: 1), let s = rational(entry, index: 2) {
                result.timeStamp = Self.formatTime(hours: h, minutes: m, seconds: s)
            }
            if result != GPSFacts() { facts.gps = result }
        }

        mutating func readThumbnail(_ ifd1: [UInt16: IFDEntry]) {
            guard let offset = unsigned(ifd1[Tag.thumbnailOffset]), let length = unsigned(ifd1[Tag.thumbnailLength]) else { return }
            let start = Int(offset), size = Int(length)
            if start + size > reader.count {
                problem("IFD1 thumbnail (\(size) bytes at offset \(start)) runs past the end of the \(reader.count)-byte EXIF segment")
            }
            facts.thumbnail = .init(offset: start, length: size)
        }

        /// Degrees from three rationals (degrees, minutes, seconds); nil with a problem when unusable.
        mutating func degrees(_ entry: IFDEntry?, name: String) -> Double? {
            guard let entry else { return nil }
            guard entry.count >= 3, let d = rational(entry, index: 0), let m = rational(entry, index: 1),
                  let s = rational(entry, index: 2) else {
                problem("\(name) does not hold three readable rationals")
                return nil
            }
            let value = d + m / 60 + s / 3600
            guard value.isFinite else {
                problem("\(name) has a zero denominator")
                return nil
            }
            return value
        }

        func hex4(_ tag: UInt16) -> String { String(format: "0x%04X", tag) }

        static func formatTime(hours: Double, minutes: Double, seconds: Double) -> String? {
            guard hours.isFinite, minutes.isFinite, seconds.isFinite else { return nil }
            let whole = seconds.rounded(.down)
            var text = "\(Int(hours).zeroPadded(2)):\(Int(minutes).zeroPadded(2)):\(Int(whole).zeroPadded(2))"
            let fraction = seconds - whole
            if fraction > 0.0000005 {
                var digits = String(format: "%.6f", fraction).dropFirst() // ".500000"
                while digits.last == "0" { digits.removeLast() }
                text += digits
            }
            return text
        }

        func ascii(_ entry: IFDEntry?) -> String? {
            guard let entry, entry.type == 2 || entry.type == 7 || entry.type == 1,
                  let raw = reader.slice(entry.valueOffset, entry.byteSize) else { return nil }
            let end = raw.firstIndex(of: 0) ?? raw.count
            var bytes = Array(raw[0..<end])
            while let last = bytes.last, last == 0x20 { bytes.removeLast() } // padded with spaces by some cameras
            guard !bytes.isEmpty else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        func unsigned(_ entry: IFDEntry?) -> UInt32? {
            guard let entry, entry.count >= 1 else { return nil }
            switch entry.type {
            case 1, 7: return reader.u8(entry.valueOffset).map(UInt32.init)
            case 3: return reader.u16(entry.valueOffset).map(UInt32.init)
            case 4, 13: return reader.u32(entry.valueOffset)
            default: return nil
            }
        }

        func rational(_ entry: IFDEntry?, index: Int) -> Double? {
            guard let entry, index < entry.count, entry.type == 5 || entry.type == 10 else { return nil }
            let at = entry.valueOffset + index * 8
            guard let n = reader.u32(at), let d = reader.u32(at + 4) else { return nil }
            if entry.type == 10 {
                let sn = Int32(bitPattern: n), sd = Int32(bitPattern: d)
                return sd == 0 ? (sn == 0 ? nil : .infinity) : Double(sn) / Double(sd)
            }
            return d == 0 ? (n == 0 ? nil : .infinity) : Double(n) / Double(d)
        }
    }
}
