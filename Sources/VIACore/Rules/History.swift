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

    public init(station: String, inspectionId: String, code: String, sha256: String, perceptualHash: String? = nil,
                batchId: String? = nil) {
        self.station = station
        self.inspectionId = inspectionId
        self.code = code
        self.sha256 = sha256
        self.perceptualHash = perceptualHash
        self.batchId = batchId
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

    public init(station: String, inspectionId: String, vin: String, startedAt: Timestamp?, finishedAt: Timestamp?,
                odometerKm: Double?) {
        self.station = station
        self.inspectionId = inspectionId
        self.vin = vin
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.odometerKm = odometerKm
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
    public var knownPhotos: [KnownPhoto]
    public var knownInspections: [KnownInspection]
    private var bySHA: [String: [Int]]

    public init(photos: [KnownPhoto] = [], inspections: [KnownInspection] = []) {
        knownPhotos = photos
        knownInspections = inspections
        bySHA = [:]
        for (index, photo) in photos.enumerated() { bySHA[photo.sha256, default: []].append(index) }
    }

    public mutating func add(_ photo: KnownPhoto) {
        bySHA[photo.sha256, default: []].append(knownPhotos.count)
        knownPhotos.append(photo)
    }

    public mutating func add(_ inspection: KnownInspection) { knownInspections.append(inspection) }

    public func photos(sha256: String) -> [KnownPhoto] { (bySHA[sha256] ?? []).map { knownPhotos[$0] } }

    public func photos(near hash: UInt64, within distance: Int) -> [(photo: KnownPhoto, distance: Int)] {
        knownPhotos.compactMap { photo in
            guard let other = photo.perceptualHash.flatMap({ UInt64($0, radix: 16) }) else { return nil }
            let d = PerceptualHash.distance(hash, other)
            return d <= distance ? (photo, d) : nil
        }
    }

    public func inspections(vin: String) -> [KnownInspection] { knownInspections.filter { $0.vin == vin } }
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
