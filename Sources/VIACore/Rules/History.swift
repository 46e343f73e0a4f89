import Foundation

/// A photo already known to via (stored, or earlier in the same batch).
public struct KnownPhoto: Sendable, Equatable, Codable {
    public var station: String
    public var inspectionId: String
    public var code: String
    public var sha256: String
    /// 16 hex digits, when the photo decoded.
    public var perceptualHash: String?
    public var batchId: String?
    /// The attempt of the inspection the photo was submitted with (a re-test's photos are its own).
    public var attempt: Int

    public init(station: String, inspectionId: String, code: String, sha256: String, perceptualHash: String? = nil,
                batchId: String? = nil, attempt: Int = 1) {
        self.station = station
        self.inspectionId = inspectionId
        self.code = code
        self.sha256 = sha256
        self.perceptualHash = perceptualHash
        self.batchId = batchId
        self.attempt = attempt
    }

    /// Whether the photo belongs to this very submission's inspection and attempt (an earlier version of it).
    public func isOf(station: String, inspectionId: String?, attempt: Int) -> Bool {
        self.station == station && self.inspectionId == inspectionId && self.attempt == attempt
    }
}

/// An earlier inspection of a vehicle.
public struct KnownInspection: Sendable, Equatable, Codable {
    public var station: String
    public var inspectionId: String
    public var vin: String
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    public var odometerKm: Double?
    public var attempt: Int
    /// The earlier attempt's inspection id, when a re-test was registered under a serial of its own.
    public var retestOf: String?

    public init(station: String, inspectionId: String, vin: String, startedAt: Timestamp?, finishedAt: Timestamp?,
                odometerKm: Double?, attempt: Int = 1, retestOf: String? = nil) {
        self.station = station
        self.inspectionId = inspectionId
        self.vin = vin
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.odometerKm = odometerKm
        self.attempt = attempt
        self.retestOf = retestOf
    }

    /// An earlier submission of the same inspection and attempt (a resubmission's predecessor).
    public func isSameSubmission(station: String, record: InspectionRecord) -> Bool {
        self.station == station && inspectionId == record.inspectionId && attempt == record.attempt
    }

    /// The same inspection at any attempt, or the attempt a re-test registered under its own serial refers to:
    /// the same vehicle visit, not a second vehicle on another lane.
    public func isSameInspection(station: String, record: InspectionRecord) -> Bool {
        guard self.station == station else { return false }
        return inspectionId == record.inspectionId || (record.retestOf != nil && inspectionId == record.retestOf)
            || (retestOf != nil && retestOf == record.inspectionId)
    }
}

/// Everything rules may know beyond the record itself: photos and inspections seen before.
///
/// `via check` answers from the batch (records before the one judged); `via submit` and the server answer from the
/// store as well. Rules never see a database, so each one is testable with a few literal entries.
public protocol History: Sendable {
    /// Photos with exactly this content.
    func photos(sha256: String) -> [KnownPhoto]
    /// Photos whose perceptual hash lies within `distance` bits, with their distance.
    func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)]
    /// Earlier inspections of a VIN, at any station.
    func inspections(vin: String) -> [KnownInspection]
}

/// A history held in memory: the batch being checked, rule examples and tests.
public struct InMemoryHistory: History {
    public private(set) var knownPhotos: [KnownPhoto] = []
    public private(set) var knownInspections: [KnownInspection] = []
    private var hashes: [UInt64?] = []
    private var bySHA: [String: [Int]] = [:]
    private var byVIN: [String: [Int]] = [:]

    public init(photos: [KnownPhoto] = [], inspections: [KnownInspection] = []) {
        for photo in photos { add(photo) }
        for inspection in inspections { add(inspection) }
    }

    public mutating func add(_ photo: KnownPhoto) {
        bySHA[photo.sha256, default: []].append(knownPhotos.count)
        hashes.append(photo.perceptualHash.flatMap { UInt64($0, radix: 16) })
        knownPhotos.append(photo)
    }

    public mutating func add(_ inspection: KnownInspection) {
        byVIN[inspection.vin, default: []].append(knownInspections.count)
        knownInspections.append(inspection)
    }

    public func photos(sha256: String) -> [KnownPhoto] { photos(sha256: sha256, limit: knownPhotos.count) }

    public func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)] {
        photos(near: hash, within: distance, limit: knownPhotos.count)
    }

    public func inspections(vin: String) -> [KnownInspection] { inspections(vin: vin, limit: knownInspections.count) }

    /// The history as it stood after the first `photos` photos and `inspections` inspections were added; shares
    /// storage with this one (nothing is copied).
    public func prefix(photos: Int, inspections: Int) -> some History {
        Prefix(base: self, photoLimit: photos, inspectionLimit: inspections)
    }

    struct Prefix: History {
        let base: InMemoryHistory
        let photoLimit: Int
        let inspectionLimit: Int

        func photos(sha256: String) -> [KnownPhoto] { base.photos(sha256: sha256, limit: photoLimit) }
        func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)] {
            base.photos(near: hash, within: distance, limit: photoLimit)
        }
        func inspections(vin: String) -> [KnownInspection] { base.inspections(vin: vin, limit: inspectionLimit) }
    }

    func photos(sha256: String, limit: Int) -> [KnownPhoto] {
        (bySHA[sha256] ?? []).filter { $0 < limit }.map { knownPhotos[$0] }
    }

    func photos(near hash: UInt64, within distance: Int, limit: Int) -> [(photo: KnownPhoto, distance: Int)] {
        var found: [(photo: KnownPhoto, distance: Int)] = []
        for index in 0..<min(limit, hashes.count) {
            guard let other = hashes[index] else { continue }
            let d = (hash ^ other).nonzeroBitCount
            if d <= distance { found.append((knownPhotos[index], d)) }
        }
        return found
    }

    func inspections(vin: String, limit: Int) -> [KnownInspection] {
        (byVIN[vin] ?? []).filter { $0 < limit }.map { knownInspections[$0] }
    }
}

/// Two histories answering as one (the store plus the batch being submitted).
public struct CombinedHistory: History {
    public let first: any History
    public let second: any History

    public init(_ first: any History, _ second: any History) {
        self.first = first
        self.second = second
    }

    public func photos(sha256: String) -> [KnownPhoto] { first.photos(sha256: sha256) + second.photos(sha256: sha256) }

    public func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)] {
        first.photos(near: hash, within: distance) + second.photos(near: hash, within: distance)
    }

    public func inspections(vin: String) -> [KnownInspection] { first.inspections(vin: vin) + second.inspections(vin: vin) }
}
