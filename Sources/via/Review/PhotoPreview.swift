import Foundation
import PhotoAnalysis

/// Renders photos in the terminal with truecolor half blocks: each character cell shows two pixels ("▀" with the
/// upper pixel as foreground and the lower one as background). Pixels come from a DCT-scaled decode, so a 12-photo
/// screen costs a few milliseconds per photo.
enum PhotoPreview {
    /// Lines of a preview at most `columns` wide and `rows` tall, aspect ratio kept; nil when the photo cannot be decoded.
    static func render(path: String, columns: Int, rows: Int) -> [String]? {
        guard columns > 0, rows > 0, let bytes = try? FileReader.read(path, limit: 25_000_000) else { return nil }
        let structure = MarkerWalker.walk(bytes).structure
        guard structure.width > 0, structure.height > 0 else { return nil }
        // Fit the photo into columns × (2·rows) pixels.
        let scale = min(Double(columns) / Double(structure.width), Double(rows * 2) / Double(structure.height))
        let width = max(1, Int(Double(structure.width) * scale))
        let height = max(2, Int(Double(structure.height) * scale) & ~1)
        var denominator = 8
        while denominator > 1 && (structure.width / denominator < width || structure.height / denominator < height) { denominator /= 2 }
        let outcome = JPEGDecoder.decode(bytes, options: DecodeOptions(scaleDenominator: denominator, grayscale: false, keepPixels: true))
        guard let image = outcome.image, image.components == 3 else { return nil }
        return halfBlocks(image, width: width, height: height)
    }

    static func halfBlocks(_ image: DecodedImage, width: Int, height: Int) -> [String] {
        func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let sx = min(image.width - 1, x * image.width / width)
            let sy = min(image.height - 1, y * image.height / height)
            let at = (sy * image.width + sx) * 3
            return (Int(image.pixels[at]), Int(image.pixels[at + 1]), Int(image.pixels[at + 2]))
        }
        var lines: [String] = []
        lines.reserveCapacity(height / 2)
        for row in stride(from: 0, to: height - 1, by: 2) {
            var line = ""
            line.reserveCapacity(width * 40)
            for x in 0..<width {
                let top = pixel(x, row), bottom = pixel(x, row + 1)
                line += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2);48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
            }
            line += "\u{1B}[0m"
            lines.append(line)
        }
        return lines
    }
}
