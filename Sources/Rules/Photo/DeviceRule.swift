import VIACore

/// `photo.device`: the photo's device is registered to the record's lane, and the camera named in EXIF is the
/// registered device the photo claims, or at least one of the lane's.
public struct DeviceRule: Rule {
    public struct Configuration: RuleConfiguration {
        public var matchSerial = true
        public var requireCameraInfo = false

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            matchSerial = try parameters.bool(
                "match_serial", matchSerial, "compare the EXIF body serial number too, when both EXIF and the registry give one")
            requireCameraInfo = try parameters.bool(
                "require_camera_info", requireCameraInfo, "report photos whose EXIF names no camera make or model")
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.device",
        name: "Photo from a registered camera",
        description: "The photo entry declares a device registered to another lane of the station (a device registered to none is record.station's), or the camera in the photo's EXIF (make, model and, when both sides give one, serial number; compared case-insensitively) is not the device the photo entry declares, or — when the declared device is not registered to the lane — none of the lane's registered devices.",
        rationale: "Lane photos must come from the lane's fixed cameras and exterior photos from the station's registered terminals; a phone or another lane's camera means the photo was taken elsewhere or at another time.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("EXIF camera equals the declared device"),
            RuleExample("the make written in capitals with trailing spaces",
                        .photo("0111", "EXIF Make \"HIKVISION  \"") { $0.exif?.make = "HIKVISION  " }),
            RuleExample("no camera information in EXIF (not required by default)",
                        .photo("0113", "EXIF without Make and Model") { facts in
                            facts.exif?.make = nil
                            facts.exif?.model = nil
                            facts.exif?.bodySerialNumber = nil
                        }),
            RuleExample("camera information required, but the lane camera is registered as writing no EXIF",
                        parameters: ["require_camera_info": true],
                        .station("CAM-0102 registered with exif: false") { $0.lanes[0].devices[1].exif = false },
                        .photo("0321", "no EXIF") { $0.exif = nil }),
            RuleExample("another serial number when serials are not compared", parameters: ["match_serial": false],
                        .photo("0321", "EXIF serial 5442E-0777") { $0.exif?.bodySerialNumber = "5442E-0777" }),
        ],
        triggeringExamples: [
            RuleExample("the left-front view shot with a phone",
                        .photo("0111", "EXIF Xiaomi Redmi Note 12") { facts in
                            facts.exif?.make = "Xiaomi"
                            facts.exif?.model = "Redmi Note 12"
                            facts.exif?.bodySerialNumber = nil
                        }),
            RuleExample("the headlamp photo declares the Dahua lane camera but EXIF names the Hikvision terminal",
                        .photo("0321", "EXIF Hikvision DS-2CD2T47G2, serial DS2CD2T47G2-0101") { facts in
                            facts.exif?.make = "Hikvision"
                            facts.exif?.model = "DS-2CD2T47G2"
                            facts.exif?.bodySerialNumber = "DS2CD2T47G2-0101"
                        }),
            RuleExample("same camera model, but another unit's serial number",
                        .photo("0352", "EXIF serial 5442E-0777") { $0.exif?.bodySerialNumber = "5442E-0777" }),
            RuleExample("the headlamp photo names lane 2's camera",
                        .station("lane 2 with CAM-0201") { station in
                            station.lanes.append(Lane(code: "2", devices: [Device(id: "CAM-0201", make: "Dahua", model: "IPC-HFW5442E")]))
                        },
                        .entry("0321", ["device": "CAM-0201"])),
            RuleExample("camera information required but absent", parameters: ["require_camera_info": true],
                        .photo("0113", "EXIF without Make and Model") { facts in
                            facts.exif?.make = nil
                            facts.exif?.model = nil
                        }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let station = context.station, let laneCode = context.record.lane, let lane = station.lane(laneCode) else {
            return [] // record.station
        }
        var violations: [Violation] = []
        for photo in context.photos {
            if let device = photo.entry.device, lane.device(id: device) == nil,
               let other = station.lanes.first(where: { $0.device(id: device) != nil }) {
                let registered = lane.devices.map(\.id)
                violations.append(Violation(
                    photo: photo.label, field: "photos[\(photo.entry.index)].device",
                    message: "photo \(photo.label): device \(device) is registered to lane \(other.code), not to lane \(laneCode) of station \(station.code); expected one of \(registered.isEmpty ? "(none registered)" : registered.joined(separator: ", "))",
                    evidence: ["station": .string(station.code), "lane": .string(laneCode), "device": .string(device),
                               "device_lane": .string(other.code), "registered_devices": JSONValue(registered)]))
                continue
            }
            guard let facts = photo.facts, facts.isSound else { continue } // photo.unreadable
            let camera = Camera(make: Format.trimmed(facts.exif?.make), model: Format.trimmed(facts.exif?.model),
                                serial: Format.trimmed(facts.exif?.bodySerialNumber))
            let declared = photo.entry.device.flatMap { lane.device(id: $0) }
            let candidates = declared.map { [$0] } ?? lane.devices
            let registered = JSONValue(candidates.map(\.id))
            guard camera.make != nil || camera.model != nil else {
                if configuration.requireCameraInfo, !context.isFromDeviceWithoutExif(photo) {
                    violations.append(Violation(
                        photo: photo.label,
                        message: "photo \(photo.label): EXIF names no camera make or model; expected \(Self.describe(candidates, lane: laneCode))",
                        evidence: ["lane": .string(laneCode), "declared_device": JSONValue(photo.entry.device),
                                   "registered_devices": registered]))
                }
                continue
            }
            let comparable = candidates.filter { $0.make != nil || $0.model != nil }
            guard !comparable.isEmpty, !comparable.contains(where: { matches(camera, $0) }) else { continue }
            violations.append(Violation(
                photo: photo.label,
                message: "photo \(photo.label): EXIF names \(camera.text), not \(Self.describe(candidates, lane: laneCode))",
                evidence: ["exif_make": JSONValue(camera.make), "exif_model": JSONValue(camera.model),
                           "exif_serial": JSONValue(camera.serial), "lane": .string(laneCode),
                           "declared_device": JSONValue(photo.entry.device), "registered_devices": registered]))
        }
        return violations
    }

    struct Camera {
        var make: String?
        var model: String?
        var serial: String?

        var text: String {
            let name = [make, model].compactMap { $0 }.joined(separator: " ")
            return "camera \(name)" + (serial.map { " (serial \($0))" } ?? "")
        }
    }

    /// Fields both sides give must agree; a field either side leaves out is not held against the photo.
    func matches(_ camera: Camera, _ device: Device) -> Bool {
        func same(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b = Format.trimmed(b) else { return true }
            return a.lowercased() == b.lowercased()
        }
        var compared = false
        for (exif, registered) in [(camera.make, device.make), (camera.model, device.model)] where exif != nil && Format.trimmed(registered) != nil {
            compared = true
            if !same(exif, registered) { return false }
        }
        if configuration.matchSerial, !same(camera.serial, device.serial) { return false }
        return compared
    }

    /// "the declared device CAM-0102 (Dahua IPC-HFW5442E, serial 5442E-0102)" or "any device registered to lane 1: …".
    static func describe(_ devices: [Device], lane: String) -> String {
        let list = devices.map { device in
            let name = [device.make, device.model].compactMap { $0 }.joined(separator: " ")
            let details = [name.isEmpty ? nil : name, device.serial.map { "serial \($0)" }].compactMap { $0 }
            return device.id + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        }
        if devices.count == 1 { return "the registered device \(list[0])" }
        return "any device registered to lane \(lane): " + (list.isEmpty ? "(none)" : list.joined(separator: "; "))
    }
}
