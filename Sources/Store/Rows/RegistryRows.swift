import GRDB

/// A station row (the registry lives in the store once imported).
struct StationRow: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "station"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var code: String
    var name: String
    var timezone: String
    var lat: Double?
    var lon: Double?
    var radiusM: Double?
    var updatedAt: Double

    enum Columns {
        static let code = Column("code")
    }
}

struct LaneRow: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "lane"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var stationCode: String
    var code: String
    /// Order of the lane in the registry file.
    var position: Int

    enum Columns {
        static let stationCode = Column("station_code")
        static let code = Column("code")
        static let position = Column("position")
    }
}

struct DeviceRow: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "device"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var stationCode: String
    var laneCode: String
    var id: String
    var make: String?
    var model: String?
    var serial: String?
    /// Order of the device on its lane.
    var position: Int
    /// Whether its photos carry EXIF (SPEC §2; `v7-honest-records`).
    var exif: Bool
    /// Where it burns its watermark: top, bottom, none, auto.
    var watermark: String

    enum Columns {
        static let stationCode = Column("station_code")
        static let laneCode = Column("lane_code")
        static let position = Column("position")
    }
}

/// A rule set's content, kept by its hash so that every judged record can be traced to the rules that judged it.
struct RuleSetRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "rule_set"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var sha256: String
    var id: String
    var content: String
    var firstUsedAt: Double
}
