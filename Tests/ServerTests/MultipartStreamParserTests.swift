import Foundation
import NIOCore
@testable import Server
import Testing
import VIACore

/// The streaming multipart parser: the same parts whatever the chunking (delimiters split across chunks, one byte
/// at a time), near-miss delimiters and CR-heavy binary data inside bodies, preamble, padding and epilogue, and
/// precise errors for malformed input.
@Suite struct MultipartStreamParserTests {
    @Test func headerWhitespaceIsSpacesAndTabsOnly() {
        #expect(" \t form-data; name=\"batch\" \t ".trimmingHTTPWhitespace == "form-data; name=\"batch\"")
        #expect(" \t ".trimmingHTTPWhitespace == "")
        #expect("".trimmingHTTPWhitespace == "")
        #expect("x".trimmingHTTPWhitespace == "x")
        // Not HTTP whitespace: kept as part of the value.
        #expect("\u{3000}名\u{A0}".trimmingHTTPWhitespace == "\u{3000}名\u{A0}")
        #expect(" a b ".dropFirst(0).trimmingHTTPWhitespace == "a b")
    }

    struct ParsedPart: Equatable {
        var headers: [String]
        var body: [UInt8]
    }

    static let boundary = "b0undary-XyZ"

    static func parse(_ body: [UInt8], chunk: (Int) -> Int) throws(MultipartSyntaxError) -> (parts: [ParsedPart], closed: Bool) {
        let parser = MultipartStreamParser(boundary: boundary)
        var parts: [ParsedPart] = []
        var current = ParsedPart(headers: [], body: [])
        parser.onHeader = { current.headers.append("\($0): \($1)") }
        parser.onBody = { current.body.append(contentsOf: $0) }
        parser.onPartComplete = {
            parts.append(current)
            current = ParsedPart(headers: [], body: [])
        }
        var offset = 0, index = 0
        while offset < body.count {
            let size = max(1, min(chunk(index), body.count - offset))
            try parser.execute(ByteBuffer(bytes: body[offset..<offset + size]))
            offset += size
            index += 1
        }
        return (parts, parser.closed)
    }

    /// Bodies full of what a delimiter starts with, which must not end a part.
    static var trickyBodies: [[UInt8]] {
        var random = SeededRandom(seed: 11)
        let binary = (0..<5000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        return [
            Array("\r\n--b0undary-XyY\r\n--b0undar\r\n\r\n--".utf8),
            binary,
            Array(repeating: 0x0D, count: 300) + Array("\r\n-".utf8),
            [],
        ]
    }

    static func encode(_ bodies: [[UInt8]], preamble: String = "", padding: String = "", epilogue: String = "") -> [UInt8] {
        var out = Array(preamble.utf8)
        for (index, body) in bodies.enumerated() {
            out += Array("\(index == 0 && preamble.isEmpty ? "" : "\r\n")--\(boundary)\(padding)\r\n".utf8)
            out += Array("Content-Disposition: form-data; name=\"p\(index)\"; filename=\"x/\(index).jpg\"\r\nContent-Type:  image/jpeg \r\n\r\n".utf8)
            out += body
        }
        out += Array("\r\n--\(boundary)--\(epilogue)".utf8)
        return out
    }

    @Test(arguments: [1, 2, 3, 7, 17, 64, 4096, 1 << 20])
    func partsAreTheSameWhateverTheChunking(size: Int) throws {
        let bodies = Self.trickyBodies
        let expected = bodies.enumerated().map { index, body in
            ParsedPart(headers: ["Content-Disposition: form-data; name=\"p\(index)\"; filename=\"x/\(index).jpg\"",
                                 "Content-Type: image/jpeg"], body: body)
        }
        for encoded in [Self.encode(bodies), Self.encode(bodies, preamble: "ignored preamble\r\n", padding: " \t", epilogue: "\r\ntrailing")] {
            let result = try Self.parse(encoded) { _ in size }
            #expect(result.parts == expected)
            #expect(result.closed)
        }
        var random = SeededRandom(seed: UInt64(size))
        let uneven = try Self.parse(Self.encode(bodies)) { _ in Int(random.next() % 40) + 1 }
        #expect(uneven.parts == expected && uneven.closed)
    }

    @Test func anUnfinishedBodyIsNotClosed() throws {
        let encoded = Self.encode(Self.trickyBodies)
        let cut = try Self.parse(Array(encoded.dropLast(6))) { _ in 100 }
        #expect(!cut.closed)
        #expect(cut.parts.count == Self.trickyBodies.count - 1, "the last part never completed")
    }

    @Test func malformedInputIsRefusedWithItsReason() {
        let cases: [(String, String)] = [
            ("--\(Self.boundary)\r\nno colon here\r\n\r\nx\r\n--\(Self.boundary)--", "no colon"),
            ("--\(Self.boundary)junk\r\n", "not followed by a line break"),
            ("--\(Self.boundary)\r\n: value\r\n\r\n", "no name"),
            ("--\(Self.boundary)\r\nX: " + String(repeating: "a", count: 9000), "longer than"),
        ]
        for (body, reason) in cases {
            #expect {
                _ = try Self.parse(Array(body.utf8)) { _ in 13 }
            } throws: { error in
                (error as? MultipartSyntaxError)?.reason.contains(reason) == true
            }
        }
    }
}
