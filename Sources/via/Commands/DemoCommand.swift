import ArgumentParser
import Foundation
import PhotoAnalysis
import VIACore

/// `via demo`: a walk-through on built-in sample data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through via on built-in sample data in a fresh temporary folder.")

    @Option(help: "Keep the generated files in this folder instead of a temporary one.")
    var keep: String?

    func run() async throws {
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("via-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }

        let terminal = Terminal.standardOutput
        print(terminal.bold("via demo: photo analysis on synthesized photos in \(folder.path)\n"))
        let paths = try DemoPhotos.write(into: folder)
        let analyzer = PhotoAnalyzer()
        let report = PhotoReport(terminal: terminal)
        var unsound = 0
        await analyzer.analyze(paths: paths.map(\.path)) { index, facts in
            print(terminal.dim("# \(paths[index].story)"))
            print(report.render(facts))
            print("")
            if !facts.isSound { unsound += 1 }
        }
        print("\(paths.count) photos analysed: \(paths.count - unsound) sound, \(unsound) not sound.")
        print("Try it yourself: via photo FILE... [--json]")
    }
}

/// The demo's photos, each with the story of what is wrong (or right) with it.
enum DemoPhotos {
    struct Written {
        let path: String
        let story: String
    }

    static func write(into folder: URL) throws -> [Written] {
        func camera(_ time: String) -> ExifFields {
            var exif = ExifFields()
            exif.make = "Hikvision"
            exif.model = "DS-2CD2T47G2"
            exif.bodySerialNumber = "DS2CD2T47G2-0101"
            exif.dateTimeOriginal = time
            exif.subSecTimeOriginal = "120"
            exif.offsetTimeOriginal = "+08:00"
            exif.gps = GPSFields(latitude: 39.8170, longitude: 109.9770, altitude: 1052,
                                 dateStamp: "2026:10:18", timeStamp: (2, 1, 2))
            return exif
        }
        let scene = { (seed: UInt64) in SceneSpec(width: 1280, height: 960, seed: seed) }
        var written: [Written] = []
        func save(_ name: String, _ bytes: [UInt8], _ story: String) throws {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            written.append(Written(path: url.path, story: story))
        }
        let good = try SyntheticPhoto.make(PhotoSpec(scene: scene(1), exif: camera("2026:10:18 10:01:02")))
        try save("0111-left-front.jpg", good, "a sound lane-camera photo with EXIF time, camera serial and GPS")

        var editedExif = camera("2026:10:18 10:02:10")
        editedExif.software = "Adobe Photoshop 25.0 (Windows)"
        editedExif.dateTime = "2026:10:20 16:45:00"
        let edited = try SyntheticPhoto.make(PhotoSpec(
            scene: scene(2), exif: editedExif,
            xmp: XMPFields(creatorTool: "Adobe Photoshop 25.0 (Windows)", historySoftware: ["Adobe Photoshop 25.0 (Windows)"])))
        try save("0112-right-rear.jpg", edited, "re-saved in Photoshop two days later: Software, DateTime and XMP history say so")

        var darkSpec = scene(3)
        darkSpec.exposure = 0.12
        try save("0113-vin-dark.jpg", try SyntheticPhoto.make(PhotoSpec(scene: darkSpec, exif: camera("2026:10:18 10:03:30"))),
                 "underexposed: mean luminance far below normal")

        var blurred = scene(4)
        blurred.blurRadius = 6
        try save("0321-headlamp-blurred.jpg", try SyntheticPhoto.make(PhotoSpec(scene: blurred, exif: camera("2026:10:18 10:05:00"))),
                 "out of focus: low sharpness figure")

        let truncated = Array(good.prefix(good.count * 6 / 10))
        try save("0322-brake-truncated.jpg", truncated, "upload cut off at 60%: truncated, no EOI")

        var flipped = good
        let scanStart = MarkerWalker.walk(good).structure.segments.last { $0.marker == "SOS" }.map { $0.offset + 20 } ?? 1000
        for step in 0..<20 { flipped[scanStart + (flipped.count - scanStart - 10) * step / 20] ^= 0x24 }
        try save("0348-brake-corrupt.jpg", flipped, "20 damaged bytes inside the scan: corrupt data")

        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64)
        try save("0351-parking.jpg", png, "a PNG named .jpg")
        return written
    }
}
