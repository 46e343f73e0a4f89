import Foundation

/// Where a device burns its text line (水印 / OSD) into its photos (SPEC §2, §9).
public enum WatermarkBand: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    case top
    case bottom
    case none
    /// Look in both bands.
    case auto
}

/// A registered camera or lane device.
public struct Device: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var make: String?
    public var model: String?
    public var serial: String?
    /// Whether the device's photos carry EXIF. Fixed lane cameras whose snapshots the lane software saves usually
    /// write none: their shooting time is the declared time and the watermark, and the EXIF requirements do not
    /// apply to them (EXIF that is present is still read and compared).
    public var exif: Bool
    public var watermark: WatermarkBand

    public init(id: String, make: String? = nil, model: String? = nil, serial: String? = nil, exif: Bool = true,
                watermark: WatermarkBand = .auto) {
        self.id = id
        self.make = make
        self.model = model
        self.serial = serial
        self.exif = exif
        self.watermark = watermark
    }

    enum CodingKeys: String, CodingKey { case id, make, model, serial, exif, watermark }

    /// `exif` and `watermark` may be left out (registries written before they existed): true and auto.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        make = try container.decodeIfPresent(String.self, forKey: .make)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        serial = try container.decodeIfPresent(String.self, forKey: .serial)
        exif = try container.decodeIfPresent(Bool.self, forKey: .exif) ?? true
        watermark = try container.decodeIfPresent(WatermarkBand.self, forKey: .watermark) ?? .auto
    }
}

/// An inspection lane and the devices allowed to produce its photos.
public struct Lane: Codable, Sendable, Equatable, Hashable {
    public var code: String
    public var devices: [Device]

    public init(code: String, devices: [Device] = []) {
        self.code = code
        self.devices = devices
    }

    public func device(id: String) -> Device? { devices.first { $0.id == id } }
}

/// Where a station is, and how far from it a photo may be taken.
public struct StationLocation: Codable, Sendable, Equatable, Hashable {
    public var lat: Double
    public var lon: Double
    public var radiusM: Double

    public init(lat: Double, lon: Double, radiusM: Double) {
        self.lat = lat
        self.lon = lon
        self.radiusM = radiusM
    }
}

/// An inspection station (检验机构).
public struct Station: Codable, Sendable, Equatable, Hashable {
    public var code: String
    public var name: String
    /// IANA zone name; Asia/Shanghai unless the registry says otherwise.
    public var timezone: String
    public var location: StationLocation?
    public var lanes: [Lane]

    public static let defaultTimezone = "Asia/Shanghai"

    public init(code: String, name: String, timezone: String = Station.defaultTimezone,
                location: StationLocation? = nil, lanes: [Lane] = []) {
        self.code = code
        self.name = name
        self.timezone = timezone
        self.location = location
        self.lanes = lanes
    }

    public func lane(_ code: String) -> Lane? { lanes.first { $0.code == code } }

    /// A device by id on any of the station's lanes.
    public func device(id: String) -> Device? {
        for lane in lanes { if let device = lane.device(id: id) { return device } }
        return nil
    }

    /// The station's time zone (UTC+8 when the name is unknown to this system).
    public var timeZone: TimeZone { TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 8 * 3600)! }
}

/// All registered stations, by code.
public struct StationRegistry: Sendable, Equatable {
    public private(set) var stations: [Station]
    private var byCode: [String: Int]

    public init(stations: [Station] = []) {
        self.stations = []
        byCode = [:]
        for station in stations { upsert(station) }
    }

    public subscript(code: String) -> Station? { byCode[code].map { stations[$0] } }

    public func contains(_ code: String) -> Bool { byCode[code] != nil }

    public mutating func upsert(_ station: Station) {
        if let index = byCode[station.code] {
            stations[index] = station
        } else {
            byCode[station.code] = stations.count
            stations.append(station)
        }
    }
}
