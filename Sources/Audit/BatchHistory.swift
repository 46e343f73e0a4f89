import VIACore

/// The batch's own records as history. Record i sees the photos and inspections of records before it, so the
/// first occurrence of a photo counts as the original and only later copies are flagged. Built once after the
/// photos are analysed; each record gets a prefix view of it, so records can be judged in parallel.
struct BatchHistory {
    private(set) var all = InMemoryHistory()
    /// Photo and inspection counts before each record.
    private var starts: [(photos: Int, inspections: Int)] = []

    init(records: [InspectionRecord], photos: [[RecordPhoto]], station: String, batchId: String) {
        for (record, recordPhotos) in zip(records, photos) {
            starts.append((all.knownPhotos.count, all.knownInspections.count))
            guard let inspectionId = record.inspectionId else { continue }
            for photo in recordPhotos {
                guard let code = photo.code, let facts = photo.facts, facts.isSound, let sha = facts.sha256 else { continue }
                all.add(KnownPhoto(station: station, inspectionId: inspectionId, code: code, sha256: sha,
                                   perceptualHash: facts.figures?.perceptualHash, batchId: batchId, attempt: record.attempt))
            }
            if let vin = record.vin {
                all.add(KnownInspection(station: station, inspectionId: inspectionId, vin: vin, startedAt: record.startedAt,
                                        finishedAt: record.finishedAt, odometerKm: record.odometerKm, attempt: record.attempt,
                                        retestOf: record.retestOf))
            }
        }
    }

    /// What record `index` may see: everything from the records before it.
    func before(_ index: Int) -> any History {
        all.prefix(photos: starts[index].photos, inspections: starts[index].inspections)
    }
}
