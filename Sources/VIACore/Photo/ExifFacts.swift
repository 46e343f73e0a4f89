/// EXIF fields via reads, as stored (strings verbatim, numbers converted like `exiftool -n`).
public struct ExifFacts: Codable, Sendable, Equatable {
    /// "II" (little-endian) or "MM" (big-endian).
    public var byteOrder: String
    public var dateTimeOriginal: String?
    public var subSecTimeOriginal: String?
    public var offsetTimeOriginal: String?
    /// IFD0 DateTime: when the file was last changed, by the camera or by software.
    public var dateTime: String?
    public var dateTimeDigitized: String?
    public var make: String?
    public var model: String?
    public var bodySerialNumber: String?
    public var software: String?
    public var orientation: Int?
    public var exposureTime: Double?
    public var fNumber: Double?
    public var iso: Int?
    public var gps: GPSFacts?
    public var thumbnail: Thumbnail?
    /// Structural damage found while parsing; empty for a healthy segment.
    public var problems: [String]

    public init(byteOrder: String, problems: [String] = []) {
        self.byteOrder = byteOrder
        self.problems = problems
    }

    /// The IFD1 thumbnail: offset relative to the TIFF header, and length.
    public struct Thumbnail: Codable, Sendable, Equatable {
        public var offset: Int
        public var length: Int
        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }
}

/// GPS position and time from the GPS IFD.
public struct GPSFacts: Codable, Sendable, Equatable {
    /// Degrees, negative south.
    public var latitude: Double?
    /// Degrees, negative west.
    public var longitude: Double?
    /// Metres, negative below sea level.
    public var altitude: Double?
    /// GPSDateStamp as stored ("YYYY:MM:DD").
    public var dateStamp: String?
    /// GPSTimeStamp as "HH:MM:SS" (fractional seconds kept when present).
    public var timeStamp: String?

    public init(latitude: Double? = nil, longitude: Double? = nil, altitude: Double? = nil,
                dateStamp: String? = nil, timeStamp: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.dateStamp = dateStamp
        self.timeStamp = timeStamp
    }

    public var hasPosition: Bool { latitude != nil && longitude != nil }
}

/// XMP packet facts relevant to editing.
public struct XMPFacts: Codable, Sendable, Equatable {
    public var creatorTool: String?
    public var modifyDate: String?
    /// photoshop:History is present (Photoshop records its editing steps here).
    public var photoshopHistory: Bool
    /// Software agents named in xmpMM:History events (e.g. "Adobe Photoshop 25.0 (Windows)").
    public var historySoftware: [String]
    /// Human-readable editing traces found in XMP and other segments (APP13 Photoshop resources, ...).
    public var editingTraces: [String]

    public init(creatorTool: String? = nil, modifyDate: String? = nil, photoshopHistory: Bool = false,
                historySoftware: [String] = [], editingTraces: [String] = []) {
        self.creatorTool = creatorTool
        self.modifyDate = modifyDate
        self.photoshopHistory = photoshopHistory
        self.historySoftware = historySoftware
        self.editingTraces = editingTraces
    }
}

// Members in the order `JSONCoding`'s sorted snake_case keys put them; `JSONWriterTests` compare with `JSONEncoder`.

extension ExifFacts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("body_serial_number", bodySerialNumber)
            w.key("byte_order"); w.string(byteOrder)
            w.member("date_time", dateTime)
            w.member("date_time_digitized", dateTimeDigitized)
            w.member("date_time_original", dateTimeOriginal)
            w.member("exposure_time", exposureTime)
            w.member("f_number", fNumber)
            w.member("gps", gps)
            w.member("iso", iso)
            w.member("make", make)
            w.member("model", model)
            w.member("offset_time_original", offsetTimeOriginal)
            w.member("orientation", orientation)
            w.member("problems", problems)
            w.member("software", software)
            w.member("sub_sec_time_original", subSecTimeOriginal)
            w.member("thumbnail", thumbnail)
        }
    }
}

extension ExifFacts.Thumbnail: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("length"); w.int(length)
            w.key("offset"); w.int(offset)
        }
    }
}

extension GPSFacts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("altitude", altitude)
            w.member("date_stamp", dateStamp)
            w.member("latitude", latitude)
            w.member("longitude", longitude)
            w.member("time_stamp", timeStamp)
        }
    }
}
