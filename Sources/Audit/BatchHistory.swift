import VIACore

/// The batch's own records as history: record i sees the photos and inspections of records before it, so the
/// first occurrence of a photo counts as the original and only later copies are flagged.
struct BatchHistory {
    private(set) var seen = InMemoryHistory()

    mutating func add(_ record: InspectionRecord, photos: [RecordPhoto], station: String, batchId: String) {
        guard let inspectionId = record.inspectionId else { return }
        for photo in photos {
            guard let code = photo.code, let facts = photo.facts, facts.isSound, let sha = facts.sha256 else { continue }
            seen.add(KnownPhoto(station: station, inspectionId: inspectionId, code: code, sha256: sha,
                                perceptualHash: facts.figures?.perceptualHash, batchId: batchId))
        }
        if let vin = record.vin {
            seen.add(KnownInspection(station: station, inspectionId: inspectionId, vin: vin, startedAt: record.startedAt,
                                     finishedAt: record.finishedAt, odometerKm: record.odometerKm))
        }
    }
}
