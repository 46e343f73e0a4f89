import Foundation

/// A registered camera or lane device.
public struct Device: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var make: String?
    public var model: String?
    public var serial: String?

    public init(id: String, make: String? = nil, model: String? = nil, serial: String? = nil) {
        self.id = id
        self.make = make
        self.model = model
        self.serial = serial
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
