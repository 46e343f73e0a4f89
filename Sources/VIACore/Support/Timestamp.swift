import Foundation

/// A point in time with the UTC offset it was written with (ISO 8601 in batches, EXIF in photos).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var date: Date
    /// Seconds east of UTC as written (or as assumed from the station's time zone).
    public var offsetSeconds: Int

    public init(date: Date, offsetSeconds: Int) {
        self.date = date
        self.offsetSeconds = offsetSeconds
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.date < b.date }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; a zone is required (a wall time without one is ambiguous).
    public static func parseISO8601(_ text: String) -> Timestamp? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 20, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
              scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "),
              scalars[13] == UInt8(ascii: ":"), scalars[16] == UInt8(ascii: ":") else { return nil }
        guard let fields = wallClock(scalars, dateSeparator: UInt8(ascii: "-")) else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < scalars.count, let digit = digit(scalars[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < scalars.count else { return nil }
        let offset: Int
        if scalars[index] == UInt8(ascii: "Z") && index == scalars.count - 1 {
            offset = 0
        } else if let parsed = parseOffset(Array(scalars[index...])) {
            offset = parsed
        } else {
            return nil
        }
        guard let seconds = epochSeconds(fields) else { return nil }
        return Timestamp(date: Date(timeIntervalSince1970: Double(seconds - offset) + fraction), offsetSeconds: offset)
    }

    /// Parses an EXIF date-time `YYYY:MM:DD HH:MM:SS` with optional sub-seconds and offset ("+08:00");
    /// without an offset, `defaultOffset` (the station's zone at that time) is assumed.
    public static func parseEXIF(_ text: String, subSeconds: String? = nil, offset: String? = nil,
                                 timeZone: TimeZone) -> Timestamp? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 19, scalars[4] == UInt8(ascii: ":"), scalars[7] == UInt8(ascii: ":"),
              scalars[13] == UInt8(ascii: ":"), scalars[16] == UInt8(ascii: ":"),
              let fields = wallClock(scalars, dateSeparator: UInt8(ascii: ":")),
              let seconds = epochSeconds(fields) else { return nil }
        var fraction = 0.0
        if let subSeconds, !subSeconds.isEmpty, subSeconds.allSatisfy(\.isNumber), let value = Double("0." + subSeconds) {
            fraction = value
        }
        let offsetSeconds: Int
        if let offset, let parsed = parseOffset(Array(offset.utf8)) {
            offsetSeconds = parsed
        } else {
            // The zone's offset at that wall time (an hour's error at DST edges is irrelevant for UTC+8 stations).
            offsetSeconds = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        }
        return Timestamp(date: Date(timeIntervalSince1970: Double(seconds - offsetSeconds) + fraction), offsetSeconds: offsetSeconds)
    }

    /// Parses a calendar date `YYYY-MM-DD` (midnight UTC).
    public static func parseDate(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count == 10, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
              let year = number(scalars, 0, 4), let month = number(scalars, 5, 2), let day = number(scalars, 8, 2),
              let seconds = epochSeconds((year, month, day, 0, 0, 0)) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// ISO 8601 with the original offset, e.g. 2026-10-18T10:01:02+08:00.
    public var description: String {
        let local = Int((date.timeIntervalSince1970).rounded(.down)) + offsetSeconds
        let (y, m, d, hh, mm, ss) = Self.civil(local)
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        return "\(y.zeroPadded(4))-\(m.zeroPadded(2))-\(d.zeroPadded(2))T\(hh.zeroPadded(2)):\(mm.zeroPadded(2)):\(ss.zeroPadded(2))"
            + sign + "\((magnitude / 3600).zeroPadded(2)):\((magnitude % 3600 / 60).zeroPadded(2))"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp.parseISO8601(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time with a zone: \(text)")
        }
        self = value
    }

    // MARK: calendar arithmetic (proleptic Gregorian, no Foundation calendars: fast and thread-safe)

    typealias Fields = (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)

    static func digit(_ byte: UInt8) -> Int? { byte >= 48 && byte <= 57 ? Int(byte - 48) : nil }

    static func number(_ s: [UInt8], _ at: Int, _ length: Int) -> Int? {
        guard at + length <= s.count else { return nil }
        var value = 0
        for index in at..<(at + length) {
            guard let d = digit(s[index]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    static func wallClock(_ s: [UInt8], dateSeparator: UInt8) -> Fields? {
        guard let year = number(s, 0, 4), let month = number(s, 5, 2), let day = number(s, 8, 2),
              let hour = number(s, 11, 2), let minute = number(s, 14, 2), let second = number(s, 17, 2) else { return nil }
        return (year, month, day, hour, minute, second)
    }

    static func parseOffset(_ s: [UInt8]) -> Int? {
        guard s.count == 6, s[0] == UInt8(ascii: "+") || s[0] == UInt8(ascii: "-"), s[3] == UInt8(ascii: ":"),
              let h = number(s, 1, 2), let m = number(s, 4, 2), h <= 14, m < 60 else { return nil }
        let value = h * 3600 + m * 60
        return s[0] == UInt8(ascii: "-") ? -value : value
    }

    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func epochSeconds(_ f: Fields) -> Int? {
        guard (1...12).contains(f.month), f.day >= 1, f.day <= daysInMonth(f.year, f.month),
              f.hour < 24, f.minute < 60, f.second < 61 else { return nil }
        return daysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second
    }

    static func civil(_ seconds: Int) -> (Int, Int, Int, Int, Int, Int) {
        let days = Int((Double(seconds) / 86400).rounded(.down))
        let rest = seconds - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }
}

extension Timestamp {
    /// "YYYY-MM-DD" of the local date at `offset` seconds east of UTC.
    public static func civilDate(_ date: Date, offset: Int) -> String {
        let (y, m, d, _, _, _) = civil(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
        return "\(y.zeroPadded(4))-\(m.zeroPadded(2))-\(d.zeroPadded(2))"
    }

    /// "YYMMDD" of the local date, as inspection serial numbers use it.
    public static func compactDate(_ date: Date, offset: Int) -> String {
        let (y, m, d, _, _, _) = civil(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
        return "\((y % 100).zeroPadded(2))\(m.zeroPadded(2))\(d.zeroPadded(2))"
    }

    /// EXIF date-time text "YYYY:MM:DD HH:MM:SS" of the local wall time.
    public static func exifText(_ date: Date, offset: Int) -> String {
        let (y, m, d, hh, mm, ss) = civil(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
        return "\(y.zeroPadded(4)):\(m.zeroPadded(2)):\(d.zeroPadded(2)) \(hh.zeroPadded(2)):\(mm.zeroPadded(2)):\(ss.zeroPadded(2))"
    }

    /// "+08:00" for 28800 seconds.
    public static func offsetText(_ seconds: Int) -> String {
        (seconds < 0 ? "-" : "+") + "\((abs(seconds) / 3600).zeroPadded(2)):\((abs(seconds) % 3600 / 60).zeroPadded(2))"
    }
}

extension Int {
    /// Decimal text at least `width` characters wide, zero-padded after any sign: `String(format: "%0*d")` without
    /// Foundation's format parser (timestamps are formatted for every record and photo an upload carries).
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(magnitude)
        let sign = self < 0 ? "-" : ""
        let padding = width - sign.count - digits.count
        return padding > 0 ? sign + String(repeating: "0", count: padding) + digits : sign + digits
    }
}
