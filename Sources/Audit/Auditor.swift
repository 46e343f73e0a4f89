import Foundation
import PhotoAnalysis
import Rules
import VIACore

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
    private let engines: RuleEngines

    public init(registry: StationRegistry, catalog: RuleSetCatalog, analyzer: PhotoAnalyzer = PhotoAnalyzer(),
                history: any History = InMemoryHistory()) throws(RuleSetConfigurationError) {
        self.init(registry: registry, catalog: catalog, engines: try RuleEngines(catalog: catalog), analyzer: analyzer, history: history)
    }

    /// With rule engines already built for `catalog` (they depend on the catalog alone; a server builds them once).
    public init(registry: StationRegistry, catalog: RuleSetCatalog, engines: RuleEngines, analyzer: PhotoAnalyzer = PhotoAnalyzer(),
                history: any History = InMemoryHistory()) {
        self.registry = registry
        self.catalog = catalog
        self.analyzer = analyzer
        self.history = history
        self.engines = engines
    }

    /// Audits a loaded batch: analyse every photo, then judge every record (in parallel, each against the history
    /// of the records before it plus `history`).
    public func audit(_ loaded: LoadedBatch, progress: (@Sendable (Int, Int) -> Void)? = nil) async -> AuditOutcome {
        let analysed = await analyse(loaded, progress: progress)
        let count = analysed.loaded.batch.records.count
        var audited: [AuditedRecord] = []
        audited.reserveCapacity(count)
        let context = JudgingContext(auditor: self, analysed: analysed, history: history)
        await forEachConcurrently(count, work: { index in context.judge(index) }, deliver: { _, record in audited.append(record) })
        return AuditOutcome(receipt: Receipt(batchId: analysed.loaded.batch.batchId, station: analysed.loaded.batch.station,
                                             records: audited.map(\.result)),
                            records: audited)
    }

    /// Analyses each distinct photo file once, all of them concurrently, and pairs every photo entry with its facts.
    /// `progress` is called with (photos done, photos total).
    /// `keep`, when given, receives each file's path, bytes and facts as soon as it is analysed (the submitter stores
    /// the bytes without reading the file again); bytes are nil for files whose facts were known already
    /// (`LoadedBatch.knownFacts`), which are not read again.
    public func analyse(_ loaded: LoadedBatch, progress: (@Sendable (Int, Int) -> Void)? = nil,
                        keep: (@Sendable (String, [UInt8]?, PhotoFacts) -> Void)? = nil) async -> AnalysedBatch {
        var unique: [String] = []
        var seen: Set<String> = []
        for paths in loaded.photoPaths {
            for case let path? in paths where seen.insert(path).inserted { unique.append(path) }
        }
        var analysed: [String: (facts: PhotoFacts, ms: Double)] = [:]
        let analyzer = self.analyzer
        let files = unique
        let known = loaded.knownSHA256
        let knownFacts = loaded.knownFacts
        await forEachConcurrently(files.count, work: { index -> (PhotoFacts, Double) in
            if let done = knownFacts[files[index]] {
                keep?(files[index], nil, done.facts)
                return (done.facts, done.ms)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            var kept: [UInt8]?
            let facts = analyzer.analyze(path: files[index], sha256: known[files[index]]) { bytes in if keep != nil { kept = bytes } }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if let keep, let kept { keep(files[index], kept, facts) }
            return (facts, ms)
        }, deliver: { index, result in
            analysed[files[index]] = result
            progress?(index + 1, files.count)
        })

        var photosByRecord: [[RecordPhoto]] = []
        var photoMs: [Double] = []
        for (record, paths) in zip(loaded.batch.records, loaded.photoPaths) {
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
        return AnalysedBatch(loaded: loaded, photos: photosByRecord, photoMs: photoMs)
    }

    /// Judges every record of an analysed batch in order, on the calling thread (for use inside a store
    /// transaction, whose history must not be shared across threads).
    public func judge(_ analysed: AnalysedBatch, history: any History) -> AuditOutcome {
        let context = JudgingContext(auditor: self, analysed: analysed, history: history)
        let audited = analysed.loaded.batch.records.indices.map { context.judge($0) }
        return AuditOutcome(receipt: Receipt(batchId: analysed.loaded.batch.batchId, station: analysed.loaded.batch.station,
                                             records: audited.map(\.result)),
                            records: audited)
    }

    fileprivate func engine(for ruleSet: RuleSet?) -> RuleEngine { engines.engine(for: ruleSet) }
}

/// Every concrete rule set's rules, configured: built once per catalog (configuring rules checks their parameters).
public struct RuleEngines: Sendable {
    private let engines: [String: RuleEngine]
    private let fallback: RuleEngine

    public init(catalog: RuleSetCatalog) throws(RuleSetConfigurationError) {
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
            fallback = try RuleEngine(ruleSet: nil)
        } catch {
            throw RuleSetConfigurationError(ruleSet: "(defaults)", error: error)
        }
    }

    /// The engine of `ruleSet`, or the defaults when there is none.
    public func engine(for ruleSet: RuleSet?) -> RuleEngine {
        ruleSet.flatMap { engines[$0.id] } ?? fallback
    }
}

/// A batch whose photos have been analysed, ready to be judged.
public struct AnalysedBatch: Sendable {
    public var loaded: LoadedBatch
    /// Per record, per photo entry: the entry with its facts.
    public var photos: [[RecordPhoto]]
    /// Per record: milliseconds spent analysing its photos.
    public var photoMs: [Double]

    /// SHA-256 of each readable photo file, in record and entry order (for batch content hashes).
    public var photoHashes: [String] { photos.flatMap { $0.map { $0.facts?.sha256 ?? "-" } } }
}

/// Everything needed to judge one record of a batch.
struct JudgingContext: Sendable {
    let auditor: Auditor
    let analysed: AnalysedBatch
    let history: any History
    let batchHistory: BatchHistory

    init(auditor: Auditor, analysed: AnalysedBatch, history: any History) {
        self.auditor = auditor
        self.analysed = analysed
        self.history = history
        let batch = analysed.loaded.batch
        batchHistory = BatchHistory(records: batch.records, photos: analysed.photos, station: batch.station, batchId: batch.batchId)
    }

    func judge(_ index: Int) -> AuditedRecord {
        let start = DispatchTime.now().uptimeNanoseconds
        let batch = analysed.loaded.batch
        let record = batch.records[index]
        let ruleSet = auditor.catalog.select(for: record)
        let context = RecordContext(
            stationCode: batch.station, batchId: batch.batchId, record: record, photos: analysed.photos[index],
            station: auditor.registry[batch.station],
            requirements: ruleSet?.requirements(for: record) ?? RecordRequirements(),
            history: CombinedHistory(history, batchHistory.before(index)), ruleSetId: ruleSet?.id)
        let findings = auditor.engine(for: ruleSet).evaluate(context)
        let status = StatusPolicy.status(for: findings)
        let inspectionId = record.inspectionId ?? record.label
        let sampled = status == .passed && (ruleSet.map {
            QASampling.isSampled(station: batch.station, inspectionId: inspectionId, rate: $0.sampling.rate, salt: $0.sampling.salt)
        } ?? false)
        let evaluationMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let result = RecordResult(inspectionId: inspectionId, attempt: record.attempt, status: status, sampled: sampled,
                                  ruleset: ruleSet?.reference,
                                  findings: findings, checkMs: ((analysed.photoMs[index] + evaluationMs) * 100).rounded() / 100)
        return AuditedRecord(record: record, result: result, ruleSet: ruleSet, photos: analysed.photos[index],
                             photoPaths: analysed.loaded.photoPaths[index])
    }
}
