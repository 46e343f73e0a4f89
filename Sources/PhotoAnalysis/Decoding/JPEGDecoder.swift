import CJPEGShim
import VIACore

/// A greyscale or RGB image decoded by libjpeg, rows packed.
public struct DecodedImage: Sendable {
    public var width: Int
    public var height: Int
    /// 1 (grey) or 3 (RGB).
    public var components: Int
    public var pixels: [UInt8]
}

/// What libjpeg said about a whole decode.
public struct DecodeOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        case ok
        case failed
        case tooLarge
        case tooManyScans
        case noMemory
    }

    public var status: Status
    public var width: Int
    public var height: Int
    public var components: Int
    public var progressive: Bool
    public var scans: Int
    /// Corrupt-data warnings (benign header warnings excluded).
    public var warnings: Int
    public var firstWarning: WarningKind
    /// The first corrupt-data warning, or the fatal error.
    public var message: String
    /// The decoded image, when pixels were asked for and the decode completed.
    public var image: DecodedImage?

    public enum WarningKind: Sendable, Equatable {
        case none
        /// The data ran out ("Premature end of JPEG file").
        case endOfFile
        /// A marker interrupted the scan before it was complete ("premature end of data segment").
        case hitMarker
        case corrupt
    }

    /// True when libjpeg decoded everything without error or corrupt-data warning.
    public var isClean: Bool { status == .ok && warnings == 0 }
}

/// Options for a decode; the defaults are the auditor's: 1/8 DCT scaling to greyscale, with guards.
public struct DecodeOptions: Sendable {
    public var scaleDenominator: Int = 8
    public var grayscale: Bool = true
    public var keepPixels: Bool = true
    public var maxPixels: Int = 60_000_000
    public var maxScans: Int = 100
    /// Cap on libjpeg's own working memory (progressive files keep whole-image coefficient buffers).
    public var maxMemory: Int = 512 << 20
    /// Report every invalid Huffman code. libjpeg-turbo's fast path, taken whenever plenty of data is buffered,
    /// decodes an invalid code silently as zero; the careful path warns. Careful decoding costs 15-30 % of the
    /// throughput and only adds detections for damage that leaves the stream otherwise synchronised.
    public var strictHuffman: Bool

    public init(scaleDenominator: Int = 8, grayscale: Bool = true, keepPixels: Bool = true,
                maxPixels: Int = 60_000_000, maxScans: Int = 100, strictHuffman: Bool = false) {
        self.strictHuffman = strictHuffman
        self.scaleDenominator = scaleDenominator
        self.grayscale = grayscale
        self.keepPixels = keepPixels
        self.maxPixels = maxPixels
        self.maxScans = maxScans
    }
}

/// Swift face of the C shim's decoder.
public enum JPEGDecoder {
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> DecodeOutcome {
        bytes.withUnsafeBytes { decode($0, options: options) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions = DecodeOptions()) -> DecodeOutcome {
        var cOptions = via_jpeg_decode_options(
            scale_denom: UInt32(options.scaleDenominator),
            grayscale: options.grayscale ? 1 : 0,
            keep_pixels: options.keepPixels ? 1 : 0,
            max_pixels: UInt64(max(0, options.maxPixels)),
            max_scans: Int32(clamping: options.maxScans),
            max_memory: UInt64(max(0, options.maxMemory)),
            strict_huffman: options.strictHuffman ? 1 : 0)
        var result = via_jpeg_decode_result()
        let status: via_jpeg_status
        if let base = bytes.baseAddress, bytes.count > 0 {
            status = via_jpeg_decode(base.assumingMemoryBound(to: UInt8.self), bytes.count, &cOptions, &result)
        } else {
            status = via_jpeg_decode(nil, 0, &cOptions, &result)
        }
        defer { via_jpeg_free(result.pixels) }

        var image: DecodedImage?
        if status == VIA_JPEG_OK, let pixels = result.pixels, result.pixels_length > 0 {
            image = DecodedImage(
                width: Int(result.out_width), height: Int(result.out_height),
                components: Int(result.out_components),
                pixels: Array(UnsafeBufferPointer(start: pixels, count: result.pixels_length)))
        }
        return DecodeOutcome(
            status: Self.status(status),
            width: Int(result.width), height: Int(result.height), components: Int(result.components),
            progressive: result.progressive != 0, scans: Int(result.scans),
            warnings: Int(result.warnings),
            firstWarning: Self.warning(result.first_warning_kind),
            message: message(&result),
            image: image)
    }

    private static func status(_ status: via_jpeg_status) -> DecodeOutcome.Status {
        switch status {
        case VIA_JPEG_OK: return .ok
        case VIA_JPEG_TOO_LARGE: return .tooLarge
        case VIA_JPEG_TOO_MANY_SCANS: return .tooManyScans
        case VIA_JPEG_NO_MEMORY: return .noMemory
        default: return .failed
        }
    }

    private static func warning(_ kind: Int32) -> DecodeOutcome.WarningKind {
        switch UInt32(bitPattern: kind) {
        case VIA_JPEG_WARN_EOF.rawValue: return .endOfFile
        case VIA_JPEG_WARN_HIT_MARKER.rawValue: return .hitMarker
        case VIA_JPEG_WARN_CORRUPT.rawValue: return .corrupt
        default: return .none
        }
    }

    private static func message(_ result: inout via_jpeg_decode_result) -> String {
        withUnsafeBytes(of: &result.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
