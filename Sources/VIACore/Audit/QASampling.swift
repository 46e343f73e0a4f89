/// Deterministic QA sampling: a fixed fraction of passed records still goes to review, chosen by a hash of the
/// record's identity so that the same record is always (or never) sampled, whoever checks it.
public enum QASampling {
    /// 64-bit FNV-1a: tiny, stable across platforms and releases.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func isSampled(station: String, inspectionId: String, rate: Double, salt: String) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        let value = fnv1a("\(salt)|\(station)|\(inspectionId)")
        return Double(value >> 11) * 0x1.0p-53 < rate
    }
}
