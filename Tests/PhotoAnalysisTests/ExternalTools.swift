import Foundation
import Testing

/// Reference tools installed by `make deps` (libjpeg-turbo-progs, libimage-exiftool-perl).
enum ExternalTools {
    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed; run `make deps`" }
    }

    static func find(_ tool: String) throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw Missing(tool: tool)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try find(tool))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, outData, errData)
    }

    /// True when djpeg prints any warning or error for the file (libjpeg's own verdict on the data).
    static func djpegComplains(_ path: String) throws -> Bool {
        let result = try run("djpeg", ["-scale", "1/8", "-grayscale", "-outfile", "/dev/null", path])
        return result.status != 0 || !result.stderr.isEmpty
    }
}
