/// Inserts APPn segments into an encoded JPEG, right after SOI (EXIF must come first to be found by readers).
public enum JPEGAssembler {
    /// A marker segment to insert: marker byte (0xE1 for APP1) and payload (without the length field).
    public struct Segment: Sendable {
        public var marker: UInt8
        public var payload: [UInt8]
        public init(marker: UInt8, payload: [UInt8]) {
            self.marker = marker
            self.payload = payload
        }
    }

    public static func insert(_ segments: [Segment], into jpeg: [UInt8]) -> [UInt8] {
        precondition(jpeg.count >= 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG")
        var out: [UInt8] = [0xFF, 0xD8]
        out.reserveCapacity(jpeg.count + segments.reduce(0) { $0 + $1.payload.count + 4 })
        for segment in segments {
            let length = min(segment.payload.count, 65533) + 2
            out += [0xFF, segment.marker, UInt8(length >> 8), UInt8(length & 0xFF)]
            out += segment.payload.prefix(65533)
        }
        out += jpeg[2...]
        return out
    }
}

/// Everything needed to make one synthetic photo file.
public struct PhotoSpec: Sendable {
    public var scene: SceneSpec
    public var encoding: EncodeOptions
    public var exif: ExifFields?
    public var xmp: XMPFields?

    public init(scene: SceneSpec, encoding: EncodeOptions = EncodeOptions(), exif: ExifFields? = nil, xmp: XMPFields? = nil) {
        self.scene = scene
        self.encoding = encoding
        self.exif = exif
        self.xmp = xmp
    }
}

/// Makes realistic JPEG files for tests, samples and benchmarks: rendered scene, libjpeg compression,
/// then our own EXIF and XMP segments.
public enum SyntheticPhoto {
    public static func make(_ spec: PhotoSpec) throws -> [UInt8] {
        let pixels = SyntheticScene.render(spec.scene)
        let jpeg = try JPEGEncoder.encode(pixels: pixels, width: spec.scene.width, height: spec.scene.height,
                                          components: 3, options: spec.encoding)
        var segments: [JPEGAssembler.Segment] = []
        if let exif = spec.exif { segments.append(.init(marker: 0xE1, payload: ExifWriter.app1Payload(exif))) }
        if let xmp = spec.xmp { segments.append(.init(marker: 0xE1, payload: XMPWriter.app1Payload(xmp))) }
        return JPEGAssembler.insert(segments, into: jpeg)
    }

    /// A small JPEG suitable as an IFD1 thumbnail.
    public static func thumbnail(seed: UInt64, width: Int = 160, height: Int = 120) throws -> [UInt8] {
        let pixels = SyntheticScene.render(SceneSpec(width: width, height: height, seed: seed))
        return try JPEGEncoder.encode(pixels: pixels, width: width, height: height, components: 3,
                                      options: EncodeOptions(quality: 70))
    }
}
