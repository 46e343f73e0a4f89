import Crypto
import Foundation
import PhotoAnalysis
import Store
import VIACore

/// Why a submission was not stored.
public enum SubmissionError: Error, CustomStringConvertible {
    /// The batch is refused whole (SPEC §3).
    case refused(BatchRefusal)
    case store(StoreError)
    case rules(RuleSetConfigurationError)
    /// The store has no stations yet.
    case emptyRegistry(store: String)

    public var description: String {
        switch self {
        case let .refused(refusal): return "batch refused: \(refusal)"
        case let .store(error): return error.description
        case let .rules(error): return error.description
        case let .emptyRegistry(store): return "the store at \(store) has no stations; import them first with `via stations import FILE`"
        }
    }
}

/// Intake: validate a batch as `via check` does, then store it with its audit in one transaction (SPEC §3, §4).
public struct Submitter: Sendable {
    public let store: ViaStore
    public let catalog: RuleSetCatalog
    public let analyzer: PhotoAnalyzer

    public init(store: ViaStore, catalog: RuleSetCatalog, analyzer: PhotoAnalyzer = PhotoAnalyzer()) {
        self.store = store
        self.catalog = catalog
        self.analyzer = analyzer
    }

    /// Submits a batch directory. Same id and content as a stored batch: returns the stored receipt and changes
    /// nothing. Same id, different content: `StoreError.conflictingBatch`. `progress` receives (photos analysed, total).
    public func submit(directory: String, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(SubmissionError) -> CommitResult {
        let registry: StationRegistry
        do {
            registry = try store.registry()
        } catch {
            throw .store(error)
        }
        guard !registry.stations.isEmpty else { throw .emptyRegistry(store: store.directory.path) }
        let loaded: LoadedBatch
        do {
            loaded = try BatchDirectory.load(directory, registry: registry)
        } catch {
            throw .refused(error)
        }
        let batch = loaded.batch
        do {
            if let stored = try store.storedBatch(station: batch.station, batchId: batch.batchId) {
                // Decide without analysing anything: hash the files as they are now.
                let content = SubmissionContent.hash(manifest: loaded.manifest,
                                                     photoHashes: SubmissionContent.fileHashes(loaded, limit: analyzer.limits.maxBytes))
                guard content == stored.contentSHA256 else {
                    throw StoreError.conflictingBatch(station: batch.station, batchId: batch.batchId, storedAt: stored.submittedAt)
                }
                return .alreadyStored(stored.receipt)
            }
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.unusable(path: store.directory.path, reason: "\(error)"))
        }

        let auditor: Auditor
        do {
            auditor = try Auditor(registry: registry, catalog: catalog, analyzer: analyzer)
        } catch {
            throw .rules(error)
        }
        let analysed = await auditor.analyse(loaded, progress: progress)
        let header = SubmissionHeader(station: batch.station, batchId: batch.batchId,
                                      contentSHA256: SubmissionContent.hash(manifest: loaded.manifest, photoHashes: analysed.photoHashes),
                                      manifest: String(decoding: loaded.manifest, as: UTF8.self))
        let storedBlobs: [String: Int]
        do {
            storedBlobs = try await storeBlobs(analysed)
            return try store.commit(header, storedBlobs: storedBlobs) { history in auditor.judge(analysed, history: history) }
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.unusable(path: store.directory.path, reason: "\(error)"))
        }
    }

    /// Writes every readable photo file to `blobs/` (each distinct content once), before the transaction that will
    /// reference them.
    func storeBlobs(_ analysed: AnalysedBatch) async throws -> [String: Int] {
        var list: [(path: String, sha: String)] = []
        var seen: Set<String> = []
        for (photos, paths) in zip(analysed.photos, analysed.loaded.photoPaths) {
            for (photo, path) in zip(photos, paths) {
                guard let path, let sha = photo.facts?.sha256, seen.insert(sha).inserted else { continue }
                list.append((path, sha))
            }
        }
        let files = list
        let blobs = store.blobs
        var stored: [String: Int] = [:]
        var failure: StoreError?
        // Blob writes are I/O bound (fsync): more in flight than cores.
        await forEachConcurrently(files.count, concurrency: 8, work: { index -> Result<Int, StoreError> in
            Result { () throws(StoreError) -> Int in try blobs.store(file: files[index].path, sha256: files[index].sha) }
        }, deliver: { index, result in
            switch result {
            case let .success(size): stored[files[index].sha] = size
            case let .failure(error): if failure == nil { failure = error }
            }
        })
        if let failure { throw failure }
        return stored
    }
}

/// The identity of a batch's content: its batch.json and every photo file it references.
public enum SubmissionContent {
    /// SHA-256 over the manifest bytes and each photo entry's file hash ("-" when unreadable), in order.
    public static func hash(manifest: Data, photoHashes: [String]) -> String {
        var hasher = SHA256()
        hasher.update(data: manifest)
        for hash in photoHashes {
            hasher.update(data: Array("\n\(hash)".utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// File hashes of every photo entry read straight from disk, in the order `AnalysedBatch.photoHashes` uses.
    public static func fileHashes(_ loaded: LoadedBatch, limit: Int) -> [String] {
        loaded.photoPaths.flatMap { paths in
            paths.map { path -> String in
                guard let path, let bytes = try? FileReader.read(path, limit: limit), !bytes.isEmpty else { return "-" }
                return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            }
        }
    }
}
