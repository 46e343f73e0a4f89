import Foundation
import GRDB
@testable import Store
import Testing

/// The hot rows write their columns by hand (`encode(to:)`); they must write exactly what GRDB's Codable path would.
@Suite struct RowEncodingTests {
    /// GRDB's Codable-based encoding of any row, with the rows' snake_case column strategy.
    struct CodablePath<Row: Encodable>: Encodable, EncodableRecord {
        static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
        let row: Row
        func encode(to encoder: any Encoder) throws { try row.encode(to: encoder) }
    }

    func expectSameColumns<Row: Encodable & EncodableRecord>(_ row: Row, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let byHand = try row.databaseDictionary
        let byCodable = try CodablePath(row: row).databaseDictionary
        #expect(Set(byHand.keys) == Set(byCodable.keys), sourceLocation: sourceLocation)
        for (column, value) in byCodable {
            #expect(byHand[column] == value, "\(Row.self).\(column)", sourceLocation: sourceLocation)
        }
    }

    // Every field holds a distinct value, so a column written from the wrong field is caught.
    @Test func recordRow() throws {
        try expectSameColumns(RecordRow(
            id: 1, batchRow: 2, stationCode: "s", inspectionId: "i", attempt: 2, retestOf: "x", version: 3, isCurrent: true, lane: "l", plate: "p",
            plateType: "pt", vin: "v", vehicleType: "vt", useType: "u", category: "c", startedAt: 4.5, startedOffset: 6,
            finishedAt: 7.5, finishedOffset: 8, odometerKm: 9.5, status: "flagged", sampled: false, ruleSetSha256: "r",
            checkMs: 10.5, raw: "{}", receivedAt: 11.5))
        try expectSameColumns(RecordRow(
            id: nil, batchRow: 2, stationCode: "s", inspectionId: "i", attempt: 1, retestOf: nil, version: 1, isCurrent: false, lane: nil, plate: nil,
            plateType: nil, vin: nil, vehicleType: nil, useType: nil, category: nil, startedAt: nil, startedOffset: nil,
            finishedAt: nil, finishedOffset: nil, odometerKm: nil, status: "passed", sampled: true, ruleSetSha256: nil,
            checkMs: 0, raw: "", receivedAt: 0))
    }

    @Test func photoFindingAndBlobRows() throws {
        try expectSameColumns(PhotoRow(id: 1, recordRow: 2, position: 3, code: "0111", file: "f", declaredTakenAt: 4.5,
                                       device: "d", blobSha256: "b", sound: true, perceptualHash: -6, facts: "{}"))
        try expectSameColumns(PhotoRow(id: nil, recordRow: 2, position: 0, code: nil, file: nil, declaredTakenAt: nil,
                                       device: nil, blobSha256: nil, sound: false, perceptualHash: nil, facts: nil))
        try expectSameColumns(FindingRow(id: 1, recordRow: 2, position: 3, rule: "r", severity: "error", photo: "p",
                                         field: "f", message: "m", evidence: "{}"))
        try expectSameColumns(FindingRow(id: nil, recordRow: 2, position: 0, rule: "r", severity: "info", photo: nil,
                                         field: nil, message: "m", evidence: "{}"))
        try expectSameColumns(BlobRow(sha256: "s", byteCount: 1, storedAt: 2.5))
    }
}
