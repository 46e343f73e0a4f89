import Audit
import Foundation
import PhotoAnalysis
import Samples
import VIACore

/// Figures of `via bench check`.
struct CheckBenchmarkResult: Codable, Sendable {
    var records: Int
    var photos: Int
    var megabytes: Double
    var auditSeconds: Double
    var recordsPerSecond: Double
    var photosPerSecond: Double
    /// Plain libjpeg decode loop over the same photos (the practical limit).
    var decodeLoopPhotosPerSecond: Double
    var ratio: Double
    var checkMsP50: Double
    var checkMsP99: Double
    var score: SampleScore
    var statuses: ReceiptSummary

    var summary: String {
        """
        \(records) records, \(photos) photos, \(String(format: "%.1f", megabytes)) MB
          audit: \(String(format: "%.2f", auditSeconds)) s, \(String(format: "%.1f", recordsPerSecond)) records/s, \
        \(String(format: "%.1f", photosPerSecond)) photos/s
          plain decode loop over the same photos: \(String(format: "%.1f", decodeLoopPhotosPerSecond)) photos/s; \
        audit / decode = \(String(format: "%.2f", ratio))
          check_ms per record: p50 \(String(format: "%.1f", checkMsP50)), p99 \(String(format: "%.1f", checkMsP99))
          statuses: \(statuses.passed) passed, \(statuses.returned) returned, \(statuses.flagged) flagged
          \(score.summary)
        """ + (score.misses.isEmpty ? "" : "\n  missed: " + score.misses.prefix(10).map { "\($0.inspectionId) \($0.expectedRule)" }.joined(separator: ", "))
            + (score.falseFlags.isEmpty ? "" : "\n  false flags: " + score.falseFlags.prefix(10).map { "\($0.inspectionId) \($0.findings.first ?? "")" }.joined(separator: "; "))
    }
}

/// Audits a labelled batch and measures it against the decode loop.
struct CheckBenchmark {
    let folder: URL
    let registry: StationRegistry
    let catalog: RuleSetCatalog
    let labels: SampleLabels

    func run() async throws -> CheckBenchmarkResult {
        let loaded = try BatchDirectory.load(folder.path, registry: registry)
        let files = Array(Set(loaded.photoPaths.joined().compactMap { $0 })).sorted()
        var bytes = 0
        for file in files { bytes += (try? FileReader.read(file, limit: Int.max).count) ?? 0 } // also warms the cache
        let auditor = try Auditor(registry: registry, catalog: catalog)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = await auditor.audit(loaded)
        let auditSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let decodeSeconds = await DecodeLoop.seconds(files)

        let times = outcome.receipt.records.map(\.checkMs).sorted()
        func percentile(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
        return CheckBenchmarkResult(
            records: outcome.receipt.records.count, photos: files.count, megabytes: Double(bytes) / 1e6,
            auditSeconds: auditSeconds, recordsPerSecond: Double(outcome.receipt.records.count) / auditSeconds,
            photosPerSecond: Double(files.count) / auditSeconds,
            decodeLoopPhotosPerSecond: Double(files.count) / decodeSeconds,
            ratio: decodeSeconds / auditSeconds,
            checkMsP50: percentile(0.5), checkMsP99: percentile(0.99),
            score: SampleScore(labels: labels, receipt: outcome.receipt), statuses: outcome.receipt.summary)
    }
}
