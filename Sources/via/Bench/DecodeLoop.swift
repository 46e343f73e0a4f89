import Dispatch
import PhotoAnalysis
import VIACore

/// The practical limit every benchmark compares against: plain libjpeg, memory source, 1/8 greyscale, no pixels
/// kept, every file once, on all cores.
enum DecodeLoop {
    /// Decodes one file; its width (0 when unreadable), so the work cannot be optimised away.
    static func decode(_ path: String, careful: Bool = false) -> Int {
        guard let data = try? FileReader.read(path, limit: Int.max) else { return 0 }
        return JPEGDecoder.decode(data, options: DecodeOptions(scaleDenominator: 8, grayscale: true, keepPixels: false,
                                                               strictHuffman: careful)).width
    }

    /// Seconds to decode every file once.
    static func seconds(_ files: [String]) async -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        await forEachConcurrently(files.count, work: { index in decode(files[index]) }, deliver: { _, _ in })
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
