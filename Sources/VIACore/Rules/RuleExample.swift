import Foundation

/// One documented input for a rule: a change to a canonical clean inspection, printable and runnable.
///
/// The same examples are printed by `via rules show` and run by one parameterised test over every rule, so the
/// documentation cannot drift from the behaviour.
public struct RuleExample: Sendable {
    public let summary: String
    public let parameters: [String: JSONValue]
    public let changes: [ExampleChange]

    public init(_ summary: String, parameters: [String: JSONValue] = [:], _ changes: ExampleChange...) {
        self.summary = summary
        self.parameters = parameters
        self.changes = changes
    }

    /// The record context this example describes.
    public func context() -> RecordContext {
        var world = ExampleWorld()
        for change in changes { change.apply(&world) }
        return world.context()
    }

    /// Lines describing the input, for documentation.
    public var inputLines: [String] {
        var lines = changes.map(\.description)
        if !parameters.isEmpty { lines.append("parameters: \(JSONValue.object(parameters).compactText)") }
        return lines
    }
}

/// A change applied to the canonical example inspection.
public struct ExampleChange: Sendable {
    public let description: String
    let apply: @Sendable (inout ExampleWorld) -> Void

    public init(_ description: String, _ apply: @escaping @Sendable (inout ExampleWorld) -> Void) {
        self.description = description
        self.apply = apply
    }

    /// Sets (or with null, removes) top-level record fields.
    public static func record(_ patch: [String: JSONValue]) -> ExampleChange {
        ExampleChange("record: \(JSONValue.object(patch).compactText)") { world in
            for (key, value) in patch {
                if value == .null { world.record.removeValue(forKey: key) } else { world.record[key] = value }
            }
        }
    }

    /// Changes fields of one photo entry in the record (code, file, taken_at, device).
    public static func entry(_ code: String, _ patch: [String: JSONValue]) -> ExampleChange {
        ExampleChange("photo entry \(code): \(JSONValue.object(patch).compactText)") { world in
            world.editEntry(code) { entry in
                for (key, value) in patch {
                    if value == .null { entry.removeValue(forKey: key) } else { entry[key] = value }
                }
            }
        }
    }

    /// Changes what analysis read from one photo.
    public static func photo(_ code: String, _ description: String,
                             _ change: @escaping @Sendable (inout PhotoFacts) -> Void) -> ExampleChange {
        ExampleChange("photo \(code): \(description)") { world in
            if var facts = world.facts[code] {
                change(&facts)
                world.facts[code] = facts
            }
        }
    }

    /// Removes a photo from the record.
    public static func removePhoto(_ code: String) -> ExampleChange {
        ExampleChange("photo \(code) not submitted") { world in world.removeEntry(code) }
    }

    /// The photo's file is listed but could not be found.
    public static func fileMissing(_ code: String) -> ExampleChange {
        ExampleChange("photo \(code): file not found in the batch") { world in
            world.facts.removeValue(forKey: code)
        }
    }

    /// Adds a photo (entry and facts) copied from another code.
    public static func addPhoto(_ code: String, copying source: String, takenAt: String? = nil) -> ExampleChange {
        ExampleChange("photo \(code) added, a copy of \(source)") { world in world.copyPhoto(source, as: code, takenAt: takenAt) }
    }

    public static func station(_ description: String, _ change: @escaping @Sendable (inout Station) -> Void) -> ExampleChange {
        ExampleChange("station: \(description)") { world in change(&world.station) }
    }

    public static func requirePhotos(_ codes: [String]) -> ExampleChange {
        ExampleChange("rule set requires photos \(codes.joined(separator: ", "))") { world in
            world.requirements.photoCodes = codes
        }
    }

    public static func photoWindows(_ windows: [PhotoWindow]) -> ExampleChange {
        let text = windows.map { window in
            "\(window.codes.joined(separator: ",")) from \(window.beforeStartSeconds.map { "\(Int($0)) s before" } ?? "the tolerance before") the start to \(window.afterEndSeconds.map { "\(Int($0)) s after" } ?? "the tolerance after") the end"
        }
        return ExampleChange("rule set photo windows: \(text.joined(separator: "; "))") { world in
            world.requirements.photoWindows = windows
        }
    }

    public static func requireFields(_ fields: [String]) -> ExampleChange {
        ExampleChange("rule set requires fields \(fields.joined(separator: ", "))") { world in
            world.requirements.fields = fields
        }
    }

    /// No rule set applies to the record.
    public static func noRuleSet() -> ExampleChange {
        ExampleChange("no rule set applies") { world in world.ruleSetId = nil }
    }

    public static func known(_ description: String, photo: KnownPhoto) -> ExampleChange {
        ExampleChange("history: \(description)") { world in world.history.add(photo) }
    }

    public static func known(_ description: String, inspection: KnownInspection) -> ExampleChange {
        ExampleChange("history: \(description)") { world in world.history.add(inspection) }
    }
}

/// The canonical clean inspection every example starts from: a 7-year-old small private sedan (K33, use A,
/// periodic inspection) at station 150602001, lane 1, with seven sound photos whose EXIF agrees with the record.
public struct ExampleWorld: Sendable {
    public static let stationCode = "150602001"

    public var record: [String: JSONValue]
    public var facts: [String: PhotoFacts]
    public var station: Station
    public var requirements: RecordRequirements
    public var history: InMemoryHistory
    public var ruleSetId: String? = "small-passenger"

    static let shots: [(code: String, time: String, device: String, name: String)] = [
        ("0111", "10:01:02", "CAM-0101", "left-front 45° view"),
        ("0112", "10:02:30", "CAM-0101", "right-rear 45° view"),
        ("0113", "10:03:40", "CAM-0101", "VIN"),
        ("0321", "10:08:00", "CAM-0102", "left headlamp"),
        ("0352", "10:08:20", "CAM-0102", "right headlamp"),
        ("0344", "10:15:00", "CAM-0102", "dynamic chassis start"),
        ("0342", "10:17:00", "CAM-0102", "dynamic chassis end"),
    ]

    public init() {
        station = Station(
            code: Self.stationCode, name: "东胜区示例机动车检测站", timezone: "Asia/Shanghai",
            location: StationLocation(lat: 39.8170, lon: 109.9770, radiusM: 400),
            lanes: [Lane(code: "1", devices: [
                Device(id: "CAM-0101", make: "Hikvision", model: "DS-2CD2T47G2", serial: "DS2CD2T47G2-0101"),
                Device(id: "CAM-0102", make: "Dahua", model: "IPC-HFW5442E", serial: "5442E-0102"),
            ])])
        record = [
            "inspection_id": "15060200126101800", "lane": "1", "plate": "蒙K8A123", "plate_type": "02",
            "vin": "LFV2A21K7G3023312", "vehicle_type": "K33", "use_type": "A", "category": "01",
            "first_registered": "2019-05-20",
            "started_at": "2026-10-18T09:59:10+08:00", "finished_at": "2026-10-18T10:21:40+08:00",
            "odometer_km": 45210,
            "inspectors": ["exterior": "张三", "chassis": "李四", "driver": "王五"],
            "conclusion": "pass",
            "items": ["F1": "pass", "B1": "pass", "B2": "pass", "B0": "pass", "H1": "pass", "H4": "pass", "DC": "pass"],
            "measurements": [
                "brake": ["axles": [["axle": 1, "ratio": 68.2, "imbalance": 6.1], ["axle": 2, "ratio": 41.0, "imbalance": 9.8]],
                          "total_ratio": 71.5, "parking_ratio": 24.0],
                "headlamps": ["system": 2, "left_high_cd": 18500, "right_high_cd": 17900],
                "sideslip_m_per_km": 2.1,
            ],
            "photos": .array(Self.shots.map { shot in
                ["code": .string(shot.code), "file": .string("photos/0001/\(shot.code).jpg"),
                 "taken_at": .string("2026-10-18T\(shot.time)+08:00"), "device": .string(shot.device)]
            }),
        ]
        facts = [:]
        for (index, shot) in Self.shots.enumerated() {
            let device = station.lanes[0].device(id: shot.device)!
            facts[shot.code] = Self.facts(code: shot.code, index: index, time: shot.time, device: device)
        }
        requirements = RecordRequirements(
            photoCodes: Self.shots.map(\.code), fields: ["odometer_km"],
            photoCodeNames: Dictionary(uniqueKeysWithValues: Self.shots.map { ($0.code, $0.name) }))
        history = InMemoryHistory()
    }

    /// Sound camera facts for one photo: distinct content, EXIF time equal to the declared time.
    static func facts(code: String, index: Int, time: String, device: Device) -> PhotoFacts {
        var exif = ExifFacts(byteOrder: "II")
        exif.make = device.make
        exif.model = device.model
        exif.bodySerialNumber = device.serial
        exif.dateTimeOriginal = "2026:10:18 \(time)"
        exif.offsetTimeOriginal = "+08:00"
        exif.gps = GPSFacts(latitude: 39.8172, longitude: 109.9768, altitude: 1052)
        var jpeg = JPEGStructure()
        jpeg.width = 1920
        jpeg.height = 1080
        jpeg.components = 3
        jpeg.process = "baseline"
        jpeg.scans = 1
        jpeg.hasEoi = true
        let seed = QASampling.fnv1a(code)
        let hash = QASampling.fnv1a("phash-\(index)-\(code)")
        return PhotoFacts(
            file: "photos/0001/\(code).jpg", byteCount: 412_000 + index * 977,
            sha256: String(repeating: PerceptualHash.hex(seed), count: 4),
            jpeg: jpeg, exif: exif, xmp: nil, integrity: Integrity(decoded: true),
            figures: ImageFigures(perceptualHash: PerceptualHash.hex(hash), meanLuminance: 118, contrast: 52,
                                  sharpness: 820, scaledWidth: 240, scaledHeight: 135))
    }

    mutating func editEntry(_ code: String, _ change: (inout [String: JSONValue]) -> Void) {
        guard case var .array(list) = record["photos"] ?? .null else { return }
        for index in list.indices {
            guard case var .object(entry) = list[index], entry["code"]?.stringValue == code else { continue }
            change(&entry)
            list[index] = .object(entry)
        }
        record["photos"] = .array(list)
    }

    mutating func removeEntry(_ code: String) {
        guard case let .array(list) = record["photos"] ?? .null else { return }
        record["photos"] = .array(list.filter { $0["code"]?.stringValue != code })
        facts.removeValue(forKey: code)
    }

    mutating func copyPhoto(_ source: String, as code: String, takenAt: String?) {
        guard case var .array(list) = record["photos"] ?? .null,
              case var .object(entry)? = list.first(where: { $0["code"]?.stringValue == source }) else { return }
        entry["code"] = .string(code)
        entry["file"] = .string("photos/0001/\(code).jpg")
        if let takenAt { entry["taken_at"] = .string(takenAt) }
        list.append(.object(entry))
        record["photos"] = .array(list)
        facts[code] = facts[source]
        facts[code]?.file = "photos/0001/\(code).jpg"
    }

    /// Parses the record as a batch would and pairs each entry with its facts.
    public func context() -> RecordContext {
        let parsed = RecordParser.parse(.object(record), index: 0)
        let photos = parsed.photos.map { entry in
            let available = entry.code.flatMap { facts[$0] }
            return RecordPhoto(entry: entry, facts: available,
                               unavailableReason: available == nil ? "file \(entry.file ?? "?") not found in the batch" : nil)
        }
        return RecordContext(stationCode: Self.stationCode, batchId: "20261018-0001", record: parsed, photos: photos,
                             station: station, requirements: requirements, history: history,
                             ruleSetId: ruleSetId)
    }
}
