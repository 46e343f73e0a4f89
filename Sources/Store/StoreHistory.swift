import Foundation
import GRDB
import VIACore

/// The rules' `History` answered from the store: every stored photo of every station (all versions, so a photo
/// reused from a superseded submission still counts) and the current version of every inspection attempt.
///
/// Bound to one database connection; use it on the thread that owns the connection (inside `read`/`write`).
public struct StoreHistory: History, @unchecked Sendable {
    // GRDB's Database is confined to its access closure; the auditor judges sequentially inside it.
    let db: Database

    public init(_ db: Database) { self.db = db }

    static let photoSelect = """
        SELECT r.station_code, r.inspection_id, p.code, p.blob_sha256, p.perceptual_hash, b.batch_id, r.attempt
        FROM photo p JOIN record r ON r.id = p.record_row JOIN batch b ON b.id = r.batch_row
        """

    static func knownPhoto(_ row: Row) -> KnownPhoto? {
        guard let sha: String = row[3], let code: String = row[2] else { return nil }
        let hash: Int64? = row[4]
        return KnownPhoto(station: row[0], inspectionId: row[1], code: code, sha256: sha,
                          perceptualHash: hash.map { PerceptualHash.hex(UInt64(bitPattern: $0)) }, batchId: row[5], attempt: row[6])
    }

    public func photos(sha256: String) -> [KnownPhoto] {
        (try? Row.fetchAll(db.cachedStatement(sql: Self.photoSelect + " WHERE p.blob_sha256 = ? AND p.sound = 1"),
                           arguments: [sha256]).compactMap(Self.knownPhoto)) ?? []
    }

    public func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)] {
        guard let matches = try? PhotoHashIndex.lookup(db, hash: hash, within: distance), !matches.isEmpty else { return [] }
        var result: [(photo: KnownPhoto, distance: Int)] = []
        for match in matches.prefix(50) {
            if let row = try? Row.fetchOne(db.cachedStatement(sql: Self.photoSelect + " WHERE p.id = ?"), arguments: [match.photoRow]),
               let photo = Self.knownPhoto(row) {
                result.append((photo, match.distance))
            }
        }
        return result
    }

    public func inspections(vin: String) -> [KnownInspection] {
        let sql = """
            SELECT station_code, inspection_id, vin, started_at, started_offset, finished_at, finished_offset, odometer_km,
                   attempt, retest_of
            FROM record WHERE vin = ? AND is_current = 1
            """
        return (try? Row.fetchAll(db.cachedStatement(sql: sql), arguments: [vin]).map { row in
            KnownInspection(station: row[0], inspectionId: row[1], vin: row[2],
                            startedAt: Self.timestamp(row[3], row[4]), finishedAt: Self.timestamp(row[5], row[6]),
                            odometerKm: row[7], attempt: row[8], retestOf: row[9])
        }) ?? []
    }

    static func timestamp(_ seconds: Double?, _ offset: Int?) -> Timestamp? {
        seconds.map { Timestamp(date: Date(timeIntervalSince1970: $0), offsetSeconds: offset ?? 8 * 3600) }
    }
}
