import Foundation
import VIACore

/// Human-readable rendering of `PhotoFacts` for `via photo` and the demo.
struct PhotoReport {
    let terminal: Terminal

    func render(_ facts: PhotoFacts) -> String {
        var lines: [String] = []
        let verdict: String
        if facts.isSound {
            let warnings = facts.integrity.problems.map(\.kind.rawValue)
            verdict = terminal.green("sound") + (warnings.isEmpty ? "" : terminal.yellow(" (" + warnings.joined(separator: ", ") + ")"))
        } else {
            verdict = terminal.red("NOT SOUND")
        }
        lines.append("\(terminal.bold(facts.file))  \(verdict)  \(Self.size(facts.byteCount))")
        for problem in facts.integrity.problems {
            let label = problem.severity == .error ? terminal.red(problem.kind.rawValue) : terminal.yellow(problem.kind.rawValue)
            lines.append("  \(label): \(problem.message)")
        }
        if let jpeg = facts.jpeg, jpeg.width > 0 {
            var format = "\(jpeg.width)x\(jpeg.height) \(jpeg.process), \(jpeg.components) component\(jpeg.components == 1 ? "" : "s")"
            if !jpeg.sampling.isEmpty { format += " (\(jpeg.sampling.joined(separator: " ")))" }
            if jpeg.scans > 1 { format += ", \(jpeg.scans) scans" }
            if jpeg.restartInterval > 0 { format += ", restart every \(jpeg.restartInterval) MCUs" }
            lines.append("  format    \(format)")
        }
        if let exif = facts.exif {
            var camera = [exif.make, exif.model].compactMap { $0 }.joined(separator: " ")
            if camera.isEmpty { camera = "unknown camera" }
            if let serial = exif.bodySerialNumber { camera += " (serial \(serial))" }
            lines.append("  camera    \(camera)")
            var taken = exif.dateTimeOriginal ?? "no DateTimeOriginal"
            if let sub = exif.subSecTimeOriginal { taken += ".\(sub)" }
            if let offset = exif.offsetTimeOriginal { taken += " \(offset)" }
            var time = "taken \(taken)"
            if let modified = exif.dateTime { time += " · modified \(modified)" }
            lines.append("  time      \(time)")
            var more: [String] = []
            if let software = exif.software { more.append("software \(software)") }
            if let orientation = exif.orientation { more.append("orientation \(orientation)") }
            if let exposure = exif.exposureTime { more.append("exposure \(Self.exposure(exposure))") }
            if let f = exif.fNumber { more.append(String(format: "f/%.1f", f)) }
            if let iso = exif.iso { more.append("ISO \(iso)") }
            if let thumbnail = exif.thumbnail { more.append("thumbnail \(thumbnail.length) bytes") }
            if !more.isEmpty { lines.append("  exif      " + more.joined(separator: " · ")) }
            if let gps = exif.gps {
                var position = [String]()
                if let lat = gps.latitude, let lon = gps.longitude { position.append(String(format: "%.6f, %.6f", lat, lon)) }
                if let altitude = gps.altitude { position.append(String(format: "%.1f m", altitude)) }
                if gps.dateStamp != nil || gps.timeStamp != nil {
                    position.append("\(gps.dateStamp ?? "?") \(gps.timeStamp ?? "?") UTC")
                }
                lines.append("  gps       " + position.joined(separator: " · "))
            }
        } else if facts.jpeg != nil {
            lines.append("  exif      none")
        }
        if let xmp = facts.xmp {
            var parts: [String] = []
            if let tool = xmp.creatorTool { parts.append("CreatorTool \(tool)") }
            parts += xmp.editingTraces
            lines.append("  xmp       " + (parts.isEmpty ? "present, no editing traces" : parts.joined(separator: " · ")))
        }
        if let figures = facts.figures {
            lines.append(String(format: "  figures   luminance %.1f · contrast %.1f · sharpness %.1f",
                                figures.meanLuminance, figures.contrast, figures.sharpness)
                         + " · phash \(figures.perceptualHash)")
        }
        if let sha = facts.sha256 { lines.append("  sha256    \(sha)") }
        return lines.joined(separator: "\n")
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000 { return String(format: "%.1f kB", Double(bytes) / 1_000) }
        return "\(bytes) B"
    }

    static func exposure(_ seconds: Double) -> String {
        seconds > 0 && seconds < 1 ? "1/\(Int((1 / seconds).rounded())) s" : String(format: "%.1f s", seconds)
    }
}
