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
        static let version = Column("version")
        static let isCurrent = Column("is_current")
        static let vin = Column("vin")
        static let batchRow = Column("batch_row")
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

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
