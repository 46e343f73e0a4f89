import CJPEGShim

/// Options for compressing synthetic photos.
public struct EncodeOptions: Sendable {
    public var quality: Int
    public var progressive: Bool
    /// Cameras write APP1 Exif and no JFIF APP0; libjpeg's default is to write JFIF.
    public var writeJFIF: Bool
    public var chromaSubsampling: Bool
    public var optimizeCoding: Bool
    public var restartInterval: Int

    public init(quality: Int = 88, progressive: Bool = false, writeJFIF: Bool = false,
                chromaSubsampling: Bool = true, optimizeCoding: Bool = false, restartInterval: Int = 0) {
        self.quality = quality
        self.progressive = progressive
        self.writeJFIF = writeJFIF
        self.chromaSubsampling = chromaSubsampling
        self.optimizeCoding = optimizeCoding
        self.restartInterval = restartInterval
    }
}

/// Errors from the encoder (only for invalid input: libjpeg cannot fail on a valid image in memory).
public struct JPEGEncodingError: Error, CustomStringConvertible {
    public var description: String
}

/// Compresses packed pixels with libjpeg through the C shim.
public enum JPEGEncoder {
    public static func encode(pixels: [UInt8], width: Int, height: Int, components: Int,
                              options: EncodeOptions = EncodeOptions()) throws -> [UInt8] {
        guard width > 0, height > 0, components == 1 || components == 3,
              pixels.count >= width * height * components else {
            throw JPEGEncodingError(description: "cannot encode \(width)x\(height)x\(components) from \(pixels.count) bytes")
        }
        var cOptions = via_jpeg_encode_options(
            quality: Int32(options.quality), progressive: options.progressive ? 1 : 0,
            write_jfif: options.writeJFIF ? 1 : 0, chroma_subsampling: options.chromaSubsampling ? 1 : 0,
            optimize_coding: options.optimizeCoding ? 1 : 0, restart_interval: UInt32(max(0, options.restartInterval)))
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message = [CChar](repeating: 0, count: 200)
        let status = pixels.withUnsafeBufferPointer { buffer in
            via_jpeg_encode(buffer.baseAddress, UInt32(width), UInt32(height), Int32(components), &cOptions,
                            &output, &length, &message, message.count)
        }
        defer { via_jpeg_free(output) }
        guard status == VIA_JPEG_OK, let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw JPEGEncodingError(description: "libjpeg could not encode the image: \(text)")
        }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
