/// Bounds-checked reads from a TIFF structure (the body of an EXIF segment), in either byte order.
///
/// Offsets are relative to the TIFF header, as in the EXIF specification. Every accessor returns nil instead of
/// reading outside the buffer, so hostile offsets and counts can never read out of bounds.
struct TIFFReader {
    let bytes: UnsafeRawBufferPointer
    let littleEndian: Bool

    var count: Int { bytes.count }

    func u8(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[offset]
    }

    func u16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1])
        return littleEndian ? (b << 8 | a) : (a << 8 | b)
    }

    func u32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        let b0 = UInt32(bytes[offset]), b1 = UInt32(bytes[offset + 1])
        let b2 = UInt32(bytes[offset + 2]), b3 = UInt32(bytes[offset + 3])
        return littleEndian ? (b3 << 24 | b2 << 16 | b1 << 8 | b0) : (b0 << 24 | b1 << 16 | b2 << 8 | b3)
    }

    func slice(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
    }
}

/// One 12-byte IFD entry with its value located (inline or at an offset) and size-checked.
struct IFDEntry {
    let tag: UInt16
    let type: UInt16
    let count: Int
    /// Offset of the value's bytes (inline values point into the entry itself).
    let valueOffset: Int
    let byteSize: Int

    /// Size in bytes of one value of each TIFF field type; 0 for unknown types.
    static func unitSize(_ type: UInt16) -> Int {
        switch type {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11, 13: return 4
        case 5, 10, 12: return 8
        default: return 0
        }
    }
}
