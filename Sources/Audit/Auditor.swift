import Foundation
import PhotoAnalysis
import Rules
import VIACore

/// One record's complete audit: its result line plus everything a store keeps about it.
public struct AuditedRecord: Sendable {
    public var record: InspectionRecord
    public var result: RecordResult
    /// The rule set that judged it (nil when none applied).
    public var ruleSet: RuleSet?
    /// Per photo entry: what analysis read, when the file was found.
    public var photos: [RecordPhoto]
    /// Absolute file path per photo entry (nil when unusable).
    public var photoPaths: [String?]
}

/// The result of auditing a batch.
public struct AuditOutcome: Sendable {
    public var receipt: Receipt
    public var records: [AuditedRecord]
}

/// Rule sets whose parameters a rule rejects cannot judge anything; the loader reports these first.
public struct RuleSetConfigurationError: Error, CustomStringConvertible {
    public var ruleSet: String
    public var error: RuleConfigurationError
    public var description: String {
        "rule set \(ruleSet): rule \(error.rule): " + error.problems.map(\.description).joined(separator: "; ")
    }
}

/// The pipeline: analyse every photo (concurrently), choose each record's rule set, evaluate the rules with the
/// station registry and history, decide statuses and QA sampling, and write the receipt.
public struct Auditor: Sendable {
    public let registry: StationRegistry
    public let catalog: RuleSetCatalog
    public let analyzer: PhotoAnalyzer
    /// What was known before this batch (the store); the batch's own earlier records are added to it.
    public let history: any History
    private let engines: [String: RuleEngine]
    private let fallbackEngine: RuleEngine

    public init(registry: StationRegistry, catalog: RuleSetCatalog, analyzer: PhotoAnalyzer = PhotoAnalyzer(),
                history: any History = InMemoryHistory()) throws(RuleSetConfigurationError) {
        self.registry = registry
        self.catalog = catalog
        self.analyzer = analyzer
        self.history = history
        var engines: [String: RuleEngine] = [:]
        for ruleSet in catalog.ruleSets where !ruleSet.abstract {
            do {
                engines[ruleSet.id] = try RuleEngine(ruleSet: ruleSet)
            } catch {
                throw RuleSetConfigurationError(ruleSet: ruleSet.id, error: error)
            }
        }
        self.engines = engines
        do {
            fallbackEngine = try RuleEngine(ruleSet: nil)
        } catch {
            throw RuleSetConfigurationError(ruleSet: "(defaults)", error: error)
        }
    }

    /// Audits a loaded batch. `progress` is called after each record with (done, total).
    public func audit(_ loaded: LoadedBatch, progress: (@Sendable (Int, Int) -> Void)? = nil) async -> AuditOutcome {
        let batch = loaded.batch
        // Analyse each distinct file once, all of them concurrently.
        var unique: [String] = []
        var seen: Set<String> = []
        for paths in loaded.photoPaths {
            for case let path? in paths where seen.insert(path).inserted { unique.append(path) }
        }
        var analysed: [String: (facts: PhotoFacts, ms: Double)] = [:]
        let analyzer = self.analyzer
        let files = unique
        await forEachConcurrently(files.count, work: { index -> (PhotoFacts, Double) in
            let start = DispatchTime.now().uptimeNanoseconds
            let facts = analyzer.analyze(path: files[index])
            return (facts, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }, deliver: { index, result in analysed[files[index]] = result })

        let station = registry[batch.station]
        // Pair every entry with its facts, then judge the records in parallel: each one sees the history as it
        // stood before it, so the outcome does not depend on the order in which they finish.
        var photosByRecord: [[RecordPhoto]] = []
        var photoMs: [Double] = []
        for (record, paths) in zip(batch.records, loaded.photoPaths) {
            var photos: [RecordPhoto] = []
            var ms = 0.0
            for (entry, path) in zip(record.photos, paths) {
                guard let path, let found = analysed[path] else {
                    photos.append(RecordPhoto(entry: entry, facts: nil, unavailableReason: "photo \(entry.label) has no file path"))
                    continue
                }
                ms += found.ms
                var facts = found.facts
                facts.file = entry.file ?? facts.file // report the path as the station wrote it
                if facts.integrity.problems.contains(where: { $0.kind == .ioError }) {
                    photos.append(RecordPhoto(entry: entry, facts: nil,
                                              unavailableReason: "file \(entry.file ?? path) not found in the batch"))
                } else {
                    photos.append(RecordPhoto(entry: entry, facts: facts))
                }
            }
            photosByRecord.append(photos)
            photoMs.append(ms)
        }
        let batchHistory = BatchHistory(records: batch.records, photos: photosByRecord, station: batch.station, batchId: batch.batchId)
        let records = batch.records
        let judged = photosByRecord
        let analysisMs = photoMs
        let external = history
        var audited: [AuditedRecord] = []
        audited.reserveCapacity(records.count)
        await forEachConcurrently(records.count, work: { [self] index -> AuditedRecord in
            let start = DispatchTime.now().uptimeNanoseconds
            let record = records[index]
            let ruleSet = catalog.select(for: record)
            let engine = ruleSet.flatMap { engines[$0.id] } ?? fallbackEngine
            let context = RecordContext(
                stationCode: batch.station, batchId: batch.batchId, record: record, photos: judged[index], station: station,
                requirements: ruleSet?.requirements(for: record) ?? RecordRequirements(),
                history: CombinedHistory(external, batchHistory.before(index)), ruleSetId: ruleSet?.id)
            let findings = engine.evaluate(context)
            let status = StatusPolicy.status(for: findings)
            let inspectionId = record.label
            let sampled = status == .passed && (ruleSet.map {
                QASampling.isSampled(station: batch.station, inspectionId: inspectionId, rate: $0.sampling.rate, salt: $0.sampling.salt)
            } ?? false)
            let evaluationMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let result = RecordResult(inspectionId: inspectionId, status: status, sampled: sampled,
                                      ruleset: ruleSet?.reference, findings: findings,
                                      checkMs: ((analysisMs[index] + evaluationMs) * 100).rounded() / 100)
            return AuditedRecord(record: record, result: result, ruleSet: ruleSet, photos: judged[index],
                                 photoPaths: loaded.photoPaths[index])
        }, deliver: { index, record in
            audited.append(record)
            progress?(index + 1, records.count)
        })
        return AuditOutcome(receipt: Receipt(batchId: batch.batchId, station: batch.station, records: audited.map(\.result)),
                            records: audited)
    }
}
