import PhotoAnalysis

/// SHA-256 of bytes as via reports it.
public enum PhotoAnalysisSHA {
    public static func of(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBytes { ContentHash.of($0) } }
}
