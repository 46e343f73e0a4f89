import ArgumentParser
import Foundation
import PhotoAnalysis
import VIACore

/// `via bench photos [DIR]`: full analysis throughput against a plain libjpeg decode loop over the same files.
struct BenchPhotosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photos",
        abstract: "Photo analysis throughput vs. the plain libjpeg 1/8 greyscale decode loop (the practical limit).",
        discussion: """
            Without DIR, synthesizes --generate photos of --size at --quality into a temporary folder first. \
            Each measurement runs --rounds times over all files; the best round is reported.
            """)

    @Argument(help: "Folder of photos (searched recursively).")
    var directory: String?

    @Option(help: "Photos to synthesize when no folder is given.")
    var generate = 24

    @Option(help: "Size of synthesized photos, WxH.")
    var size = "2560x1920"

    @Option(help: "JPEG quality of synthesized photos.")
    var quality = 88

    @Option(help: "Rounds per measurement.")
    var rounds = 3

    @Option(help: "Files analysed at once (default: active cores).")
    var concurrency: Int?

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
        guard generate > 0 else { throw ValidationError("--generate must be positive") }
        guard PhotoSize(size) != nil else { throw ValidationError("--size must look like 2560x1920, got '\(size)'") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        var cleanup: URL?
        let files: [String]
        if let directory {
            files = try PhotoFiles.list(directory)
            guard !files.isEmpty else {
                printError("via: no files under \(directory)")
                throw ViaExit.dataError
            }
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-\(getpid())")
            cleanup = folder
            let dimensions = PhotoSize(size)!
            if !json { print("synthesizing \(generate) photos of \(size) at quality \(quality) in \(folder.path)…") }
            files = try await PhotoFiles.synthesize(count: generate, width: dimensions.width, height: dimensions.height,
                                                    quality: quality, into: folder)
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }

        let result = await PhotoBenchmark(files: files, rounds: rounds, concurrency: concurrency).run()
        if json {
            print(try JSONCoding.string(result))
        } else {
            print(result.summary)
        }
    }
}

/// A "WxH" size argument.
struct PhotoSize {
    let width: Int
    let height: Int

    init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0, w <= 20000, h <= 20000 else { return nil }
        width = w
        height = h
    }
}
