import Foundation
import VIACore

/// Figures computed on the scaled greyscale decode: perceptual hash, exposure, contrast, sharpness.
public enum ImageMeasures {
    /// Computes every figure for a greyscale image (components must be 1).
    public static func figures(of image: DecodedImage) -> ImageFigures? {
        guard image.components == 1, image.width > 0, image.height > 0,
              image.pixels.count >= image.width * image.height else { return nil }
        return image.pixels.withUnsafeBufferPointer { pixels in
            let (mean, deviation) = meanAndDeviation(pixels, count: image.width * image.height)
            return ImageFigures(
                perceptualHash: PerceptualHash.hex(perceptualHash(pixels, width: image.width, height: image.height)),
                meanLuminance: round2(mean),
                contrast: round2(deviation),
                sharpness: round2(laplacianVariance(pixels, width: image.width, height: image.height)),
                scaledWidth: image.width, scaledHeight: image.height)
        }
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static func meanAndDeviation(_ pixels: UnsafeBufferPointer<UInt8>, count: Int) -> (Double, Double) {
        var sum = 0, sumSquares = 0
        for index in 0..<count {
            let value = Int(pixels[index])
            sum += value
            sumSquares += value * value
        }
        let mean = Double(sum) / Double(count)
        let variance = max(0, Double(sumSquares) / Double(count) - mean * mean)
        return (mean, variance.squareRoot())
    }

    /// Variance of the 4-neighbour Laplacian over interior pixels (0 for images smaller than 3×3).
    static func laplacianVariance(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> Double {
        guard width >= 3, height >= 3 else { return 0 }
        var sum = 0, sumSquares = 0
        for y in 1..<(height - 1) {
            let row = y * width
            for x in 1..<(width - 1) {
                let at = row + x
                let value = 4 * Int(pixels[at]) - Int(pixels[at - 1]) - Int(pixels[at + 1])
                    - Int(pixels[at - width]) - Int(pixels[at + width])
                sum += value
                sumSquares += value * value
            }
        }
        let count = Double((width - 2) * (height - 2))
        let mean = Double(sum) / count
        return max(0, Double(sumSquares) / count - mean * mean)
    }

    static let hashSide = 32
    static let lowFrequencies = 8
    /// cos((2x+1)uπ / 2N) for u < 8, x < 32.
    static let cosines: [Double] = {
        var table = [Double](repeating: 0, count: lowFrequencies * hashSide)
        for u in 0..<lowFrequencies {
            for x in 0..<hashSide {
                table[u * hashSide + x] = cos(Double(2 * x + 1) * Double(u) * Double.pi / Double(2 * hashSide))
            }
        }
        return table
    }()

    /// The classic DCT hash: shrink to 32×32 by area averaging, take the 8×8 lowest DCT frequencies,
    /// set a bit for each coefficient above their median. Robust to rescaling, recompression and small edits.
    public static func perceptualHash(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> UInt64 {
        let n = hashSide
        var small = [Double](repeating: 0, count: n * n)
        for ty in 0..<n {
            let y0 = ty * height / n
            let y1 = max(y0 + 1, (ty + 1) * height / n)
            for tx in 0..<n {
                let x0 = tx * width / n
                let x1 = max(x0 + 1, (tx + 1) * width / n)
                var sum = 0
                for y in y0..<min(y1, height) {
                    let row = y * width
                    for x in x0..<min(x1, width) { sum += Int(pixels[row + x]) }
                }
                small[ty * n + tx] = Double(sum) / Double((min(y1, height) - y0) * (min(x1, width) - x0))
            }
        }
        let k = lowFrequencies
        // rows: rowDCT[y][u]
        var rows = [Double](repeating: 0, count: n * k)
        for y in 0..<n {
            for u in 0..<k {
                var acc = 0.0
                for x in 0..<n { acc += small[y * n + x] * cosines[u * n + x] }
                rows[y * k + u] = acc
            }
        }
        var coefficients = [Double](repeating: 0, count: k * k)
        for v in 0..<k {
            for u in 0..<k {
                var acc = 0.0
                for y in 0..<n { acc += rows[y * k + u] * cosines[v * n + y] }
                coefficients[v * k + u] = acc
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var hash: UInt64 = 0
        for (index, value) in coefficients.enumerated() where value > median {
            hash |= 1 << UInt64(63 - index)
        }
        return hash
    }
}
