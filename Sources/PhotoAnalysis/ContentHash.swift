import Crypto

/// SHA-256 of photo bytes as lowercase hex: the identity of a photo file everywhere in via (blob names, duplicate
/// detection, batch content hashes). `update` can be fed the bytes as they arrive.
public struct ContentHash: Sendable {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    public func finalize() -> String { Self.hex(hasher.finalize()) }

    /// The hash of bytes already in memory.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ digest: SHA256.Digest) -> String {
        var text = ""
        text.reserveCapacity(64)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
}
