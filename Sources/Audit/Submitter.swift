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
    /// The batch names another station than the one the caller may submit for (an intake token's station).
    case wrongStation(expected: String, declared: String)

    public var description: String {
        switch self {
        case let .refused(refusal): return "batch refused: \(refusal)"
        case let .store(error): return error.description
        case let .rules(error): return error.description
        case let .emptyRegistry(store): return "the store at \(store) has no stations; import them first with `via stations import FILE`"
        case let .wrongStation(expected, declared):
            return "the batch is for station \(declared), but this submission may only be for station \(expected)"
        }
    }
}

/// Intake: validate a batch as `via check` does, then store it with its audit in one transaction (SPEC §3, §4).
public struct Submitter: Sendable {
    public let store: ViaStore
    public let catalog: RuleSetCatalog
    public let analyzer: PhotoAnalyzer
    /// Built once: configuring every rule set's rules for each upload cost as much as judging it.
    private let engines: Result<RuleEngines, RuleSetConfigurationError>

    public init(store: ViaStore, catalog: RuleSetCatalog, analyzer: PhotoAnalyzer = PhotoAnalyzer()) {
        self.store = store
        self.catalog = catalog
        self.analyzer = analyzer
        engines = Result { () throws(RuleSetConfigurationError) -> RuleEngines in try RuleEngines(catalog: catalog) }
    }

    /// Submits a batch directory. Same id and content as a stored batch: returns the stored receipt and changes
    /// nothing. Same id, different content: `StoreError.conflictingBatch`. `progress` receives (photos analysed, total).
    /// `expectedStation`: when set (the station of an intake token), a batch for any other station is refused with
    /// `.wrongStation` before anything is analysed or stored; the check uses the batch exactly as it is stored.
    /// `phases` receives the milliseconds of each step (load, analyse, blobs, commit) for logs.
    public func submit(directory: String, expectedStation: String? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil,
                       phases: ((String, Double) -> Void)? = nil) async throws(SubmissionError) -> CommitResult {
        try await submit(expectedStation: expectedStation, progress: progress, phases: phases) { registry throws(BatchRefusal) in
            try BatchDirectory.load(directory, registry: registry)
        }
    }

    /// Submits a batch received by the intake server, exactly as `submit(directory:)` would submit the same batch
    /// written out as a directory. Photo files that become blobs are moved into the store, not copied; the caller
    /// removes whatever is left of the upload.
    /// `analysed` is awaited once the photos are analysed, before the blobs are flushed and the batch committed (both
    /// mostly wait on the disk): the server hands its CPU slot to the next upload there.
    public func submit(upload: UploadedBatch, expectedStation: String? = nil, phases: ((String, Double) -> Void)? = nil,
                       analysed: (@Sendable () async -> Void)? = nil) async throws(SubmissionError) -> CommitResult {
        try await submit(expectedStation: expectedStation, progress: nil, phases: phases, analysed: analysed) { [analyzer] registry throws(BatchRefusal) in
            try upload.load(registry: registry, maxBytes: analyzer.limits.maxBytes)
        }
    }

    private func submit(expectedStation: String?, progress: (@Sendable (Int, Int) -> Void)?, phases: ((String, Double) -> Void)?,
                        analysed analysedHook: (@Sendable () async -> Void)? = nil,
                        load: @escaping @Sendable (StationRegistry) throws(BatchRefusal) -> LoadedBatch)
        async throws(SubmissionError) -> CommitResult {
        var clock = DispatchTime.now().uptimeNanoseconds
        func phase(_ name: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            phases?(name, Double(now - clock) / 1e6)
            clock = now
        }
        // Reading the registry and the batch's files blocks; the analysis below is where the cores are needed.
        let (registry, loaded) = try await onBlockingThread { [store] () throws(SubmissionError) -> (StationRegistry, LoadedBatch) in
            let registry: StationRegistry
            do throws(StoreError) {
                registry = try store.registry()
            } catch {
                throw .store(error)
            }
            guard !registry.stations.isEmpty else { throw .emptyRegistry(store: store.directory.path) }
            do throws(BatchRefusal) {
                return (registry, try load(registry))
            } catch {
                throw .refused(error)
            }
        }
        let batch = loaded.batch
        if let expectedStation, batch.station != expectedStation {
            throw .wrongStation(expected: expectedStation, declared: batch.station)
        }
        do {
            if let stored = try store.storedBatch(station: batch.station, batchId: batch.batchId) {
                // Decide without analysing anything: hash the files as they are now.
                let photoHashes = SubmissionContent.fileHashes(loaded, limit: analyzer.limits.maxBytes)
                guard SubmissionContent.isSame(stored, manifest: loaded.manifest, photoHashes: photoHashes) else {
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
        switch engines {
        case let .success(engines): auditor = Auditor(registry: registry, catalog: catalog, engines: engines, analyzer: analyzer)
        case let .failure(error): throw .rules(error)
        }
        phase("load")
        // Photos of a directory are written to blobs/ while they are analysed (from the bytes already in memory); an
        // upload's files are moved there at publish. Either way they are durable before the transaction that
        // references them.
        let staging = BlobStaging(blobs: store.blobs, limit: analyzer.limits.maxBytes, moveFiles: loaded.ownsFiles)
        let analysed = await auditor.analyse(loaded, progress: progress, keep: staging.stage)
        phase("analyse")
        var header = SubmissionHeader(station: batch.station, batchId: batch.batchId,
                                      contentSHA256: SubmissionContent.hash(manifest: loaded.manifest, photoHashes: analysed.photoHashes),
                                      manifest: String(decoding: loaded.manifest, as: UTF8.self),
                                      encodedFacts: SubmissionHeader.encode(facts: analysed.photos.map { $0.map(\.facts) }))
        // A retry that rebuilt batch.json may have been stored meanwhile by a concurrent upload of the first try.
        header.isSameAs = { [manifest = loaded.manifest, photoHashes = analysed.photoHashes] stored in
            SubmissionContent.isSame(stored, manifest: manifest, photoHashes: photoHashes)
        }
        await analysedHook?()
        // Flushing blobs and committing wait on the disk: off the cooperative threads, so other uploads keep analysing.
        let (result, blobsMs, commitMs) = try await onBlockingThread { [store, header] () throws(SubmissionError) -> (CommitResult, Double, Double) in
            do throws(StoreError) {
                let start = DispatchTime.now().uptimeNanoseconds
                let storedBlobs = try staging.publish()
                let published = DispatchTime.now().uptimeNanoseconds
                let result = try store.commit(header, storedBlobs: storedBlobs) { history in auditor.judge(analysed, history: history) }
                return (result, Double(published - start) / 1e6, Double(DispatchTime.now().uptimeNanoseconds - published) / 1e6)
            } catch {
                throw .store(error)
            }
        }
        phases?("blobs", blobsMs)
        phases?("commit", commitMs)
        return result
    }
}

/// Collects photo bytes staged into blobs/ during analysis (thread-safe: analysis runs concurrently).
final class BlobStaging: @unchecked Sendable {
    private let blobs: BlobStore
    private let limit: Int
    private let lock = NSLock()
    private var staged: [(temporary: URL, sha256: String)] = []
    private var sizes: [String: Int] = [:]
    private var failure: StoreError?

    /// Move the files themselves into the store (they are the submitter's), copying only when that fails.
    private let moveFiles: Bool

    init(blobs: BlobStore, limit: Int, moveFiles: Bool = false) {
        self.blobs = blobs
        self.limit = limit
        self.moveFiles = moveFiles
    }

    /// Files to move into the store at `publish` (uploads), with their hashes.
    private var moves: [(path: String, sha256: String)] = []

    /// `bytes`: the file's bytes when they are in memory already. Files the submitter owns are only noted here and
    /// moved at `publish`, which runs on a blocking thread: renames and folder creation wait on the filesystem and
    /// must not hold the cooperative threads that analyse photos.
    func stage(path: String, bytes: [UInt8]?, facts: PhotoFacts) {
        guard let sha = facts.sha256, facts.byteCount <= limit else { return }
        lock.lock()
        let known = sizes[sha] != nil
        if !known { sizes[sha] = facts.byteCount }
        if !known && moveFiles { moves.append((path, sha)) }
        lock.unlock()
        guard !known, !moveFiles else { return }
        do throws(StoreError) {
            let content: [UInt8]
            if let bytes { content = bytes } else { content = try Self.read(path, limit: limit) }
            let temporary = try blobs.stage(content, sha256: sha)
            lock.lock()
            if let temporary { staged.append((temporary, sha)) }
            lock.unlock()
        } catch {
            lock.lock()
            if failure == nil { failure = error }
            lock.unlock()
        }
    }

    private static func read(_ path: String, limit: Int) throws(StoreError) -> [UInt8] {
        do { return try FileReader.read(path, limit: limit) } catch { throw .blobWriteFailed(path: path, reason: error.description) }
    }

    /// Publishes everything staged; returns SHA-256 → size of every photo now in blobs/.
    func publish() throws(StoreError) -> [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil && !moves.isEmpty {
            do throws(StoreError) {
                // Renamed into place (already flushed there); only files on another filesystem are copied.
                for move in try blobs.publish(moving: moves) {
                    if let temporary = try blobs.stage(Self.read(move.path, limit: limit), sha256: move.sha256) {
                        staged.append((temporary, move.sha256))
                    }
                }
            } catch {
                failure = error
            }
            moves.removeAll()
        }
        if let failure {
            blobs.discard(staged)
            throw failure
        }
        try blobs.publish(staged)
        return sizes
    }
}

/// The identity of a batch's content: its batch.json and every photo file it references.
public enum SubmissionContent {
    /// SHA-256 over the manifest bytes and each photo entry's file hash ("-" when unreadable), in order.
    public static func hash(manifest: Data, photoHashes: [String]) -> String {
        var hasher = ContentHash()
        manifest.withUnsafeBytes { hasher.update($0) }
        for hash in photoHashes {
            Array("\n\(hash)".utf8).withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Whether a batch carrying `manifest` and photos hashing to `photoHashes` is the stored batch again: byte for byte,
    /// or the same JSON written differently (indentation, key order, number spelling) with the same photo files —
    /// lane software that rebuilds batch.json for a retry must not be told its batch conflicts with itself.
    public static func isSame(_ stored: StoredBatch, manifest: Data, photoHashes: [String]) -> Bool {
        if hash(manifest: manifest, photoHashes: photoHashes) == stored.contentSHA256 { return true }
        let storedManifest = Data(stored.manifest.utf8)
        // The stored hash covers the stored manifest and the stored photos: equal with these photos, they are the same.
        guard hash(manifest: storedManifest, photoHashes: photoHashes) == stored.contentSHA256,
              let new = try? JSONDecoder().decode(JSONValue.self, from: manifest),
              let old = try? JSONDecoder().decode(JSONValue.self, from: storedManifest) else { return false }
        return new == old
    }

    /// File hashes of every photo entry (read straight from disk unless known), in the order
    /// `AnalysedBatch.photoHashes` uses.
    public static func fileHashes(_ loaded: LoadedBatch, limit: Int) -> [String] {
        loaded.photoPaths.flatMap { paths in
            paths.map { path -> String in
                if let path, let known = loaded.knownSHA256[path] { return known }
                guard let path, let bytes = try? FileReader.read(path, limit: limit), !bytes.isEmpty else { return "-" }
                return bytes.withUnsafeBytes { ContentHash.of($0) }
            }
        }
    }
}
