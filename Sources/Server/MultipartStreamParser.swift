import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Why a multipart body cannot be parsed.
struct MultipartSyntaxError: Error, Equatable {
    var reason: String
}

/// A streaming `multipart/form-data` parser (RFC 2046 §5.1, RFC 7578) for uploads of large binary parts. It looks for
/// the delimiter with memchr and memcmp and hands body bytes over in the largest runs each chunk allows, so photo data
/// passes at memory speed (a byte-wise parser that stops at every CR costs a callback per ~256 bytes of JPEG).
final class MultipartStreamParser {
    /// One header line of a part, as name and value (trimmed).
    var onHeader: (String, String) -> Void = { _, _ in }
    /// A run of the current part's body.
    var onBody: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// The current part ended (its closing delimiter was read).
    var onPartComplete: () -> Void = {}
    /// The close delimiter (`--boundary--`) has been read; whatever follows is the epilogue and is ignored.
    private(set) var closed = false

    /// Longest header line accepted.
    static let maxHeaderLine = 8 << 10

    private enum State { case preamble, afterDelimiter, headers, body, epilogue }
    private var state = State.preamble
    /// "--boundary": opens the first part.
    private let dashBoundary: [UInt8]
    /// "\r\n--boundary": ends a part's body.
    private let delimiter: [UInt8]
    /// Bytes carried over to the next chunk (a possible delimiter start, an unfinished header line).
    private var pending: [UInt8] = []

    init(boundary: String) {
        dashBoundary = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    func execute(_ chunk: ByteBuffer) throws(MultipartSyntaxError) {
        guard state != .epilogue else { return }
        if pending.isEmpty {
            try chunk.withUnsafeReadableBytes { bytes throws(MultipartSyntaxError) in try consume(bytes) }
        } else {
            var data = pending
            pending = []
            chunk.withUnsafeReadableBytes { data.append(contentsOf: $0) }
            let outcome = data.withUnsafeBytes { bytes in Result { () throws(MultipartSyntaxError) in try consume(bytes) } }
            try outcome.get()
        }
    }

    /// Parses as far as `bytes` allow; keeps the undecided rest in `pending`.
    private func consume(_ bytes: UnsafeRawBufferPointer) throws(MultipartSyntaxError) {
        var index = 0
        while index < bytes.count {
            switch state {
            case .preamble:
                // The first "--boundary" at the start of the body or of a line; anything before it is preamble.
                var from = index
                while true {
                    guard let found = Self.find(dashBoundary, in: bytes, from: from) else {
                        keep(bytes, from: max(index, bytes.count - dashBoundary.count - 1))
                        return
                    }
                    if found == 0 || (found >= 2 && bytes[found - 2] == 0x0D && bytes[found - 1] == 0x0A) {
                        index = found + dashBoundary.count
                        state = .afterDelimiter
                        break
                    }
                    from = found + 1
                }
            case .afterDelimiter:
                // "--" closes the body; otherwise optional transport padding (spaces, tabs), then CRLF.
                var cursor = index
                guard cursor + 1 < bytes.count else { return keep(bytes, from: index) }
                if bytes[cursor] == 0x2D && bytes[cursor + 1] == 0x2D {
                    closed = true
                    state = .epilogue
                    return
                }
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
                guard cursor + 1 < bytes.count else {
                    guard cursor - index <= 64 else { throw MultipartSyntaxError(reason: "too much padding after a boundary") }
                    return keep(bytes, from: index)
                }
                guard bytes[cursor] == 0x0D, bytes[cursor + 1] == 0x0A else {
                    throw MultipartSyntaxError(reason: "a boundary is not followed by a line break")
                }
                index = cursor + 2
                state = .headers
            case .headers:
                guard let end = Self.find([0x0D, 0x0A], in: bytes, from: index) else {
                    guard bytes.count - index <= Self.maxHeaderLine else {
                        throw MultipartSyntaxError(reason: "a part header line is longer than \(Self.maxHeaderLine) bytes")
                    }
                    return keep(bytes, from: index)
                }
                guard end - index <= Self.maxHeaderLine else {
                    throw MultipartSyntaxError(reason: "a part header line is longer than \(Self.maxHeaderLine) bytes")
                }
                if end == index {
                    state = .body
                } else {
                    let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                    guard let colon = line.firstIndex(of: ":") else {
                        throw MultipartSyntaxError(reason: "a part header line has no colon")
                    }
                    let name = line[..<colon].trimmingHTTPWhitespace
                    guard !name.isEmpty else { throw MultipartSyntaxError(reason: "a part header has no name") }
                    onHeader(name, line[line.index(after: colon)...].trimmingHTTPWhitespace)
                }
                index = end + 2
            case .body:
                if let found = Self.find(delimiter, in: bytes, from: index) {
                    if found > index { onBody(UnsafeRawBufferPointer(rebasing: bytes[index..<found])) }
                    onPartComplete()
                    index = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Everything except a possible start of the delimiter at the very end.
                    let safe = max(index, bytes.count - (delimiter.count - 1))
                    if safe > index { onBody(UnsafeRawBufferPointer(rebasing: bytes[index..<safe])) }
                    return keep(bytes, from: safe)
                }
            case .epilogue:
                return
            }
        }
    }

    private func keep(_ bytes: UnsafeRawBufferPointer, from index: Int) {
        pending = Array(bytes[index...])
    }

    /// The first occurrence of `needle` in `haystack` at or after `from`: memchr jumps to each candidate first byte.
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = haystack.baseAddress, haystack.count - from >= needle.count, !needle.isEmpty else { return nil }
        return needle.withUnsafeBytes { pattern -> Int? in
            var offset = from
            let last = haystack.count - needle.count
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return nil }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, pattern.baseAddress!, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs: HTTP's optional whitespace (RFC 9110 §5.6.3) around header
    /// values and parameters, without Foundation's character sets (every part header of every upload passes here).
    var trimmingHTTPWhitespace: String {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isOWS($0) }), let last = lastIndex(where: { !isOWS($0) }) else { return "" }
        return String(self[first...last])
    }
}
