/// Compact JSON written straight into bytes, for the values the intake writes for every upload (photo facts,
/// receipts, findings' evidence, raw records).
///
/// The text is exactly what `JSONCoding.encoder(pretty: false)` produces for the same value (sorted keys, snake_case
/// member names, unescaped slashes, whole doubles without ".0"); `JSONWriterTests` hold the two side by side. Foundation's
/// encoder goes through existentials and dynamic casts for every member, which made JSON the largest single cost of
/// storing an upload after the decode.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// A number that JSON cannot hold (NaN, ±infinity) was written: the text is not valid, as `JSONEncoder` would throw.
    public private(set) var failed = false
    private var first = true

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// The text, or nil when a number could not be written.
    public var text: String? { failed ? nil : String(decoding: bytes, as: UTF8.self) }

    /// Writes an object; `members` writes its members in sorted key order through `key(_:)`.
    public mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = first
        first = true
        members(&self)
        first = outer
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes an array of `elements`, each through `element`.
    public mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var comma = false
        for item in elements {
            if comma { bytes.append(UInt8(ascii: ",")) }
            comma = true
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Starts a member: its name (already snake_case; callers list members in sorted order).
    public mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts a member with a name from data (dictionary keys: written as they are, never case-converted).
    public mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func null() { append("null") }
    public mutating func bool(_ value: Bool) { append(value ? "true" : "false") }
    public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func int64(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// As `JSONEncoder` writes a Double: the shortest round-trip form, "3" rather than "3.0".
    public mutating func number(_ value: Double) {
        guard value.isFinite else {
            failed = true
            append("null")
            return
        }
        let text = value.description
        if text.hasSuffix(".0") {
            bytes.append(contentsOf: text.utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    append("\\u00")
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // Members that Codable's synthesised `encode(to:)` writes only when present (`encodeIfPresent`).

    public mutating func member(_ name: StaticString, _ value: String?) {
        if let value { key(name); string(value) }
    }

    public mutating func member(_ name: StaticString, _ value: Int?) {
        if let value { key(name); int(value) }
    }

    public mutating func member(_ name: StaticString, _ value: Double?) {
        if let value { key(name); number(value) }
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func member(_ name: StaticString, _ value: [String]) {
        key(name)
        array(value) { $0.string($1) }
    }

    public mutating func member<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        if let value { key(name); value.write(to: &self) }
    }

    public mutating func member<T: JSONWritable>(_ name: StaticString, _ values: [T]) {
        key(name)
        array(values) { $1.write(to: &$0) }
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

/// A value that writes itself as `JSONCoding.encoder(pretty: false)` would encode it.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// Compact JSON text; nil when a number in it is not finite (where `JSONEncoder` throws).
    public var jsonText: String? { jsonBytes.map { String(decoding: $0, as: UTF8.self) } }

    /// Compact JSON as UTF-8 bytes; nil when a number in it is not finite.
    public var jsonBytes: [UInt8]? {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.failed ? nil : writer.bytes
    }
}
