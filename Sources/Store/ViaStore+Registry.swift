import Foundation
import GRDB
import VIACore

/// What `via stations import` changed.
public struct StationImportReport: Sendable, Equatable, Codable {
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []

    public init(added: [String] = [], updated: [String] = [], unchanged: [String] = []) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }

    public var summary: String {
        "\(added.count) added, \(updated.count) updated, \(unchanged.count) unchanged"
    }
}

extension ViaStore {
    /// Upserts stations with their lanes and devices (a station's lanes and devices become exactly the file's).
    /// Idempotent: importing the same file again changes nothing. Stations absent from the file are kept.
    public func importStations(_ registry: StationRegistry, at date: Date = Date()) throws(StoreError) -> StationImportReport {
        try write { db in
            var report = StationImportReport()
            let existing = try Self.registry(db)
            for station in registry.stations {
                if let current = existing[station.code] {
                    if current == station {
                        report.unchanged.append(station.code)
                        continue
                    }
                    report.updated.append(station.code)
                    try db.execute(sql: "DELETE FROM lane WHERE station_code = ?", arguments: [station.code])
                } else {
                    report.added.append(station.code)
                }
                try StationRow(code: station.code, name: station.name, timezone: station.timezone,
                               lat: station.location?.lat, lon: station.location?.lon, radiusM: station.location?.radiusM,
                               updatedAt: date.timeIntervalSince1970).upsert(db)
                for (lanePosition, lane) in station.lanes.enumerated() {
                    try LaneRow(stationCode: station.code, code: lane.code, position: lanePosition).insert(db)
                    for (devicePosition, device) in lane.devices.enumerated() {
                        try DeviceRow(stationCode: station.code, laneCode: lane.code, id: device.id, make: device.make,
                                      model: device.model, serial: device.serial, position: devicePosition, exif: device.exif,
                                      watermark: device.watermark.rawValue).insert(db)
                    }
                }
            }
            if !report.added.isEmpty || !report.updated.isEmpty {
                try AuditLog.append(db, actor: "import", action: "stations.imported", subject: nil, detail: [
                    "added": JSONValue(report.added), "updated": JSONValue(report.updated),
                ], at: date)
            }
            return report
        }
    }

    /// The station registry; decoded once and kept until a change to the registry bumps its revision.
    public func registry() throws(StoreError) -> StationRegistry {
        try read { db in
            let revision = try Int64.fetchOne(db, sql: "SELECT revision FROM registry_revision WHERE id = 1") ?? 0
            if let cached = registryCache.withLock({ $0 }), cached.revision == revision { return cached.registry }
            let registry = try Self.registry(db)
            registryCache.withLock { $0 = (revision, registry) }
            return registry
        }
    }

    static func registry(_ db: Database) throws -> StationRegistry {
        let stations = try StationRow.order(StationRow.Columns.code).fetchAll(db)
        let lanes = try LaneRow.order(LaneRow.Columns.stationCode, LaneRow.Columns.position).fetchAll(db)
        let devices = try DeviceRow.order(DeviceRow.Columns.stationCode, DeviceRow.Columns.laneCode, DeviceRow.Columns.position).fetchAll(db)
        var devicesByLane: [String: [Device]] = [:]
        for device in devices {
            devicesByLane["\(device.stationCode)/\(device.laneCode)", default: []]
                .append(Device(id: device.id, make: device.make, model: device.model, serial: device.serial, exif: device.exif,
                               watermark: WatermarkBand(rawValue: device.watermark) ?? .auto))
        }
        var lanesByStation: [String: [Lane]] = [:]
        for lane in lanes {
            lanesByStation[lane.stationCode, default: []].append(Lane(code: lane.code, devices: devicesByLane["\(lane.stationCode)/\(lane.code)"] ?? []))
        }
        return StationRegistry(stations: stations.map { row in
            let location = row.lat.flatMap { lat in row.lon.map { StationLocation(lat: lat, lon: $0, radiusM: row.radiusM ?? 0) } }
            return Station(code: row.code, name: row.name, timezone: row.timezone, location: location,
                           lanes: lanesByStation[row.code] ?? [])
        })
    }
}
