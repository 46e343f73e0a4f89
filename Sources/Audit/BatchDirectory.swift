import Foundation
import VIACore

/// A batch directory read from disk: the parsed batch and where each photo file is.
public struct LoadedBatch: Sendable {
    public var batch: Batch
    /// The batch directory (resolved, no symlinks).
    public var directory: URL
    /// The exact bytes of batch.json (for idempotency checks when storing).
    public var manifest: Data
    /// Absolute path per record and photo entry; nil when the entry has no usable path.
    public var photoPaths: [[String?]]
    /// SHA-256 of files whose bytes were hashed as they arrived (uploads), by path: not hashed again.
    public var knownSHA256: [String: String]
    /// Facts (and analysis milliseconds) of files already analysed as they arrived (uploads), by path.
    public var knownFacts: [String: (facts: PhotoFacts, ms: Double)]
    /// The files are the submitter's to move: an upload's parts become blobs by a rename instead of a copy.
    public var ownsFiles: Bool

    public init(batch: Batch, directory: URL, manifest: Data, photoPaths: [[String?]], knownSHA256: [String: String] = [:],
                knownFacts: [String: (facts: PhotoFacts, ms: Double)] = [:], ownsFiles: Bool = false) {
        self.batch = batch
        self.directory = directory
        self.manifest = manifest
        self.photoPaths = photoPaths
        self.knownSHA256 = knownSHA256
        self.knownFacts = knownFacts
        self.ownsFiles = ownsFiles
    }
}

/// Reads a batch directory (SPEC §3) and refuses it whole when it is unsafe or malformed.
public enum BatchDirectory {
    /// batch.json larger than this is refused (a batch of thousands of records is far smaller).
    public static let manifestLimit = 64 << 20

    public static func load(_ path: String, registry: StationRegistry) throws(BatchRefusal) -> LoadedBatch {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BatchRefusal(file: path, message: "not a batch directory (expected a folder holding batch.json)")
        }
        guard let root = realPath(path) else {
            throw BatchRefusal(file: path, message: "cannot resolve the batch directory")
        }
        let directory = URL(fileURLWithPath: root, isDirectory: true)
        let manifestPath = directory.appendingPathComponent("batch.json").path
        let label = (path as NSString).appendingPathComponent("batch.json")
        let data: Data
        do {
            let info = try FileManager.default.attributesOfItem(atPath: manifestPath)
            if let size = info[.size] as? Int, size > manifestLimit {
                throw BatchRefusal(file: label, message: "batch.json is \(size) bytes, over the limit of \(manifestLimit)")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        } catch let refusal as BatchRefusal {
            throw refusal
        } catch {
            throw BatchRefusal(file: label, message: "cannot read batch.json: \(error.localizedDescription)")
        }
        let batch = try BatchParser.parse(data, file: label, isKnownStation: registry.contains)
        var paths: [[String?]] = []
        for record in batch.records {
            var recordPaths: [String?] = []
            for entry in record.photos {
                guard let file = entry.file else {
                    recordPaths.append(nil)
                    continue
                }
                let candidate = directory.appendingPathComponent(file).path
                // A path that exists must stay inside the batch directory once symlinks are resolved.
                if let resolved = realPath(candidate), !(resolved == root || resolved.hasPrefix(root + "/")) {
                    throw BatchRefusal(file: label, path: "$.records[\(record.index)].photos[\(entry.index)].file",
                                       message: "\"\(file)\" resolves through a symlink to \(resolved), outside the batch directory")
                }
                recordPaths.append(candidate)
            }
            paths.append(recordPaths)
        }
        return LoadedBatch(batch: batch, directory: directory, manifest: data, photoPaths: paths)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
