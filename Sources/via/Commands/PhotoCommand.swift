import ArgumentParser
import Foundation
import PhotoAnalysis
import VIACore

/// Options that set photo-analysis limits; shared by every command that reads photos.
struct PhotoLimitOptions: ParsableArguments {
    @Option(name: .long, help: "Refuse photos larger than this many bytes, before reading them.")
    var maxBytes: Int = AnalysisLimits().maxBytes

    @Option(name: .long, help: "Refuse photos with more pixels than this, before decoding them.")
    var maxPixels: Int = AnalysisLimits().maxPixels

    @Flag(name: .long, help: "Decode on libjpeg's careful Huffman path: every invalid code is reported (slower).")
    var carefulHuffman = false

    func validate() throws {
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive, got \(maxBytes)") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive, got \(maxPixels)") }
    }

    var limits: AnalysisLimits { AnalysisLimits(maxBytes: maxBytes, maxPixels: maxPixels, carefulHuffman: carefulHuffman) }
}

/// `via photo FILE... [--json] [--no-decode]`: what via reads from photos.
struct PhotoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photo",
        abstract: "Show what via reads from photos: format, EXIF, GPS, XMP, hashes, quality figures, integrity.",
        discussion: """
            The file extension is never trusted. Exit 0 when every file is a sound JPEG, 65 when any is not \
            (like `jpeginfo -c`); trailing data and damaged EXIF are warnings.
            """)

    @Argument(help: "Photo files to analyse.")
    var files: [String] = []

    @Flag(name: .long, help: "Print one JSON array with an object per file.")
    var json = false

    @Flag(name: .long, help: "Read markers and metadata only; skip the entropy decode (no integrity check, no figures).")
    var noDecode = false

    @OptionGroup var limitOptions: PhotoLimitOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one photo file") }
    }

    func run() async throws {
        let analyzer = PhotoAnalyzer(limits: limitOptions.limits, decode: !noDecode)
        let report = PhotoReport(terminal: .standardOutput)
        var allSound = true
        var collected: [PhotoFacts] = []
        await analyzer.analyze(paths: files) { index, facts in
            allSound = allSound && facts.isSound
            if json {
                collected.append(facts)
            } else {
                if index > 0 { print("") }
                print(report.render(facts))
            }
        }
        if json { print(try JSONCoding.string(collected)) }
        if !allSound { throw ViaExit.dataError }
    }
}
