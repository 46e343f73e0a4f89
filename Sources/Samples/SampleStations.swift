import VIACore

/// The built-in station registry used by `via samples generate` when no --stations file is given; the same
/// stations as samples/stations.yaml (a test keeps the two equal).
public enum SampleStations {
    public static let registry = StationRegistry(stations: [
        station("150602001", "东胜区示例机动车检测站", lat: 39.8170, lon: 109.9770, lanes: 2, serialBase: 1),
        station("150603002", "康巴什区示例机动车检测有限公司", lat: 39.6080, lon: 109.7810, lanes: 3, serialBase: 21),
        station("150621003", "达拉特旗示例机动车安全技术检测站", lat: 40.4040, lon: 110.0330, lanes: 2, serialBase: 41),
    ])

    /// Each lane has an inspector's handheld camera (exterior and documents), a fixed lane camera (headlamp,
    /// brake, sideslip, outline, weighing stations) and a pit camera (chassis).
    static func station(_ code: String, _ name: String, lat: Double, lon: Double, lanes: Int, serialBase: Int) -> Station {
        Station(code: code, name: name, timezone: "Asia/Shanghai",
                location: StationLocation(lat: lat, lon: lon, radiusM: 400),
                lanes: (1...lanes).map { lane in
                    let n = serialBase + lane - 1
                    let suffix = String(format: "%02d%02d", serialBase, lane)
                    return Lane(code: String(lane), devices: [
                        Device(id: "CAM-\(suffix)-H", make: "HUAWEI", model: "ELS-AN00", serial: "HW\(String(format: "%08d", 30_100_000 + n))"),
                        Device(id: "CAM-\(suffix)-L", make: "Hikvision", model: "DS-2CD2T47G2", serial: "DS2CD2T47G2-\(suffix)"),
                        Device(id: "CAM-\(suffix)-P", make: "Dahua", model: "IPC-HFW5442E", serial: "5442E\(suffix)"),
                    ])
                })
    }

    /// The device of a lane that shoots a given photo code.
    public static func device(for code: String, on lane: Lane) -> Device? {
        let role: String
        if ["0323", "0344", "0342"].contains(code) {
            role = "-P"
        } else if code.hasPrefix("03") {
            role = "-L"
        } else {
            role = "-H"
        }
        return lane.devices.first { $0.id.hasSuffix(role) } ?? lane.devices.first
    }
}
