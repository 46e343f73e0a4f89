import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read.
public enum FileReadError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notRegularFile(path: String)
    case tooLarge(path: String, size: Int, limit: Int)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .notRegularFile(path): return "\(path) is not a regular file"
        case let .tooLarge(path, size, limit): return "\(path) is \(size) bytes, over the limit of \(limit) bytes"
        case let .readFailed(path, reason): return "cannot read \(path): \(reason)"
        }
    }
}

/// Reads whole files with a size limit checked before any byte is read.
public enum FileReader {
    /// Reads a regular file; refuses files larger than `limit` bytes without reading them.
    public static func read(_ path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegularFile(path: path) }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(path: path, size: size, limit: limit) }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    break
                }
                if got == 0 { break } // the file shrank while we read it
                done += got
            }
            initialized = done
        }
        if let failure { throw .readFailed(path: path, reason: failure) }
        return bytes
    }
}
