import Foundation
import VIACore

/// Number and duration wording shared by rule messages, and rounding for evidence.
enum Format {
    /// "60", "52.5", "0.013" — at most `digits` decimals, trailing zeros dropped.
    static func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return String(value) }
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A figure rounded for evidence.
    static func rounded(_ value: Double, digits: Int = 2) -> JSONValue {
        let scale = pow(10, Double(digits))
        return JSONValue((value * scale).rounded() / scale)
    }

    /// "2 d 3 h", "1 h 5 min", "14 min 10 s", "45 s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(abs(seconds).rounded())
        if s >= 86400 { return "\(s / 86400) d \(s % 86400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        if s >= 60 { return s % 60 == 0 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }

    /// "12.3 km" or "640 m".
    static func distance(_ metres: Double) -> String {
        metres >= 1000 ? "\(number(metres / 1000, digits: 1)) km" : "\(Int(metres.rounded())) m"
    }

    /// A value trimmed of spaces and the NUL padding EXIF strings often carry; nil when nothing is left.
    static func trimmed(_ text: String?) -> String? {
        guard let text else { return nil }
        let result = text.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{0}")))
        return result.isEmpty ? nil : result
    }
}
