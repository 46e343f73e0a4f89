/// Helpers for 64-bit perceptual hashes (computed by PhotoAnalysis from the scaled decode).
public enum PerceptualHash {
    /// Number of differing bits between two hashes: 0 identical, ≤ ~10 visually the same picture.
    @inlinable
    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// Formats a hash as 16 lower-case hex digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
