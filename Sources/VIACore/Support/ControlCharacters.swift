extension StringProtocol {
    /// The first control character (Unicode category Cc: C0, DEL, C1) in the text, as "U+0000", or nil. No identifier
    /// or record field may hold one: SQLite's C API cuts text at a NUL, so "A\u{0}B" would be stored as "A".
    public var firstControlCharacter: String? {
        guard let scalar = unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
    }
}
