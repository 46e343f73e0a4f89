import Foundation
import VIACore

/// Parameters of a synthetic photographic scene.
public struct SceneSpec: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var seed: UInt64
    /// Multiplies every pixel (0.15 gives an underexposed photo, 3 an overexposed one).
    public var exposure: Double
    /// Box-blur radius in pixels applied at the end (0: sharp).
    public var blurRadius: Int
    /// Paint one flat colour only (a blank frame: lens cap, failed capture).
    public var blank: Bool
    /// Standard deviation of per-pixel sensor noise, in grey levels.
    public var noise: Double
    /// Amplitude of the fine stripe texture, in grey levels.
    public var texture: Double

    public init(width: Int, height: Int, seed: UInt64, exposure: Double = 1, blurRadius: Int = 0,
                blank: Bool = false, noise: Double = 6, texture: Double = 7) {
        self.texture = texture
        self.width = width
        self.height = height
        self.seed = seed
        self.exposure = exposure
        self.blurRadius = blurRadius
        self.blank = blank
        self.noise = noise
    }
}

/// Draws photographic-looking RGB content: a lit gradient background, a horizon, a vehicle-like body with wheels,
/// random shapes, fine texture and sensor noise. Deterministic for a seed; different seeds differ in layout,
/// so their perceptual hashes are far apart.
public enum SyntheticScene {
    public static func render(_ spec: SceneSpec) -> [UInt8] {
        let width = max(1, spec.width), height = max(1, spec.height)
        var random = SeededRandom(seed: spec.seed &* 0x2545_F491_4F6C_DD1D &+ 1)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if spec.blank {
            let grey = random.uniform(90...160) * spec.exposure
            let value = UInt8(clamping: Int(grey.rounded()))
            for index in stride(from: 0, to: pixels.count, by: 3) {
                pixels[index] = value; pixels[index + 1] = value; pixels[index + 2] = UInt8(clamping: Int(value) + 3)
            }
            return pixels
        }

        var canvas = Canvas(width: width, height: height)
        // Background: two gradients meeting at a random horizon, lit from a random direction.
        let horizon = random.uniform(0.25...0.7)
        let skyTop = randomColour(&random, 120...235), skyBottom = randomColour(&random, 90...220)
        let groundTop = randomColour(&random, 30...150), groundBottom = randomColour(&random, 20...120)
        let lightX = random.uniform(-0.6...0.6)
        // Walls, doors and lane structures: vertical bands of different brightness across the frame.
        var bands: [(end: Double, factor: Double)] = []
        var edge = 0.0
        while edge < 1 {
            edge += random.uniform(0.12...0.45)
            bands.append((min(edge, 1), random.uniform(0.55...1.35)))
        }
        canvas.fillBackground { y in
            let v = Double(y) / Double(height)
            return v < horizon ? mix(skyTop, skyBottom, v / horizon) : mix(groundTop, groundBottom, (v - horizon) / (1 - horizon))
        } shade: { x in
            let u = Double(x) / Double(width)
            let band = bands.first { u < $0.end }?.factor ?? 1
            return band * (1 + lightX * (u - 0.5))
        }
        // Large random shapes (buildings, lane equipment, people) to vary the low frequencies.
        for _ in 0..<Int(random.uniform(5...12)) {
            let colour = randomColour(&random, 10...245)
            let cx = random.uniform(0...1) * Double(width), cy = random.uniform(0...1) * Double(height)
            let rx = random.uniform(0.05...0.3) * Double(width), ry = random.uniform(0.05...0.3) * Double(height)
            if random.chance(0.5) {
                canvas.rectangle(x0: cx - rx, y0: cy - ry, x1: cx + rx, y1: cy + ry, colour: colour)
            } else {
                canvas.ellipse(cx: cx, cy: cy, rx: rx, ry: ry, colour: colour)
            }
        }
        // The vehicle: a body, a cabin, windows and two wheels.
        let bodyColour = randomColour(&random, 20...240)
        let bx = random.uniform(0.1...0.35) * Double(width), bw = random.uniform(0.4...0.6) * Double(width)
        let by = (horizon + random.uniform(0.0...0.15)) * Double(height), bh = random.uniform(0.15...0.25) * Double(height)
        canvas.rectangle(x0: bx, y0: by, x1: bx + bw, y1: by + bh, colour: bodyColour)
        canvas.rectangle(x0: bx + bw * 0.2, y0: by - bh * 0.6, x1: bx + bw * 0.75, y1: by, colour: bodyColour.scaled(0.9))
        canvas.rectangle(x0: bx + bw * 0.25, y0: by - bh * 0.5, x1: bx + bw * 0.7, y1: by - bh * 0.08,
                         colour: RGB(60, 80, 95))
        let wheel = bh * 0.45
        canvas.ellipse(cx: bx + bw * 0.2, cy: by + bh, rx: wheel, ry: wheel, colour: RGB(25, 25, 28))
        canvas.ellipse(cx: bx + bw * 0.8, cy: by + bh, rx: wheel, ry: wheel, colour: RGB(25, 25, 28))
        canvas.rectangle(x0: bx + bw * 0.4, y0: by + bh * 0.55, x1: bx + bw * 0.6, y1: by + bh * 0.8,
                         colour: RGB(235, 235, 225)) // plate
        // Texture (fine stripes) and sensor noise; an out-of-focus lens blurs them too.
        let texture = Texture(period: random.uniform(3...9), angle: random.uniform(0...3.1), amplitude: spec.texture)
        let grain = Grain(amplitude: spec.noise, seed: random.next() | 1)
        if spec.blurRadius > 0 {
            canvas.addTexture(texture, grain)
            canvas.boxBlur(radius: spec.blurRadius)
            canvas.write(into: &pixels, exposure: spec.exposure, texture: nil, grain: nil)
        } else {
            canvas.write(into: &pixels, exposure: spec.exposure, texture: texture, grain: grain)
        }
        return pixels
    }

    static func randomColour(_ random: inout SeededRandom, _ range: ClosedRange<Double>) -> RGB {
        let base = random.uniform(range)
        return RGB(base + random.uniform(-30...30), base + random.uniform(-30...30), base + random.uniform(-30...30))
    }

    static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        RGB(a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t)
    }
}

struct RGB {
    var r: Double, g: Double, b: Double
    init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }
    func scaled(_ f: Double) -> RGB { RGB(r * f, g * f, b * f) }
    func offset(_ d: Double) -> RGB { RGB(r + d, g + d, b + d) }
}

/// Sensor noise: uniform, scaled so that its standard deviation is about `amplitude` grey levels.
struct Grain {
    var state: UInt64
    let scale: Float
    let offset: Float

    init(amplitude: Double, seed: UInt64) {
        state = seed
        scale = Float(amplitude * 3.4 / 65535)
        offset = Float(amplitude * 3.4 / 2)
    }

    @inline(__always) mutating func next() -> Float {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Float(state & 0xFFFF) * scale - offset
    }
}

/// Fine parallel stripes, tabulated: one sine period over 1024 steps.
struct Texture {
    let table: [Float]
    /// Table steps per pixel along x and y.
    let step: (x: Double, y: Double)

    init(period: Double, angle: Double, amplitude: Double) {
        table = (0..<1024).map { Float(amplitude * sin(Double($0) / 1024 * 2 * .pi)) }
        step = (cos(angle) / period * 1024, sin(angle) / period * 1024)
    }

    @inline(__always) func value(_ phase: Double) -> Float { table[Int(phase) & (table.count - 1)] }
}

/// A float RGB canvas; three planes keep the inner loops simple.
struct Canvas {
    let width: Int, height: Int
    var r: [Float], g: [Float], b: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        r = [Float](repeating: 0, count: width * height)
        g = r
        b = r
    }

    /// Fills with a colour per row times a brightness per column.
    mutating func fillBackground(row colour: (Int) -> RGB, shade: (Int) -> Double) {
        let shades = (0..<width).map { Float(shade($0)) }
        for y in 0..<height {
            let c = colour(y)
            let (cr, cg, cb) = (Float(c.r), Float(c.g), Float(c.b))
            let row = y * width
            for x in 0..<width {
                let s = shades[x]
                r[row + x] = cr * s; g[row + x] = cg * s; b[row + x] = cb * s
            }
        }
    }

    mutating func rectangle(x0: Double, y0: Double, x1: Double, y1: Double, colour: RGB) {
        let xa = max(0, Int(x0)), xb = min(width, Int(x1)), ya = max(0, Int(y0)), yb = min(height, Int(y1))
        guard xa < xb, ya < yb else { return }
        for y in ya..<yb {
            for x in xa..<xb {
                let at = y * width + x
                r[at] = Float(colour.r); g[at] = Float(colour.g); b[at] = Float(colour.b)
            }
        }
    }

    mutating func ellipse(cx: Double, cy: Double, rx: Double, ry: Double, colour: RGB) {
        guard rx > 0, ry > 0 else { return }
        let ya = max(0, Int(cy - ry)), yb = min(height, Int(cy + ry) + 1)
        guard ya < yb else { return }
        for y in ya..<yb {
            let dy = (Double(y) - cy) / ry
            let span = 1 - dy * dy
            guard span > 0 else { continue }
            let half = rx * span.squareRoot()
            let xa = max(0, Int(cx - half)), xb = min(width, Int(cx + half) + 1)
            guard xa < xb else { continue }
            for x in xa..<xb {
                let at = y * width + x
                r[at] = Float(colour.r); g[at] = Float(colour.g); b[at] = Float(colour.b)
            }
        }
    }

    /// Separable box blur with running sums, three passes (close to Gaussian).
    mutating func boxBlur(radius: Int) {
        for _ in 0..<3 {
            Self.blurPlane(&r, width, height, radius)
            Self.blurPlane(&g, width, height, radius)
            Self.blurPlane(&b, width, height, radius)
        }
    }

    static func blurPlane(_ plane: inout [Float], _ width: Int, _ height: Int, _ radius: Int) {
        var line = [Float](repeating: 0, count: max(width, height))
        let window = Float(2 * radius + 1)
        for y in 0..<height {
            let row = y * width
            var sum: Float = 0
            for k in -radius...radius { sum += plane[row + min(max(k, 0), width - 1)] }
            for x in 0..<width {
                line[x] = sum / window
                sum += plane[row + min(x + radius + 1, width - 1)] - plane[row + max(x - radius, 0)]
            }
            for x in 0..<width { plane[row + x] = line[x] }
        }
        for x in 0..<width {
            var sum: Float = 0
            for k in -radius...radius { sum += plane[min(max(k, 0), height - 1) * width + x] }
            for y in 0..<height {
                line[y] = sum / window
                sum += plane[min(y + radius + 1, height - 1) * width + x] - plane[max(y - radius, 0) * width + x]
            }
            for y in 0..<height { plane[y * width + x] = line[y] }
        }
    }

    /// Adds texture and noise into the planes (before a blur).
    mutating func addTexture(_ texture: Texture, _ grain: Grain) {
        var grain = grain
        for y in 0..<height {
            var phase = Double(y) * texture.step.y
            for x in 0..<width {
                let t = texture.value(phase) + grain.next()
                phase += texture.step.x
                let at = y * width + x
                r[at] += t; g[at] += t; b[at] += t
            }
        }
    }

    /// Writes interleaved RGB, adding texture and noise when given, applying exposure and clamping.
    func write(into pixels: inout [UInt8], exposure: Double, texture: Texture?, grain: Grain?) {
        let e = Float(exposure)
        var grain = grain
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = y * width
                var phase = Double(y) * (texture?.step.y ?? 0)
                for x in 0..<width {
                    let at = row + x
                    var t: Float = 0
                    if let texture {
                        t = texture.value(phase)
                        phase += texture.step.x
                    }
                    if grain != nil { t += grain!.next() }
                    out[at * 3] = Self.clamp((r[at] + t) * e)
                    out[at * 3 + 1] = Self.clamp((g[at] + t) * e)
                    out[at * 3 + 2] = Self.clamp((b[at] + t) * e)
                }
            }
        }
    }

    @inline(__always) static func clamp(_ value: Float) -> UInt8 {
        value <= 0 ? 0 : (value >= 255 ? 255 : UInt8(value + 0.5))
    }
}
