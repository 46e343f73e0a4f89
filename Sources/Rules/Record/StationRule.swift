import VIACore

/// `record.station`: the lane and every photo's device are registered to the submitting station (a device of
/// another lane of the same station is `photo.device`'s: not registered to the record's lane).
public struct StationRule: Rule {
    public typealias Configuration = EmptyConfiguration

    public static let description = RuleDescription(
        identifier: "record.station",
        name: "Lane and devices registered",
        description: "The record's lane is not registered to the submitting station, or a photo names a device (gwjysbbh) that is registered to none of the station's lanes. A device of another lane of the station is reported by photo.device.",
        rationale: "Photos must come from the lane's registered cameras; an unknown lane or device means the vehicle may never have been on the station's lane.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("lane 1 and its two cameras are registered"),
            RuleExample("a photo entry without a device id (nothing to check)", .entry("0111", ["device": nil])),
            RuleExample("a third camera newly registered to lane 1",
                        .station("CAM-0103 registered to lane 1") { station in
                            station.lanes[0].devices.append(Device(id: "CAM-0103", make: "Hikvision", model: "DS-2CD2T47G2"))
                        },
                        .entry("0113", ["device": "CAM-0103"])),
            RuleExample("the headlamp photo names lane 2's camera (photo.device reports a camera of another lane)",
                        .station("lane 2 with CAM-0201") { station in
                            station.lanes.append(Lane(code: "2", devices: [Device(id: "CAM-0201", make: "Dahua", model: "IPC-HFW5442E")]))
                        },
                        .entry("0321", ["device": "CAM-0201"])),
        ],
        triggeringExamples: [
            RuleExample("lane 3 is not registered", .record(["lane": "3"])),
            RuleExample("a device id nobody registered", .entry("0111", ["device": "PHONE-01"])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let station = context.station else {
            return [Violation(
                message: "station \(context.stationCode) is not in the station registry; expected a registered station with its lanes and devices",
                evidence: ["station": .string(context.stationCode)])]
        }
        guard let laneCode = context.record.lane else { return [] } // record.fields
        guard let lane = station.lane(laneCode) else {
            let lanes = station.lanes.map(\.code)
            return [Violation(
                field: "lane",
                message: "lane \(laneCode) is not registered to station \(station.code); registered lanes: \(lanes.isEmpty ? "none" : lanes.joined(separator: ", "))",
                evidence: ["station": .string(station.code), "lane": .string(laneCode), "registered_lanes": JSONValue(lanes)])]
        }
        var violations: [Violation] = []
        for photo in context.photos {
            guard let device = photo.entry.device, !station.lanes.contains(where: { $0.device(id: device) != nil }) else { continue }
            let registered = lane.devices.map(\.id)
            violations.append(Violation(
                photo: photo.label, field: "photos[\(photo.entry.index)].device",
                message: "photo \(photo.label): device \(device) is not registered to station \(station.code); expected one of lane \(laneCode)'s devices: \(registered.isEmpty ? "(none registered)" : registered.joined(separator: ", "))",
                evidence: ["station": .string(station.code), "lane": .string(laneCode), "device": .string(device),
                           "registered_devices": JSONValue(registered)]))
        }
        return violations
    }
}
