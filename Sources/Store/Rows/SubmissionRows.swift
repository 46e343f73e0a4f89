import GRDB

struct BatchRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "batch"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var stationCode: String
    var batchId: String
    var contentSha256: String
    var manifest: String
    var receipt: String
    var recordCount: Int
    var submittedAt: Double

    enum Columns {
        static let stationCode = Column("station_code")
        static let batchId = Column("batch_id")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One version of one inspection record.
struct RecordRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "record"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var batchRow: Int64
    var stationCode: String
    var inspectionId: String
    var attempt: Int
    var retestOf: String?
    var version: Int
    var isCurrent: Bool
    var lane: String?
    var plate: String?
    var plateType: String?
    var vin: String?
    var vehicleType: String?
    var useType: String?
    var category: String?
    var startedAt: Double?
    var startedOffset: Int?
    var finishedAt: Double?
    var finishedOffset: Int?
    var odometerKm: Double?
    var status: String
    var sampled: Bool
    var ruleSetSha256: String?
    var checkMs: Double
    var raw: String
    var receivedAt: Double

    enum Columns {
        static let stationCode = Column("station_code")
        static let inspectionId = Column("inspection_id")
        static let attempt = Column("attempt")
        static let version = Column("version")
        static let isCurrent = Column("is_current")
        static let vin = Column("vin")
        static let batchRow = Column("batch_row")
    }

    /// Written column by column: the Codable path (with snake_case conversion) cost more than the insert itself,
    /// inside the one writer's transaction. `RowEncodingTests` checks both agree.
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["batch_row"] = batchRow
        container["station_code"] = stationCode
        container["inspection_id"] = inspectionId
        container["attempt"] = attempt
        container["retest_of"] = retestOf
        container["version"] = version
        container["is_current"] = isCurrent
        container["lane"] = lane
        container["plate"] = plate
        container["plate_type"] = plateType
        container["vin"] = vin
        container["vehicle_type"] = vehicleType
        container["use_type"] = useType
        container["category"] = category
        container["started_at"] = startedAt
        container["started_offset"] = startedOffset
        container["finished_at"] = finishedAt
        container["finished_offset"] = finishedOffset
        container["odometer_km"] = odometerKm
        container["status"] = status
        container["sampled"] = sampled
        container["rule_set_sha256"] = ruleSetSha256
        container["check_ms"] = checkMs
        container["raw"] = raw
        container["received_at"] = receivedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct BlobRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "blob"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var sha256: String
    var byteCount: Int
    var storedAt: Double

    /// Column by column, as `RecordRow` (one per photo stored).
    func encode(to container: inout PersistenceContainer) {
        container["sha256"] = sha256
        container["byte_count"] = byteCount
        container["stored_at"] = storedAt
    }
}

struct PhotoRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "photo"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var recordRow: Int64
    var position: Int
    var code: String?
    var file: String?
    var declaredTakenAt: Double?
    var device: String?
    var blobSha256: String?
    var sound: Bool
    var perceptualHash: Int64?
    var facts: String?

    enum Columns {
        static let recordRow = Column("record_row")
        static let blobSha256 = Column("blob_sha256")
    }

    /// Column by column, as `RecordRow` (one per photo entry).
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["record_row"] = recordRow
        container["position"] = position
        container["code"] = code
        container["file"] = file
        container["declared_taken_at"] = declaredTakenAt
        container["device"] = device
        container["blob_sha256"] = blobSha256
        container["sound"] = sound
        container["perceptual_hash"] = perceptualHash
        container["facts"] = facts
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct FindingRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "finding"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var recordRow: Int64
    var position: Int
    var rule: String
    var severity: String
    var photo: String?
    var field: String?
    var message: String
    var evidence: String

    enum Columns {
        static let recordRow = Column("record_row")
        static let rule = Column("rule")
    }

    /// Column by column, as `RecordRow` (one per finding).
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["record_row"] = recordRow
        container["position"] = position
        container["rule"] = rule
        container["severity"] = severity
        container["photo"] = photo
        container["field"] = field
        container["message"] = message
        container["evidence"] = evidence
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
