/// Everything via reads from one photo file: container structure, metadata, integrity and image figures.
///
/// Produced by `PhotoAnalysis`, consumed by rules. Field names follow the JSON contract (snake_case on output).
public struct PhotoFacts: Codable, Sendable, Equatable {
    /// The path as given by the caller (for reports; never used to reopen the file).
    public var file: String
    public var byteCount: Int
    /// Lower-case hex SHA-256 of the file's bytes; nil when the file could not be read.
    public var sha256: String?
    /// The JPEG container; nil when the file is not a JPEG at all.
    public var jpeg: JPEGStructure?
    public var exif: ExifFacts?
    public var xmp: XMPFacts?
    public var integrity: Integrity
    /// Figures from the scaled greyscale decode; nil when no decode took place or it failed outright.
    public var figures: ImageFigures?

    public init(file: String, byteCount: Int, sha256: String? = nil, jpeg: JPEGStructure? = nil,
                exif: ExifFacts? = nil, xmp: XMPFacts? = nil, integrity: Integrity = Integrity(),
                figures: ImageFigures? = nil) {
        self.file = file
        self.byteCount = byteCount
        self.sha256 = sha256
        self.jpeg = jpeg
        self.exif = exif
        self.xmp = xmp
        self.integrity = integrity
        self.figures = figures
    }

    /// A sound photo has no problem of error severity (trailing data and damaged EXIF are warnings).
    public var isSound: Bool { integrity.isSound }

    /// Pixel dimensions from the frame header, if any.
    public var dimensions: (width: Int, height: Int)? {
        guard let jpeg, jpeg.width > 0, jpeg.height > 0 else { return nil }
        return (jpeg.width, jpeg.height)
    }
}

/// Whether the file decodes completely, and every problem found on the way.
public struct Integrity: Codable, Sendable, Equatable {
    /// Whether the entropy-coded data was decoded (false with `--no-decode` or when a check stopped it earlier).
    public var decoded: Bool
    /// libjpeg corrupt-data warnings seen during the decode.
    public var decoderWarnings: Int
    public var problems: [PhotoProblem]

    public init(decoded: Bool = false, decoderWarnings: Int = 0, problems: [PhotoProblem] = []) {
        self.decoded = decoded
        self.decoderWarnings = decoderWarnings
        self.problems = problems
    }

    public var isSound: Bool { !problems.contains { $0.severity == .error } }

    public func has(_ kind: PhotoProblem.Kind) -> Bool { problems.contains { $0.kind == kind } }
}

/// One thing wrong with a photo file.
public struct PhotoProblem: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case notJPEG = "not_jpeg"
        case empty
        case truncated
        case corruptData = "corrupt_data"
        case exifDamaged = "exif_damaged"
        case trailingData = "trailing_data"
        case tooLarge = "too_large"
        /// The file could not be opened or read at all (missing, a directory, permission).
        case ioError = "io_error"

        /// Trailing data and damaged EXIF leave a decodable image; everything else makes the photo unusable.
        public var defaultSeverity: Severity {
            switch self {
            case .trailingData, .exifDamaged: return .warning
            default: return .error
            }
        }
    }

    public var kind: Kind
    public var severity: Severity
    public var message: String

    public init(_ kind: Kind, _ message: String, severity: Severity? = nil) {
        self.kind = kind
        self.severity = severity ?? kind.defaultSeverity
        self.message = message
    }
}

/// The container as the marker walk saw it.
public struct JPEGStructure: Codable, Sendable, Equatable {
    public var width: Int = 0
    public var height: Int = 0
    public var components: Int = 0
    public var precision: Int = 0
    /// Sampling factors per component, e.g. ["2x2", "1x1", "1x1"] for 4:2:0.
    public var sampling: [String] = []
    /// "baseline", "extended", "progressive", "lossless", with " (arithmetic)" when arithmetic-coded; "" without SOF.
    public var process: String = ""
    public var progressive: Bool = false
    public var restartInterval: Int = 0
    public var quantizationTables: Int = 0
    public var huffmanTables: Int = 0
    public var scans: Int = 0
    public var hasEoi: Bool = false
    /// Offset of the EOI marker, when found.
    public var eoiOffset: Int?
    public var bytesAfterEoi: Int = 0
    /// Header segments in file order (at most `JPEGStructure.segmentLimit`).
    public var segments: [Segment] = []
    public var segmentsOmitted: Int = 0

    public static let segmentLimit = 128

    public init() {}

    public var pixelCount: Int { width * height }

    /// A marker segment: name (e.g. "APP1", "DQT", "SOF0"), offset of its marker, payload length,
    /// and for APPn the identifier string at its start (e.g. "Exif", "http://ns.adobe.com/xap/1.0/").
    public struct Segment: Codable, Sendable, Equatable {
        public var marker: String
        public var offset: Int
        public var length: Int
        public var identifier: String?

        public init(marker: String, offset: Int, length: Int, identifier: String? = nil) {
            self.marker = marker
            self.offset = offset
            self.length = length
            self.identifier = identifier
        }
    }
}

/// Scaled-decode figures used by the quality and duplicate rules.
public struct ImageFigures: Codable, Sendable, Equatable {
    /// 64-bit DCT perceptual hash, 16 lower-case hex digits.
    public var perceptualHash: String
    /// Mean luminance, 0...255.
    public var meanLuminance: Double
    /// Standard deviation of luminance (global contrast), 0...~128.
    public var contrast: Double
    /// Variance of the 4-neighbour Laplacian on the scaled image; low means blurred or blank.
    public var sharpness: Double
    /// Dimensions of the scaled image the figures were computed on.
    public var scaledWidth: Int
    public var scaledHeight: Int

    public init(perceptualHash: String, meanLuminance: Double, contrast: Double, sharpness: Double,
                scaledWidth: Int, scaledHeight: Int) {
        self.perceptualHash = perceptualHash
        self.meanLuminance = meanLuminance
        self.contrast = contrast
        self.sharpness = sharpness
        self.scaledWidth = scaledWidth
        self.scaledHeight = scaledHeight
    }

    public var perceptualHashValue: UInt64? { UInt64(perceptualHash, radix: 16) }
}

// Members in the order `JSONCoding`'s sorted snake_case keys put them; `JSONWriterTests` compare with `JSONEncoder`.

extension PhotoFacts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("byte_count"); w.int(byteCount)
            w.member("exif", exif)
            w.member("figures", figures)
            w.key("file"); w.string(file)
            w.member("integrity", integrity)
            w.member("jpeg", jpeg)
            w.member("sha256", sha256)
            w.member("xmp", xmp)
        }
    }
}

extension Integrity: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("decoded", decoded)
            w.key("decoder_warnings"); w.int(decoderWarnings)
            w.member("problems", problems)
        }
    }
}

extension PhotoProblem: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("kind"); w.string(kind.rawValue)
            w.key("message"); w.string(message)
            w.key("severity"); w.string(severity.rawValue)
        }
    }
}

extension JPEGStructure: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("bytes_after_eoi"); w.int(bytesAfterEoi)
            w.key("components"); w.int(components)
            w.member("eoi_offset", eoiOffset)
            w.member("has_eoi", hasEoi)
            w.key("height"); w.int(height)
            w.key("huffman_tables"); w.int(huffmanTables)
            w.key("precision"); w.int(precision)
            w.key("process"); w.string(process)
            w.member("progressive", progressive)
            w.key("quantization_tables"); w.int(quantizationTables)
            w.key("restart_interval"); w.int(restartInterval)
            w.member("sampling", sampling)
            w.key("scans"); w.int(scans)
            w.member("segments", segments)
            w.key("segments_omitted"); w.int(segmentsOmitted)
            w.key("width"); w.int(width)
        }
    }
}

extension JPEGStructure.Segment: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("identifier", identifier)
            w.key("length"); w.int(length)
            w.key("marker"); w.string(marker)
            w.key("offset"); w.int(offset)
        }
    }
}

extension ImageFigures: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("contrast"); w.number(contrast)
            w.key("mean_luminance"); w.number(meanLuminance)
            w.key("perceptual_hash"); w.string(perceptualHash)
            w.key("scaled_height"); w.int(scaledHeight)
            w.key("scaled_width"); w.int(scaledWidth)
            w.key("sharpness"); w.number(sharpness)
        }
    }
}

extension XMPFacts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.member("creator_tool", creatorTool)
            w.member("editing_traces", editingTraces)
            w.member("history_software", historySoftware)
            w.member("modify_date", modifyDate)
            w.member("photoshop_history", photoshopHistory)
        }
    }
}
