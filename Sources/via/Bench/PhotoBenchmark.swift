import Foundation
import PhotoAnalysis
import VIACore
#if canImport(Glibc)
import Glibc
#endif

/// Throughput of one workload over a set of files.
struct ThroughputFigures: Codable, Sendable {
    var name: String
    var wallSeconds: Double
    var filesPerSecond: Double
    var megabytesPerSecond: Double
    var megapixelsPerSecond: Double
    /// CPU time used / (wall time × cores): 1.0 means every core was busy.
    var cpuUtilisation: Double
}

/// The figures `via bench photos` reports.
struct PhotoBenchmarkResult: Codable, Sendable {
    var files: Int
    var megabytes: Double
    var megapixels: Double
    var cores: Int
    var concurrency: Int
    var rounds: Int
    var decodeLoop: ThroughputFigures
    /// The same loop on libjpeg's careful Huffman path (what `--careful-huffman` analysis decodes with).
    var carefulDecodeLoop: ThroughputFigures
    var fullAnalysis: ThroughputFigures
    var metadataOnly: ThroughputFigures
    /// Full analysis throughput / plain decode-loop throughput (target ≥ 0.9).
    var ratio: Double
    /// Careful decode-loop throughput / plain decode-loop throughput: what careful decoding would cost.
    var carefulRatio: Double

    var summary: String {
        func line(_ f: ThroughputFigures) -> String {
            "  " + f.name.padding(toLength: 32, withPad: " ", startingAt: 0)
                + String(format: "%8.1f files/s %8.1f MB/s %8.1f MP/s   cpu %3.0f%%",
                         f.filesPerSecond, f.megabytesPerSecond, f.megapixelsPerSecond, f.cpuUtilisation * 100)
        }
        return """
            \(files) files, \(String(format: "%.1f", megabytes)) MB, \(String(format: "%.1f", megapixels)) MP; \
            \(cores) cores, \(concurrency) at once, best of \(rounds) rounds
            \(line(decodeLoop))
            \(line(carefulDecodeLoop))
            \(line(fullAnalysis))
            \(line(metadataOnly))
              full analysis / plain decode loop   = \(String(format: "%.2f", ratio)) (target ≥ 0.90)
              careful decode loop / plain loop    = \(String(format: "%.2f", carefulRatio)) (the price of --careful-huffman)
            """
    }
}

/// Measures full photo analysis against the practical limit: reading each file and decoding it with libjpeg at
/// 1/8 scale to greyscale, with the same parallelism.
struct PhotoBenchmark {
    let files: [String]
    let rounds: Int
    let concurrency: Int?

    func run() async -> PhotoBenchmarkResult {
        let width = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Warm the page cache and size the workload.
        var bytes = 0, pixels = 0
        for file in files {
            if let data = try? FileReader.read(file, limit: Int.max) {
                bytes += data.count
                pixels += MarkerWalker.walk(data).structure.pixelCount
            }
        }
        let paths = files
        let decodeLoop: @Sendable (Int) -> Int = { index in DecodeLoop.decode(paths[index]) }
        let carefulLoop: @Sendable (Int) -> Int = { index in DecodeLoop.decode(paths[index], careful: true) }
        let full = PhotoAnalyzer()
        let metadata = PhotoAnalyzer(decode: false)
        let analysis: @Sendable (Int) -> Int = { index in full.analyze(path: paths[index]).byteCount }
        let metadataOnly: @Sendable (Int) -> Int = { index in metadata.analyze(path: paths[index]).byteCount }

        var best: [String: (wall: Double, cpu: Double)] = [:]
        for _ in 0..<rounds {
            for (name, work) in [("decode loop (libjpeg 1/8 grey)", decodeLoop), ("careful decode loop", carefulLoop),
                                 ("full analysis", analysis),
                                 ("metadata only (--no-decode)", metadataOnly)] {
                let (wall, cpu) = await measure(width: width, work: work)
                if best[name].map({ wall < $0.wall }) ?? true { best[name] = (wall, cpu) }
            }
        }
        func figures(_ name: String) -> ThroughputFigures {
            let (wall, cpu) = best[name]!
            return ThroughputFigures(
                name: name, wallSeconds: wall, filesPerSecond: Double(files.count) / wall,
                megabytesPerSecond: Double(bytes) / 1e6 / wall, megapixelsPerSecond: Double(pixels) / 1e6 / wall,
                cpuUtilisation: cpu / (wall * Double(cores)))
        }
        let decode = figures("decode loop (libjpeg 1/8 grey)")
        let careful = figures("careful decode loop")
        let analysed = figures("full analysis")
        return PhotoBenchmarkResult(
            files: files.count, megabytes: Double(bytes) / 1e6, megapixels: Double(pixels) / 1e6,
            cores: cores, concurrency: width, rounds: rounds,
            decodeLoop: decode, carefulDecodeLoop: careful, fullAnalysis: analysed,
            metadataOnly: figures("metadata only (--no-decode)"),
            ratio: analysed.filesPerSecond / decode.filesPerSecond,
            carefulRatio: careful.filesPerSecond / decode.filesPerSecond)
    }

    private func measure(width: Int, work: @escaping @Sendable (Int) -> Int) async -> (Double, Double) {
        let cpuBefore = Self.cpuSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        var checksum = 0
        await forEachConcurrently(files.count, concurrency: width, work: work) { _, value in checksum &+= value }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(checksum >= 0)
        return (wall, Self.cpuSeconds() - cpuBefore)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
