import Foundation
import VIACore
import Yams

/// Problems found in a station registry file; each names its file and line.
public struct StationsFileError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads `stations.yaml` (SPEC §2): every problem is reported with its line, and nothing loads while any remains.
public enum StationsFile {
    static let topLevelKeys = ["stations"]
    static let stationKeys = ["code", "name", "timezone", "location", "lanes"]
    static let locationKeys = ["lat", "lon", "radius_m"]
    static let laneKeys = ["code", "devices"]
    static let deviceKeys = ["id", "make", "model", "serial", "exif", "watermark"]

    public static func load(path: String) throws(StationsFileError) -> StationRegistry {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StationsFileError(diagnostics: [Diagnostic(file: path, line: nil, message: "cannot read the station registry file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StationsFileError(diagnostics: [Diagnostic(file: path, line: nil, message: "the file is not valid UTF-8 text")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(StationsFileError) -> StationRegistry {
        var reader = YAMLReader(file: file)
        var stations: [Station] = []
        if let root = reader.compose(text), let entries = reader.mapping(root, "station registry") {
            let fields = reader.checkKeys(entries, allowed: topLevelKeys, in: "the station registry")
            if let (_, node) = fields["stations"] {
                if let items = reader.list(node, "stations") {
                    var codes: [String: Int] = [:]
                    for item in items {
                        let (station, code, line) = parseStation(item, &reader)
                        guard let code else { continue }
                        if let first = codes[code] {
                            reader.error(line, "duplicate station code \"\(code)\" (first at line \(first))")
                            continue
                        }
                        codes[code] = line
                        if let station { stations.append(station) }
                    }
                }
            } else {
                reader.error(YAMLReader.line(root), "missing key \"stations\" (a list of stations)")
            }
        }
        if !reader.diagnostics.isEmpty {
            throw StationsFileError(diagnostics: RuleSetLoader.sort(reader.diagnostics))
        }
        return StationRegistry(stations: stations)
    }

    /// One station (nil when it is unusable, after reporting why), with its code and the line of its code even when
    /// the station is unusable, so that duplicate codes are always found.
    static func parseStation(_ node: Node, _ reader: inout YAMLReader) -> (station: Station?, code: String?, line: Int) {
        let before = reader.diagnostics.count
        guard let entries = reader.mapping(node, "station") else { return (nil, nil, YAMLReader.line(node)) }
        let fields = reader.checkKeys(entries, allowed: stationKeys, in: "a station")
        let line = YAMLReader.line(node)
        var code: String?
        var codeLine = line
        if let (keyLine, value) = fields["code"] {
            codeLine = keyLine
            code = reader.string(value, "station code")
            if code?.trimmingCharacters(in: .whitespaces).isEmpty == true {
                reader.error(keyLine, "station code is empty")
            }
        } else {
            reader.error(line, "station without code")
        }
        var name: String?
        if let (keyLine, value) = fields["name"] {
            name = reader.string(value, "station name")
            if name?.trimmingCharacters(in: .whitespaces).isEmpty == true { reader.error(keyLine, "station name is empty") }
        } else {
            reader.error(line, "station\(code.map { " \"\($0)\"" } ?? "") without name")
        }
        var timezone = Station.defaultTimezone
        if let (_, value) = fields["timezone"], let zone = reader.string(value, "timezone") {
            if TimeZone(identifier: zone) == nil {
                reader.error(YAMLReader.line(value), "unknown time zone \"\(zone)\"; use an IANA name such as Asia/Shanghai")
            }
            timezone = zone
        }
        var location: StationLocation?
        if let (_, value) = fields["location"] { location = parseLocation(value, &reader) }
        var lanes: [Lane] = []
        if let (_, value) = fields["lanes"], let items = reader.list(value, "lanes") {
            var laneCodes: [String: Int] = [:]
            var deviceIds: [String: Int] = [:]
            for item in items {
                guard let lane = parseLane(item, &deviceIds, &reader) else { continue }
                if let first = laneCodes[lane.code] {
                    reader.error(YAMLReader.line(item), "duplicate lane code \"\(lane.code)\" in station \(code ?? "?") (first at line \(first))")
                    continue
                }
                laneCodes[lane.code] = YAMLReader.line(item)
                lanes.append(lane)
            }
        }
        guard reader.diagnostics.count == before, let code, let name else { return (nil, code, codeLine) }
        return (Station(code: code, name: name, timezone: timezone, location: location, lanes: lanes), code, codeLine)
    }

    static func parseLocation(_ node: Node, _ reader: inout YAMLReader) -> StationLocation? {
        guard let entries = reader.mapping(node, "location") else { return nil }
        let fields = reader.checkKeys(entries, allowed: locationKeys, in: "location")
        let line = YAMLReader.line(node)
        func value(_ key: String, _ range: ClosedRange<Double>, _ rangeText: String, _ reader: inout YAMLReader) -> Double? {
            guard let (_, node) = fields[key] else {
                reader.error(line, "location without \(key)")
                return nil
            }
            guard let number = reader.number(node, "location \(key)") else { return nil }
            guard range.contains(number) else {
                reader.error(YAMLReader.line(node), "location \(key) \(node.scalar?.string ?? "\(number)") is out of range; expected \(rangeText)")
                return nil
            }
            return number
        }
        let lat = value("lat", -90...90, "-90...90", &reader)
        let lon = value("lon", -180...180, "-180...180", &reader)
        let radius = value("radius_m", 0...Double.greatestFiniteMagnitude, "a radius of at least 0 m", &reader)
        guard let lat, let lon, let radius else { return nil }
        return StationLocation(lat: lat, lon: lon, radiusM: radius)
    }

    static func parseLane(_ node: Node, _ deviceIds: inout [String: Int], _ reader: inout YAMLReader) -> Lane? {
        guard let entries = reader.mapping(node, "lane") else { return nil }
        let fields = reader.checkKeys(entries, allowed: laneKeys, in: "a lane")
        var code: String?
        if let (_, value) = fields["code"] {
            code = reader.string(value, "lane code")
        } else {
            reader.error(YAMLReader.line(node), "lane without code")
        }
        var devices: [Device] = []
        if let (_, value) = fields["devices"], let items = reader.list(value, "devices") {
            for item in items {
                guard let entries = reader.mapping(item, "device") else { continue }
                let keys = reader.checkKeys(entries, allowed: deviceKeys, in: "a device")
                guard let (idLine, idNode) = keys["id"] else {
                    reader.error(YAMLReader.line(item), "device without id")
                    continue
                }
                guard let id = reader.string(idNode, "device id") else { continue }
                var device = Device(id: id)
                if let (_, value) = keys["make"] { device.make = reader.string(value, "device make") }
                if let (_, value) = keys["model"] { device.model = reader.string(value, "device model") }
                if let (_, value) = keys["serial"] { device.serial = reader.string(value, "device serial") }
                if let (_, value) = keys["exif"], let exif = reader.bool(value, "device exif") { device.exif = exif }
                if let (_, value) = keys["watermark"], let text = reader.string(value, "device watermark") {
                    if let band = WatermarkBand(rawValue: text) {
                        device.watermark = band
                    } else {
                        reader.error(YAMLReader.line(value), "device watermark \"\(text)\" is not one of "
                            + WatermarkBand.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                }
                if let first = deviceIds[id] {
                    reader.error(idLine, "duplicate device id \"\(id)\" in this station (first at line \(first))")
                    continue
                }
                deviceIds[id] = idLine
                devices.append(device)
            }
        }
        guard let code else { return nil }
        return Lane(code: code, devices: devices)
    }
}
