import Audit
import Foundation
import PhotoAnalysis
import Synchronization
import VIACore

/// Analyses each photo of an upload as soon as its part has arrived, while the rest of the upload is still streaming
/// in: over a station's uplink the audit is then nearly done when the last byte lands, and the receipt follows at
/// once (随检随走). Photos are analysed one per core at a time, earliest upload first (the photo `AuditGate`), so a burst is
/// worked off first come first served as the audit gate does for whole uploads.
final class EarlyAnalysis: Sendable {
    private let analyzer: PhotoAnalyzer
    private let gate: AuditGate
    /// This upload's place in the gate's order.
    private let upload: UInt64
    private let tasks = Mutex<[String: Task<(facts: PhotoFacts, ms: Double)?, Never>]>([:])
    private let stopped = Atomic<Bool>(false)
    /// The files the manifest names, once it has been read (nil: not known yet, analyse every part).
    private let wanted = Mutex<Set<String>?>(nil)

    init(analyzer: PhotoAnalyzer, gate: AuditGate) {
        self.analyzer = analyzer
        self.gate = gate
        upload = gate.nextPlace()
    }

    /// Starts analysing a photo part that has just been written (`key`: its path in the batch).
    func start(key: String, photo: UploadedPhoto) {
        guard !stopped.load(ordering: .relaxed), wanted.withLock({ $0?.contains(key) ?? true }) else { return }
        let analyzer = self.analyzer, gate = self.gate
        let upload = self.upload
        let task = Task { () -> (facts: PhotoFacts, ms: Double)? in
            _ = await gate.enter(place: upload) // the photo gate has no waiting limit
            guard !Task.isCancelled else {
                await gate.leave()
                return nil
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let facts = analyzer.analyze(path: photo.path, sha256: photo.sha256) { _ in }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            await gate.leave()
            return (facts, ms)
        }
        tasks.withLock { $0[key] = task }
    }

    /// The upload's photos with the analyses done so far, waiting for those still running.
    func finish(_ photos: [String: UploadedPhoto]) async -> [String: UploadedPhoto] {
        let running = tasks.withLock { $0 }
        var result = photos
        for (key, task) in running {
            guard result[key] != nil, let analysis = await task.value else { continue }
            result[key]?.analysis = analysis
        }
        return result
    }

    /// Analyses only parts among `files` (the manifest's photo files) from now on, and cancels those of other parts
    /// not started yet (a manifest that comes after some photos).
    func limit(to files: Set<String>) {
        wanted.withLock { $0 = files }
        for (key, task) in tasks.withLock({ $0 }) where !files.contains(key) { task.cancel() }
    }

    /// Starts no more analyses and cancels those not started yet (the batch is stored already: the submitter answers
    /// from the store without them).
    func stop() {
        stopped.store(true, ordering: .relaxed)
        cancel()
    }

    /// Cancels analyses not started yet (the upload failed).
    func cancel() {
        for task in tasks.withLock({ $0.values }) { task.cancel() }
    }
}
