/// Finds where JSON text first goes wrong, for messages that name a line and column (Foundation's decoder only
/// says that the data is invalid). A small recursive-descent scanner with a nesting limit.
public enum JSONSyntaxCheck {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    static let maxDepth = 512

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count,
                  String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil else { return index }
            index += length
        }
        return nil
    }

    /// The first syntax error, or nil when the text is valid JSON.
    public static func firstProblem(_ bytes: [UInt8]) -> Problem? {
        var scanner = Scanner(bytes: bytes)
        if let bad = firstInvalidUTF8(bytes) {
            scanner.position = bad
            return scanner.error("invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))")
        }
        do throws(Problem) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.position < bytes.count { throw scanner.error("unexpected \(scanner.describeCurrent()) after the end of the document") }
            return nil
        } catch {
            return error
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        func error(_ message: String) -> Problem {
            var line = 1, column = 1
            for byte in bytes.prefix(position) {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return Problem(line: line, column: column, message: message)
        }

        func describeCurrent() -> String {
            guard position < bytes.count else { return "end of file" }
            let byte = bytes[position]
            if byte >= 0x20 && byte < 0x7F { return "character '\(Character(UnicodeScalar(byte)))'" }
            return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ literal: String) throws(Problem) {
            for byte in literal.utf8 {
                guard position < bytes.count, bytes[position] == byte else { throw error("expected \(literal), found \(describeCurrent())") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(Problem) {
            guard depth < JSONSyntaxCheck.maxDepth else { throw error("nesting deeper than \(JSONSyntaxCheck.maxDepth) levels") }
            guard position < bytes.count else { throw error("unexpected end of file, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw error("expected a quoted key, found \(describeCurrent())")
                    }
                    try string()
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':', found \(describeCurrent())") }
                    position += 1
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard position < bytes.count else { throw error("unexpected end of file, expected ',' or '}'") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return }
                    throw error("expected ',' or '}', found \(describeCurrent())")
                }
            case UInt8(ascii: "["):
                position += 1
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard position < bytes.count else { throw error("unexpected end of file, expected ',' or ']'") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return }
                    throw error("expected ',' or ']', found \(describeCurrent())")
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"): try expect("true")
            case UInt8(ascii: "f"): try expect("false")
            case UInt8(ascii: "n"): try expect("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            default:
                throw error("unexpected \(describeCurrent()), expected a value")
            }
        }

        mutating func string() throws(Problem) {
            position += 1
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { position += 1; return }
                if byte == UInt8(ascii: "\\") {
                    position += 2
                    continue
                }
                if byte < 0x20 { throw error("control character inside a string") }
                position += 1
            }
            throw error("unterminated string")
        }

        mutating func number() throws(Problem) {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            var digits = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1; digits += 1 }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            }
            if digits == 0 { position = start; throw error("malformed number") }
        }
    }
}
