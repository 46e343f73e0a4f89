/// A parsed `via-batch/1` submission.
public struct Batch: Sendable, Equatable {
    public static let format = "via-batch/1"

    public var station: String
    public var batchId: String
    public var records: [InspectionRecord]
    /// The whole batch.json as received.
    public var raw: JSONValue

    public init(station: String, batchId: String, records: [InspectionRecord], raw: JSONValue) {
        self.station = station
        self.batchId = batchId
        self.records = records
        self.raw = raw
    }
}

/// Why a batch is refused whole (nothing of it is audited or stored).
public struct BatchRefusal: Error, Equatable, CustomStringConvertible {
    /// The file the problem is in (batch.json, usually).
    public var file: String
    /// JSON path of the problem ("$.records[3].photos[1].file"), or nil for whole-file problems.
    public var path: String?
    public var message: String

    public init(file: String, path: String? = nil, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        if let path { return "\(file): \(path): \(message)" }
        return "\(file): \(message)"
    }
}
