import Foundation

/// An unsigned TIFF rational.
public struct Rational: Sendable, Equatable {
    public var numerator: UInt32
    public var denominator: UInt32
    public init(_ numerator: UInt32, _ denominator: UInt32) {
        self.numerator = numerator
        self.denominator = denominator
    }
    public var value: Double { Double(numerator) / Double(denominator) }
}

/// GPS fields to write.
public struct GPSFields: Sendable, Equatable {
    /// Degrees, negative south.
    public var latitude: Double
    /// Degrees, negative west.
    public var longitude: Double
    /// Metres, negative below sea level.
    public var altitude: Double?
    /// "YYYY:MM:DD" (UTC).
    public var dateStamp: String?
    /// Hours, minutes, seconds (UTC).
    public var timeStamp: (hour: Int, minute: Int, second: Double)?

    public init(latitude: Double, longitude: Double, altitude: Double? = nil, dateStamp: String? = nil,
                timeStamp: (hour: Int, minute: Int, second: Double)? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.dateStamp = dateStamp
        self.timeStamp = timeStamp
    }

    public static func == (a: GPSFields, b: GPSFields) -> Bool {
        a.latitude == b.latitude && a.longitude == b.longitude && a.altitude == b.altitude && a.dateStamp == b.dateStamp
            && a.timeStamp?.hour == b.timeStamp?.hour && a.timeStamp?.minute == b.timeStamp?.minute
            && a.timeStamp?.second == b.timeStamp?.second
    }
}

/// EXIF fields to write into a synthetic photo.
public struct ExifFields: Sendable, Equatable {
    public var littleEndian: Bool = true
    public var make: String?
    public var model: String?
    public var bodySerialNumber: String?
    public var software: String?
    public var orientation: Int?
    /// IFD0 DateTime, "YYYY:MM:DD HH:MM:SS".
    public var dateTime: String?
    public var dateTimeOriginal: String?
    public var dateTimeDigitized: String?
    public var subSecTimeOriginal: String?
    /// "+08:00".
    public var offsetTimeOriginal: String?
    public var exposureTime: Rational?
    public var fNumber: Rational?
    public var iso: Int?
    public var gps: GPSFields?
    /// A JPEG thumbnail to store in IFD1.
    public var thumbnail: [UInt8]?

    public init() {}
}

/// Where the writer placed each IFD (offsets from the TIFF header), so tests can damage them precisely.
public struct TIFFLayout: Sendable, Equatable {
    public var ifd0: Int
    public var exifIFD: Int?
    public var gpsIFD: Int?
    public var ifd1: Int?
    public var thumbnail: Int?
}

/// Builds the TIFF body of an APP1 Exif segment.
public enum ExifWriter {
    /// The APP1 payload: "Exif\0\0" followed by the TIFF structure.
    public static func app1Payload(_ fields: ExifFields) -> [UInt8] {
        Array("Exif".utf8) + [0, 0] + tiff(fields).bytes
    }

    public static func tiff(_ fields: ExifFields) -> (bytes: [UInt8], layout: TIFFLayout) {
        let order = ByteOrder(little: fields.littleEndian)
        var ifd0: [Entry] = []
        var exif: [Entry] = []
        var gps: [Entry] = []
        var ifd1: [Entry] = []

        func ascii(_ tag: UInt16, _ value: String?, into list: inout [Entry]) {
            guard let value else { return }
            let bytes = Array(value.utf8) + [0]
            list.append(Entry(tag: tag, type: 2, count: UInt32(bytes.count), data: bytes))
        }
        ascii(0x010F, fields.make, into: &ifd0)
        ascii(0x0110, fields.model, into: &ifd0)
        if let orientation = fields.orientation {
            ifd0.append(Entry(tag: 0x0112, type: 3, count: 1, data: order.u16(UInt16(clamping: orientation))))
        }
        ascii(0x0131, fields.software, into: &ifd0)
        ascii(0x0132, fields.dateTime, into: &ifd0)

        if let value = fields.exposureTime { exif.append(Entry(tag: 0x829A, type: 5, count: 1, data: order.rational(value))) }
        if let value = fields.fNumber { exif.append(Entry(tag: 0x829D, type: 5, count: 1, data: order.rational(value))) }
        if let iso = fields.iso { exif.append(Entry(tag: 0x8827, type: 3, count: 1, data: order.u16(UInt16(clamping: iso)))) }
        exif.append(Entry(tag: 0x9000, type: 7, count: 4, data: Array("0232".utf8)))
        ascii(0x9003, fields.dateTimeOriginal, into: &exif)
        ascii(0x9004, fields.dateTimeDigitized, into: &exif)
        ascii(0x9011, fields.offsetTimeOriginal, into: &exif)
        ascii(0x9291, fields.subSecTimeOriginal, into: &exif)
        ascii(0xA431, fields.bodySerialNumber, into: &exif)

        if let position = fields.gps {
            gps.append(Entry(tag: 0x0000, type: 1, count: 4, data: [2, 3, 0, 0]))
            ascii(0x0001, position.latitude < 0 ? "S" : "N", into: &gps)
            gps.append(Entry(tag: 0x0002, type: 5, count: 3, data: order.degrees(abs(position.latitude))))
            ascii(0x0003, position.longitude < 0 ? "W" : "E", into: &gps)
            gps.append(Entry(tag: 0x0004, type: 5, count: 3, data: order.degrees(abs(position.longitude))))
            if let altitude = position.altitude {
                gps.append(Entry(tag: 0x0005, type: 1, count: 1, data: [altitude < 0 ? 1 : 0]))
                let metres = Rational(UInt32(min(abs(altitude) * 100, 4e9).rounded()), 100)
                gps.append(Entry(tag: 0x0006, type: 5, count: 1, data: order.rational(metres)))
            }
            if let time = position.timeStamp {
                let seconds = Rational(UInt32((time.second * 1000).rounded()), 1000)
                gps.append(Entry(tag: 0x0007, type: 5, count: 3,
                                 data: order.rational(Rational(UInt32(time.hour), 1)) + order.rational(Rational(UInt32(time.minute), 1))
                                     + order.rational(seconds)))
            }
            ascii(0x001D, position.dateStamp, into: &gps)
        }

        // Pointer entries carry placeholder values until the layout is known; sizes do not depend on them.
        let hasGPS = !gps.isEmpty
        ifd0.append(Entry(tag: 0x8769, type: 4, count: 1, data: [0, 0, 0, 0]))
        if hasGPS { ifd0.append(Entry(tag: 0x8825, type: 4, count: 1, data: [0, 0, 0, 0])) }
        if let thumbnail = fields.thumbnail {
            ifd1.append(Entry(tag: 0x0103, type: 3, count: 1, data: order.u16(6)))
            ifd1.append(Entry(tag: 0x0201, type: 4, count: 1, data: [0, 0, 0, 0]))
            ifd1.append(Entry(tag: 0x0202, type: 4, count: 1, data: order.u32(UInt32(thumbnail.count))))
        }

        let ifd0Offset = 8
        let exifOffset = ifd0Offset + size(of: ifd0)
        let gpsOffset = exifOffset + size(of: exif)
        let ifd1Offset = gpsOffset + (hasGPS ? size(of: gps) : 0)
        let thumbnailOffset = ifd1Offset + (ifd1.isEmpty ? 0 : size(of: ifd1))

        func patch(_ list: inout [Entry], _ tag: UInt16, _ value: Int) {
            if let index = list.firstIndex(where: { $0.tag == tag }) { list[index].data = order.u32(UInt32(value)) }
        }
        patch(&ifd0, 0x8769, exifOffset)
        patch(&ifd0, 0x8825, gpsOffset)
        patch(&ifd1, 0x0201, thumbnailOffset)

        var bytes: [UInt8] = fields.littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        bytes += order.u16(42) + order.u32(UInt32(ifd0Offset))
        bytes += serialize(ifd0, at: ifd0Offset, next: ifd1.isEmpty ? 0 : ifd1Offset, order: order)
        bytes += serialize(exif, at: exifOffset, next: 0, order: order)
        if hasGPS { bytes += serialize(gps, at: gpsOffset, next: 0, order: order) }
        if !ifd1.isEmpty { bytes += serialize(ifd1, at: ifd1Offset, next: 0, order: order) }
        if let thumbnail = fields.thumbnail { bytes += thumbnail }
        let layout = TIFFLayout(ifd0: ifd0Offset, exifIFD: exifOffset, gpsIFD: hasGPS ? gpsOffset : nil,
                                ifd1: ifd1.isEmpty ? nil : ifd1Offset,
                                thumbnail: fields.thumbnail == nil ? nil : thumbnailOffset)
        return (bytes, layout)
    }

    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var data: [UInt8]
    }

    static func padded(_ count: Int) -> Int { count + (count & 1) }

    static func size(of entries: [Entry]) -> Int {
        2 + 12 * entries.count + 4 + entries.reduce(0) { $0 + ($1.data.count > 4 ? padded($1.data.count) : 0) }
    }

    static func serialize(_ unsorted: [Entry], at offset: Int, next: Int, order: ByteOrder) -> [UInt8] {
        let entries = unsorted.sorted { $0.tag < $1.tag }
        var table = order.u16(UInt16(entries.count))
        var data: [UInt8] = []
        let dataStart = offset + 2 + 12 * entries.count + 4
        for entry in entries {
            table += order.u16(entry.tag) + order.u16(entry.type) + order.u32(entry.count)
            if entry.data.count <= 4 {
                table += entry.data + [UInt8](repeating: 0, count: 4 - entry.data.count)
            } else {
                table += order.u32(UInt32(dataStart + data.count))
                data += entry.data
                if data.count & 1 == 1 { data.append(0) }
            }
        }
        table += order.u32(UInt32(next))
        return table + data
    }

    struct ByteOrder {
        let little: Bool
        func u16(_ v: UInt16) -> [UInt8] { little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] {
            let bytes = [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
            return little ? bytes.reversed() : bytes
        }
        func rational(_ r: Rational) -> [UInt8] { u32(r.numerator) + u32(r.denominator) }
        func degrees(_ value: Double) -> [UInt8] {
            let d = value.rounded(.down)
            let minutes = (value - d) * 60
            let m = minutes.rounded(.down)
            let s = (minutes - m) * 60
            return rational(Rational(UInt32(d), 1)) + rational(Rational(UInt32(m), 1))
                + rational(Rational(UInt32((s * 10000).rounded()), 10000))
        }
    }
}
