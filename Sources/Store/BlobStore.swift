import Crypto
import Foundation
import VIACore
#if canImport(Glibc)
import Glibc
#endif

/// Photos stored by content: `blobs/ab/cd/<sha256>`. Each file is written to a temporary name, fsync'd, renamed
/// into place and its directory fsync'd, so a blob that the database references is always complete on disk.
/// Identical photos are stored once.
public struct BlobStore: Sendable {
    public let root: URL

    private let rootPath: String

    public init(root: URL) {
        self.root = root
        rootPath = root.path.hasSuffix("/") ? String(root.path.dropLast()) : root.path
    }

    public func url(for sha256: String) -> URL { URL(fileURLWithPath: path(for: sha256), isDirectory: false) }

    /// `url(for:)` as a path (cheap: every upload looks up each of its photos).
    public func path(for sha256: String) -> String {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return "\(rootPath)/\(a)/\(b)/\(sha256)"
    }

    public func contains(_ sha256: String) -> Bool { existingSize(sha256) != nil }

    public func read(_ sha256: String) -> Data? { try? Data(contentsOf: url(for: sha256)) }

    /// Copies `path` into the store, checking that its content still hashes to `sha256`. Returns its size.
    @discardableResult
    public func store(file path: String, sha256: String) throws(StoreError) -> Int {
        let target = url(for: sha256)
        if let size = existingSize(sha256) { return size }
        let (temporary, size) = try writeTemporary(file: path, sha256: sha256, sync: true)
        try commit(temporary, to: target, path: path)
        Self.syncDirectory(target.deletingLastPathComponent().path)
        return size
    }

    /// Stores many files with two flushes instead of one per file: every new file is written to a temporary name,
    /// one `syncfs` makes all of them durable, then they are renamed into place and a second `syncfs` makes the
    /// names durable. A crash in between leaves only complete files or orphaned temporaries, never a partial blob
    /// under its final name. Returns SHA-256 → size.
    public func storeAll(_ files: [(path: String, sha256: String)], concurrency: Int = 8) async throws(StoreError) -> [String: Int] {
        var sizes: [String: Int] = [:]
        var pending: [(temporary: URL, target: URL, sha: String, path: String)] = []
        var failure: StoreError?
        var unique: [(path: String, sha256: String)] = []
        var seen: Set<String> = []
        for file in files where seen.insert(file.sha256).inserted {
            if let size = existingSize(file.sha256) { sizes[file.sha256] = size } else { unique.append(file) }
        }
        let work = unique
        await forEachConcurrently(work.count, concurrency: concurrency, work: { index -> Result<(URL, Int), StoreError> in
            Result { () throws(StoreError) -> (URL, Int) in try self.writeTemporary(file: work[index].path, sha256: work[index].sha256, sync: false) }
        }, deliver: { index, result in
            switch result {
            case let .success((temporary, size)):
                sizes[work[index].sha256] = size
                pending.append((temporary, url(for: work[index].sha256), work[index].sha256, work[index].path))
            case let .failure(error):
                if failure == nil { failure = error }
            }
        })
        if let failure {
            for item in pending { unlink(item.temporary.path) }
            throw failure
        }
        try publish(pending.map { ($0.temporary, $0.sha) })
        return sizes
    }

    /// Writes bytes already in memory (whose SHA-256 the caller computed) to a temporary file beside their final
    /// place, without flushing; `publish` makes them durable and visible. Nil when the blob is already stored.
    public func stage(_ bytes: [UInt8], sha256: String) throws(StoreError) -> URL? {
        guard existingSize(sha256) == nil else { return nil }
        let temporary = temporaryURL(for: sha256)
        var output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if output < 0 && errno == ENOENT {
            try? FileManager.default.createDirectory(at: temporary.deletingLastPathComponent(), withIntermediateDirectories: true)
            output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard output >= 0 else { throw .blobWriteFailed(path: temporary.path, reason: String(cString: strerror(errno))) }
        defer { close(output) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = Glibc.write(output, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += n
            }
        }
        if let failure {
            unlink(temporary.path)
            throw .blobWriteFailed(path: temporary.path, reason: failure)
        }
        return temporary
    }

    /// Makes files the caller owns (uploaded photos, each hashing to its `sha256`) blobs without copying a byte: each
    /// is flushed where it is and then renamed to its final name, so the name never shows an incomplete file; then
    /// the folders are flushed (with two filesystem flushes instead, past `perFileFlushLimit` files, as `publish`).
    /// Files whose blob is already stored stay where they are. Returns the files that could not be renamed because
    /// they are on another filesystem (an upload area elsewhere): the caller stages copies of those.
    public func publish(moving files: [(path: String, sha256: String)]) throws(StoreError) -> [(path: String, sha256: String)] {
        let pending = files.filter { existingSize($0.sha256) == nil }
        guard !pending.isEmpty else { return [] }
        let many = pending.count > Self.perFileFlushLimit
        if many {
            try syncFileSystem()
        } else {
            for file in pending { try flush(file.path) }
        }
        var elsewhere: [(path: String, sha256: String)] = []
        var folders: Set<String> = []
        for file in pending {
            let target = path(for: file.sha256)
            let folder = String(target[..<target.lastIndex(of: "/")!])
            var moved = rename(file.path, target) == 0
            if !moved && errno == ENOENT {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                moved = rename(file.path, target) == 0
            }
            if moved {
                folders.insert(folder)
            } else if errno == EXDEV {
                elsewhere.append(file)
            } else {
                throw .blobWriteFailed(path: file.path, reason: String(cString: strerror(errno)))
            }
        }
        if many {
            try syncFileSystem()
        } else {
            for folder in folders { Self.syncDirectory(folder) }
        }
        return elsewhere
    }

    private func temporaryURL(for sha256: String) -> URL {
        url(for: sha256).deletingLastPathComponent()
            .appendingPathComponent(".\(sha256).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    }

    /// Makes staged files durable, renames them into place, and makes the names durable. A few files (one vehicle's
    /// upload) are flushed one by one with their folders; many (a whole batch) with two whole-filesystem flushes,
    /// which cost the same whatever the count but also wait for everything else being written on that filesystem
    /// (other uploads arriving at `via serve`), so they only pay off for large batches.
    public func publish(_ staged: [(temporary: URL, sha256: String)]) throws(StoreError) {
        guard !staged.isEmpty else { return }
        if staged.count > Self.perFileFlushLimit {
            try syncFileSystem()
            for item in staged { try commit(item.temporary, to: url(for: item.sha256), path: item.temporary.path) }
            try syncFileSystem()
            return
        }
        for item in staged { try flush(item.temporary.path) }
        for item in staged { try commit(item.temporary, to: url(for: item.sha256), path: item.temporary.path) }
        for folder in Set(staged.map { url(for: $0.sha256).deletingLastPathComponent().path }) { Self.syncDirectory(folder) }
    }

    /// Up to this many staged files are flushed one by one.
    static let perFileFlushLimit = 64

    func flush(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw .blobWriteFailed(path: path, reason: reason)
        }
        close(descriptor)
    }

    /// Removes staged files that will not be published.
    public func discard(_ staged: [(temporary: URL, sha256: String)]) {
        for item in staged { unlink(item.temporary.path) }
    }

    func existingSize(_ sha256: String) -> Int? {
        var info = stat()
        guard stat(path(for: sha256), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    func syncFileSystem() throws(StoreError) {
        let descriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .blobWriteFailed(path: root.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard Self.syncfs(descriptor) == 0 else { throw .blobWriteFailed(path: root.path, reason: String(cString: strerror(errno))) }
    }

    /// syncfs(2) (Linux; not exported to Swift without _GNU_SOURCE), else sync(2).
    static let syncfs: @Sendable (Int32) -> Int32 = {
        if let symbol = dlsym(nil, "syncfs") {
            let function = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
            return { function($0) }
        }
        return { _ in sync(); return 0 }
    }()

    func commit(_ temporary: URL, to target: URL, path: String) throws(StoreError) {
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .blobWriteFailed(path: path, reason: reason)
        }
    }

    /// Copies a file to a temporary name beside its final place, hashing it on the way.
    func writeTemporary(file path: String, sha256: String, sync: Bool) throws(StoreError) -> (URL, Int) {
        let target = url(for: sha256)
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .blobWriteFailed(path: path, reason: error.localizedDescription)
        }
        let temporary = temporaryURL(for: sha256)
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
        if failure == nil && sync && fsync(output) != 0 { failure = String(cString: strerror(errno)) }
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
        return (temporary, size)
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

