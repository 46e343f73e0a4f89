/// A small deterministic generator (SplitMix64): same seed, same sequence, on every platform.
///
/// Used wherever via must be reproducible: QA sampling, synthetic photos, generated batches.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A double in the given range.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Roughly normal (sum of uniforms), mean 0, standard deviation 1.
    public mutating func gaussian() -> Double {
        var sum = 0.0
        for _ in 0..<6 { sum += unit() }
        return (sum - 3.0) * 1.414_213_562
    }

    /// True with the given probability.
    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }
}
