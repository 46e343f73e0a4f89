import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Photos stored by content: `blobs/ab/cd/<sha256>`. Each file is written to a temporary name, fsync'd, renamed
/// into place and its directory fsync'd, so a blob that the database references is always complete on disk.
/// Identical photos are stored once.
public struct BlobStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func url(for sha256: String) -> URL {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return root.appendingPathComponent(String(a)).appendingPathComponent(String(b)).appendingPathComponent(sha256)
    }

    public func contains(_ sha256: String) -> Bool { FileManager.default.fileExists(atPath: url(for: sha256).path) }

    public func read(_ sha256: String) -> Data? { try? Data(contentsOf: url(for: sha256)) }

    /// Copies `path` into the store, checking that its content still hashes to `sha256`. Returns its size.
    @discardableResult
    public func store(file path: String, sha256: String) throws(StoreError) -> Int {
        let target = url(for: sha256)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: target.path), let size = attributes[.size] as? Int {
            return size
        }
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .blobWriteFailed(path: path, reason: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(".\(sha256).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .blobWriteFailed(path: path, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        let output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw .blobWriteFailed(path: path, reason: String(cString: strerror(errno))) }
        var hasher = SHA256()
        var size = 0
        var failure: String?
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        copying: while true {
            let got = Glibc.read(input, buffer.baseAddress!, buffer.count)
            if got < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            if got == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<got])
            hasher.update(bufferPointer: chunk)
            var written = 0
            while written < got {
                let n = Glibc.write(output, chunk.baseAddress! + written, got - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    break copying
                }
                written += n
            }
            size += got
        }
        if failure == nil && fsync(output) != 0 { failure = String(cString: strerror(errno)) }
        close(output)
        if let failure {
            unlink(temporary.path)
            throw .blobWriteFailed(path: path, reason: failure)
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard digest == sha256 else {
            unlink(temporary.path)
            throw .photoChanged(path: path)
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .blobWriteFailed(path: path, reason: reason)
        }
        Self.syncDirectory(directory.path)
        return size
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
