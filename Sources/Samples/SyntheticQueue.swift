import Foundation
import Store
import VIACore

/// Fills a store's review queue quickly with flagged records that have no photos: for benchmarks of the queue
/// at scale and for tests of review mechanics. Each record is the canonical example inspection with its own id.
public enum SyntheticQueue {
    /// Commits `count` flagged records in batches of `batchSize` and returns their inspection ids.
    @discardableResult
    public static func fill(_ store: ViaStore, ruleSet: RuleSet, count: Int, station: String = ExampleWorld.stationCode,
                            prefix: String = "Q", batchSize: Int = 500, severity: Severity = .error,
                            at date: Date = Date()) throws -> [String] {
        var ids: [String] = []
        var start = 0
        while start < count {
            let end = min(count, start + batchSize)
            var audited: [AuditedRecord] = []
            for index in start..<end {
                let id = "\(prefix)\(String(format: "%07d", index))"
                ids.append(id)
                var json = ExampleWorld().record
                json["inspection_id"] = .string(id)
                let record = InspectionRecord.parse(.object(json), index: index - start)
                let finding = Finding(rule: "photo.time_window", severity: severity, photo: "0111",
                                      message: "photo 0111: EXIF time is two days before the inspection", evidence: ["skew_s": 172800])
                let result = RecordResult(inspectionId: id, status: .flagged, sampled: false, ruleset: ruleSet.reference,
                                          findings: [finding], checkMs: 1)
                audited.append(AuditedRecord(record: record, result: result, ruleSet: ruleSet, photos: [], photoPaths: []))
            }
            let batchId = "\(prefix)-\(Int(date.timeIntervalSince1970))-\(start)"
            let receipt = Receipt(batchId: batchId, station: station, records: audited.map(\.result))
            let header = SubmissionHeader(station: station, batchId: batchId,
                                          contentSHA256: String(repeating: "0", count: 63) + String(start % 10), manifest: "{}")
            _ = try store.commit(header, storedBlobs: [:], at: date) { _ in AuditOutcome(receipt: receipt, records: audited) }
            start = end
        }
        return ids
    }
}
