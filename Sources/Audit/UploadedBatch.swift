import Foundation
import VIACore

/// One photo file received by the intake server: written once to `path` as it streamed in, hashed on the way.
public struct UploadedPhoto: Sendable {
    /// Where the bytes are (a file of the server's upload area; the submitter may move it into the blob store).
    public var path: String
    public var byteCount: Int
    /// SHA-256 of the bytes, lowercase hex, computed while they were written.
    public var sha256: String
    /// The photo's analysis when it was done as soon as the part arrived (while the rest of the upload streamed in),
    /// with its milliseconds; nil: analysed with the batch.
    public var analysis: (facts: PhotoFacts, ms: Double)?

    public init(path: String, byteCount: Int, sha256: String, analysis: (facts: PhotoFacts, ms: Double)? = nil) {
        self.path = path
        self.byteCount = byteCount
        self.sha256 = sha256
        self.analysis = analysis
    }
}

/// A batch received over HTTP (issue 7): batch.json's bytes and the photo parts by their relative path. It is
/// audited exactly as the same batch read from a directory, without assembling that directory first.
public struct UploadedBatch: Sendable {
    public var manifest: Data
    /// Photo parts by `UploadedBatch.key(for:)` of their filename.
    public var photos: [String: UploadedPhoto]
    /// A path under which nothing exists: entries naming a file that was not uploaded point there, so they are
    /// reported exactly as a file missing from a batch directory ("not found in the batch").
    public var absentRoot: String

    public init(manifest: Data, photos: [String: UploadedPhoto], absentRoot: String) {
        self.manifest = manifest
        self.photos = photos
        self.absentRoot = absentRoot
    }

    /// The lookup key of a relative path: components joined by "/", without empty or "." components, so that
    /// `a//b.jpg` and `./a/b.jpg` name the same file as `a/b.jpg`, as they would in a directory.
    public static func key(for path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// Parses batch.json against the registry and pairs every photo entry with its uploaded file. Hashes are passed
    /// on only for files the analysis would hash itself (1 to `maxBytes` bytes), so that content hashes agree with
    /// those of the same batch submitted from a directory.
    public func load(registry: StationRegistry, maxBytes: Int) throws(BatchRefusal) -> LoadedBatch {
        let batch = try BatchParser.parse(manifest, file: "batch.json", isKnownStation: registry.contains)
        var known: [String: String] = [:]
        var analysed: [String: (facts: PhotoFacts, ms: Double)] = [:]
        let paths = batch.records.map { record in
            record.photos.map { entry -> String? in
                guard let file = entry.file else { return nil }
                let key = Self.key(for: file)
                guard let photo = photos[key] else { return absentRoot + "/" + (key.isEmpty ? "-" : key) }
                if (1...max(1, maxBytes)).contains(photo.byteCount) { known[photo.path] = photo.sha256 }
                if let analysis = photo.analysis { analysed[photo.path] = analysis }
                return photo.path
            }
        }
        return LoadedBatch(batch: batch, directory: URL(fileURLWithPath: absentRoot, isDirectory: true), manifest: manifest,
                           photoPaths: paths, knownSHA256: known, knownFacts: analysed, ownsFiles: true)
    }
}
