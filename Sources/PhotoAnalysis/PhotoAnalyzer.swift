import Foundation
import VIACore

/// Limits and switches for photo analysis.
public struct AnalysisLimits: Sendable, Equatable {
    /// Files larger than this are refused before reading (default 25 MB).
    public var maxBytes: Int
    /// Frames with more pixels are refused before decoding (default 60 MP).
    public var maxPixels: Int
    /// Progressive files with more scans are refused during decoding (CPU exhaustion guard).
    public var maxScans: Int
    /// Decode with libjpeg's careful Huffman path so that every invalid code is reported (see
    /// `DecodeOptions.strictHuffman`); off by default for throughput.
    public var carefulHuffman: Bool

    public init(maxBytes: Int = 25_000_000, maxPixels: Int = 60_000_000, maxScans: Int = 100, carefulHuffman: Bool = false) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxScans = maxScans
        self.carefulHuffman = carefulHuffman
    }
}

/// Reads everything via needs from a photo: structure, EXIF, XMP, integrity and figures.
///
/// Stateless and thread-safe; one analysis holds at most the file's bytes plus a 1/8-scale greyscale image.
public struct PhotoAnalyzer: Sendable {
    public var limits: AnalysisLimits
    /// When false, only markers and metadata are read (no entropy decode, no figures).
    public var decode: Bool

    public init(limits: AnalysisLimits = AnalysisLimits(), decode: Bool = true) {
        self.limits = limits
        self.decode = decode
    }

    /// Analyses a file on disk. Never throws: unreadable files become facts with an `io_error` or `too_large` problem.
    public func analyze(path: String) -> PhotoFacts { analyze(path: path, reading: { _ in }) }

    /// Analyses a file on disk and hands its bytes to `reading` as well (for storing them without a second read).
    /// `sha256`: the file's hash when the caller computed it as the bytes arrived (it is not computed again).
    public func analyze(path: String, sha256: String? = nil, reading: ([UInt8]) -> Void) -> PhotoFacts {
        do {
            let bytes = try FileReader.read(path, limit: limits.maxBytes)
            reading(bytes)
            return bytes.withUnsafeBytes { analyze(buffer: $0, name: path, sha256: sha256) }
        } catch {
            switch error {
            case let .tooLarge(_, size, limit):
                return PhotoFacts(file: path, byteCount: size, integrity: Integrity(problems: [
                    PhotoProblem(.tooLarge, "the file is \(size) bytes, over the limit of \(limit) bytes")]))
            default:
                return PhotoFacts(file: path, byteCount: 0, integrity: Integrity(problems: [
                    PhotoProblem(.ioError, error.description)]))
            }
        }
    }

    /// Analyses bytes already in memory; `name` labels the result.
    public func analyze(bytes: [UInt8], name: String) -> PhotoFacts {
        bytes.withUnsafeBytes { analyze(buffer: $0, name: name) }
    }

    /// Analyses bytes in memory; `sha256`, when given, is their known hash (see `analyze(path:sha256:reading:)`).
    public func analyze(buffer bytes: UnsafeRawBufferPointer, name: String, sha256: String? = nil) -> PhotoFacts {
        var facts = PhotoFacts(file: name, byteCount: bytes.count)
        var problems = ProblemList()
        guard bytes.count > 0 else {
            problems.add(PhotoProblem(.empty, "the file is empty (0 bytes)"))
            facts.integrity = Integrity(problems: problems.items)
            return facts
        }
        guard bytes.count <= limits.maxBytes else {
            problems.add(PhotoProblem(.tooLarge, "the file is \(bytes.count) bytes, over the limit of \(limits.maxBytes) bytes"))
            facts.integrity = Integrity(problems: problems.items)
            return facts
        }
        facts.sha256 = sha256 ?? ContentHash.of(bytes)
        guard MarkerWalker.isJPEG(bytes) else {
            problems.add(PhotoProblem(.notJPEG, "not a JPEG: the file starts with \(Self.describeSignature(bytes))"))
            facts.integrity = Integrity(problems: problems.items)
            return facts
        }

        let walk = MarkerWalker.walk(bytes)
        facts.jpeg = walk.structure
        for problem in walk.problems { problems.add(problem) }
        if walk.structure.bytesAfterEoi > 0 {
            problems.add(PhotoProblem(.trailingData, "\(walk.structure.bytesAfterEoi) bytes follow the EOI marker"))
        }

        if let range = walk.exifPayload {
            let exif = ExifParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
            facts.exif = exif
            if let first = exif.problems.first {
                let more = exif.problems.count > 1 ? " (and \(exif.problems.count - 1) more)" : ""
                problems.add(PhotoProblem(.exifDamaged, "EXIF is damaged: \(first)\(more)"))
            }
        }
        let packets = walk.xmpPayloads.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        facts.xmp = XMPScanner.scan(packets, segmentTraces: walk.segmentTraces)

        let pixels = walk.structure.pixelCount
        if pixels > limits.maxPixels {
            problems.add(PhotoProblem(.tooLarge,
                "\(walk.structure.width)x\(walk.structure.height) is \(pixels) pixels, over the limit of \(limits.maxPixels)"))
        }
        let structurallyBroken = problems.items.contains { $0.kind == .tooLarge || $0.kind == .corruptData && walk.structure.width == 0 }
        if decode && !structurallyBroken && walk.structure.scans > 0 {
            let outcome = JPEGDecoder.decode(bytes, options: DecodeOptions(
                scaleDenominator: Self.scaleDenominator(width: walk.structure.width, height: walk.structure.height),
                grayscale: true, keepPixels: true,
                maxPixels: limits.maxPixels, maxScans: limits.maxScans, strictHuffman: limits.carefulHuffman))
            facts.integrity.decoded = outcome.status == .ok
            facts.integrity.decoderWarnings = outcome.warnings
            if let problem = Self.problem(for: outcome, hasEoi: walk.structure.hasEoi) { problems.add(problem) }
            if let image = outcome.image { facts.figures = ImageMeasures.figures(of: image) }
        }
        facts.integrity.problems = problems.items
        return facts
    }

    /// The coarsest DCT scaling (1/8, 1/4, 1/2, 1/1) that still leaves at least `minScaledSide` pixels on the long
    /// side: large photos decode at 1/8 (the cheapest), smaller ones finer, so that sharpness and the perceptual
    /// hash always see a picture of similar size.
    public static func scaleDenominator(width: Int, height: Int, minScaledSide: Int = 160) -> Int {
        let long = max(width, height)
        var denominator = 8
        while denominator > 1 && long / denominator < minScaledSide { denominator /= 2 }
        return denominator
    }

    /// Maps libjpeg's verdict to a problem class, as `jpeginfo -c` would judge it.
    static func problem(for outcome: DecodeOutcome, hasEoi: Bool) -> PhotoProblem? {
        let detail = outcome.message.isEmpty ? "" : ": \(outcome.message)"
        switch outcome.status {
        case .tooLarge:
            return PhotoProblem(.tooLarge, "libjpeg refused the image\(detail)")
        case .tooManyScans:
            return PhotoProblem(.tooLarge, "decoding stopped\(detail)")
        case .noMemory:
            return PhotoProblem(.tooLarge, "decoding needs more memory than allowed\(detail)")
        case .failed:
            if outcome.message.hasPrefix("Not a JPEG") {
                return PhotoProblem(.notJPEG, "libjpeg\(detail)")
            }
            if !hasEoi || outcome.message.contains("Premature end") {
                return PhotoProblem(.truncated, "decoding failed\(detail)")
            }
            return PhotoProblem(.corruptData, "decoding failed\(detail)")
        case .ok:
            guard outcome.warnings > 0 else { return nil }
            let count = outcome.warnings == 1 ? "1 corrupt-data warning" : "\(outcome.warnings) corrupt-data warnings"
            switch outcome.firstWarning {
            case .endOfFile, .hitMarker:
                return PhotoProblem(.truncated, "the image data ends before the image is complete (\(count))\(detail)")
            default:
                return PhotoProblem(.corruptData, "the image data is corrupt (\(count))\(detail)")
            }
        }
    }

    /// Names common formats so that "not a JPEG" says what the file is instead.
    static func describeSignature(_ bytes: UnsafeRawBufferPointer) -> String {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "a PNG signature" }
        if head.starts(with: Array("GIF8".utf8)) { return "a GIF signature" }
        if head.starts(with: Array("%PDF".utf8)) { return "a PDF signature" }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "a TIFF signature" }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "a WebP signature" }
        if head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) { return "an ISO media (HEIF/MP4) signature" }
        return "bytes " + head.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
    }
}

/// Problems in discovery order, at most one per kind (the first message is the most specific).
struct ProblemList {
    private(set) var items: [PhotoProblem] = []

    mutating func add(_ problem: PhotoProblem) {
        guard !items.contains(where: { $0.kind == problem.kind }) else { return }
        // A truncated file is also "corrupt" to libjpeg; report the cause only.
        if problem.kind == .corruptData && items.contains(where: { $0.kind == .truncated }) { return }
        if problem.kind == .truncated, let index = items.firstIndex(where: { $0.kind == .corruptData }) {
            items.remove(at: index)
        }
        items.append(problem)
    }
}
