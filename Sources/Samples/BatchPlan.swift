import Foundation
import PhotoAnalysis
import VIACore

/// One generated inspection before it is written out.
struct SampleRecord {
    var index: Int
    var inspectionId: String
    var lane: String
    var vehicle: VehicleClass
    var vehicleType: String
    var useType: String
    var plate: String
    var plateType: String
    var vin: String
    var firstRegistered: String
    var start: Date
    var finish: Date
    var odometer: Int?
    var axles: [(ratio: Double, imbalance: Double)]
    var totalRatio: Double
    var parkingRatio: Double
    var headlamps: (left: Int, right: Int)?
    var sideslip: Double?
    var items: [String: String]
    var photos: [SamplePhoto]
    var omitPlate = false
    var defect: Defect?
    var story = "clean"
}

/// One generated photo of a record.
struct SamplePhoto {
    var code: String
    var time: Date
    var device: Device
    var scene: SceneSpec
    var exif: ExifFields?
    var xmp: XMPFields?
    var truncateTo: Double?
    /// Use exactly the file of another record's photo (a reused photo).
    var copyOf: PlannedPhoto?
}

/// Plans a whole batch deterministically from the options' seed.
struct BatchPlan {
    let station: Station
    let catalog: RuleSetCatalog
    let options: SampleOptions
    let day: Date
    var random: SeededRandom
    var records: [SampleRecord] = []
    private(set) var photos: [PlannedPhoto] = []
    private(set) var labels: SampleLabels
    private(set) var batchJSON: JSONValue = .null
    /// Next free start time per lane.
    var laneClock: [String: Date] = [:]

    static let workdayStart = 8 * 3600 + 30 * 60
    static let workdayEnd = 17 * 3600 + 30 * 60
    /// Lane photo codes in the order a vehicle passes the lane's stations.
    static let laneOrder = ["0321", "0352", "0322", "0348", "0349", "0350", "0354", "0355", "0351", "0353", "0323",
                            "0344", "0342", "0341", "0343", "0345", "0360", "0361", "0362", "0363"]

    init(station: Station, catalog: RuleSetCatalog, options: SampleOptions, day: Date) {
        self.station = station
        self.catalog = catalog
        self.options = options
        self.day = day
        random = SeededRandom(seed: options.seed)
        let batchId = options.batchId ?? options.date.replacingOccurrences(of: "-", with: "") + "-S\(options.seed)"
        labels = SampleLabels(batchId: batchId, station: station.code, seed: options.seed, records: [])
    }

    var offset: Int { station.timeZone.secondsFromGMT(for: day) }

    mutating func build() {
        let defects = assignDefects()
        for index in 0..<options.records {
            var record = makeRecord(index)
            if let defect = defects[index] { apply(defect, to: &record) }
            photos += plannedPhotos(record)
            records.append(record)
        }
        var json: [JSONValue] = []
        for record in records {
            json.append(recordJSON(record))
            labels.records.append(.init(inspectionId: record.inspectionId, defect: record.defect,
                                        expectedRules: record.defect?.expectedRules ?? [], story: record.story))
        }
        batchJSON = ["format": .string(Batch.format), "station": .string(station.code),
                     "batch_id": .string(labels.batchId), "records": .array(json)]
    }

    /// Which records get which defect: round(records × rate) of them, every kind before any repeats.
    mutating func assignDefects() -> [Int: Defect] {
        if let chosen = options.defects, !chosen.isEmpty {
            // Spread evenly, leaving the first records clean so that duplicates and history defects have a source.
            var result: [Int: Defect] = [:]
            let slots = max(1, options.records - 1)
            for (position, defect) in chosen.prefix(slots).enumerated() {
                result[1 + position * slots / min(chosen.count, slots)] = defect
            }
            return result
        }
        let count = min(options.records, Int((Double(options.records) * options.defectRate).rounded()))
        var indices = Array(0..<options.records)
        indices.shuffle(using: &random)
        var kinds = Defect.allCases
        kinds.shuffle(using: &random)
        var result: [Int: Defect] = [:]
        var next = 0
        for index in indices.prefix(count).sorted() {
            var kind = kinds[next % kinds.count]
            if kind.needsEarlierRecord && index < 3 { kind = .stalePhoto }
            result[index] = kind
            next += 1
        }
        return result
    }

    // MARK: clean records

    mutating func makeRecord(_ index: Int) -> SampleRecord {
        let vehicle = VehicleClass.pick(&random)
        let lane = station.lanes[index % station.lanes.count]
        let (start, finish) = nextWindow(lane: lane.code)
        let age = random.uniform(0.5...15.5)
        let registered = Timestamp.civilDate(start.addingTimeInterval(-age * 365.2425 * 86400), offset: offset)
        var plateType = vehicle.plateType
        if plateType == "02" && random.chance(0.15) { plateType = "52" }
        let axles = (0..<vehicle.axles).map { axle in
            (ratio: round1(axle == 0 ? random.uniform(64...82) : random.uniform(56...78)), imbalance: round1(random.uniform(2...14)))
        }
        var items: [String: String] = ["F1": "pass"]
        for axle in 1...vehicle.axles { items["B\(axle)"] = "pass" }
        items["B0"] = "pass"
        if vehicle.hasHeadlamps { items["H1"] = "pass"; items["H4"] = "pass" }
        if vehicle.hasSideslip { items["A1"] = "pass" }
        if vehicle.name != "trailer" && vehicle.name != "motorcycle" { items["C1"] = "pass"; items["DC"] = "pass" }
        if vehicle.outline { items["M1"] = "pass"; items["Z1"] = "pass" }
        let sequence = String(format: "%04d", index + 1)
        var record = SampleRecord(
            index: index,
            inspectionId: station.code + Timestamp.compactDate(start, offset: offset) + sequence,
            lane: lane.code, vehicle: vehicle,
            vehicleType: pick(vehicle.vehicleTypes), useType: pick(vehicle.useTypes),
            plate: Identifiers.plate(type: plateType, &random), plateType: plateType, vin: Identifiers.vin(&random),
            firstRegistered: registered, start: start, finish: finish,
            odometer: vehicle.hasOdometer ? Int(age * random.uniform(8000...22000)) : nil,
            axles: axles, totalRatio: round1(random.uniform(62...80)), parkingRatio: round1(random.uniform(22...34)),
            headlamps: vehicle.hasHeadlamps ? (Int(random.uniform(16500...32000)), Int(random.uniform(16500...32000))) : nil,
            sideslip: vehicle.hasSideslip ? round1(random.uniform(-3...3)) : nil,
            items: items, photos: [])
        record.photos = makePhotos(for: record, lane: lane)
        return record
    }

    /// The next inspection window on a lane: 15-35 minutes, 1-5 minutes after the previous vehicle, inside the
    /// working day (08:30-17:30 local), moving to the next day when the day is full.
    mutating func nextWindow(lane: String) -> (Date, Date) {
        let dayStart = day.addingTimeInterval(Double(Self.workdayStart - offset))
        var start = (laneClock[lane] ?? dayStart).addingTimeInterval(random.uniform(60...300).rounded())
        let duration = random.uniform(900...2100).rounded()
        let localSeconds = (Int(start.timeIntervalSince1970) + offset) % 86400
        if localSeconds + Int(duration) > Self.workdayEnd || localSeconds < Self.workdayStart {
            let nextDay = (Int(start.timeIntervalSince1970) + offset) / 86400 + (localSeconds < Self.workdayStart ? 0 : 1)
            start = Date(timeIntervalSince1970: Double(nextDay * 86400 + Self.workdayStart - offset) + random.uniform(0...600).rounded())
        }
        let finish = start.addingTimeInterval(duration)
        laneClock[lane] = finish
        return (start, finish)
    }

    /// The record's required photos in shooting order, spread over the inspection window.
    mutating func makePhotos(for record: SampleRecord, lane: Lane) -> [SamplePhoto] {
        let codes = requiredCodes(for: record)
        let ordered = codes.filter { !$0.hasPrefix("03") } + Self.laneOrder.filter(codes.contains)
            + codes.filter { $0.hasPrefix("03") && !Self.laneOrder.contains($0) }
        let span = record.finish.timeIntervalSince(record.start) - 120
        return ordered.enumerated().map { position, code in
            let time = record.start.addingTimeInterval(60 + (span * Double(position) / Double(max(1, ordered.count))).rounded())
            return makePhoto(code: code, time: time, lane: lane, recordIndex: record.index)
        }
    }

    func requiredCodes(for record: SampleRecord) -> [String] {
        let parsed = InspectionRecord.parse(recordJSON(record), index: record.index)
        return catalog.select(for: parsed)?.requirements(for: parsed).photoCodes ?? ["0111", "0112", "0113"]
    }

    mutating func makePhoto(code: String, time: Date, lane: Lane, recordIndex: Int) -> SamplePhoto {
        let device = SampleStations.device(for: code, on: lane) ?? Device(id: "CAM-?")
        let seed = QASampling.fnv1a("\(options.seed)|\(station.code)|\(recordIndex)|\(code)")
        var photo = SamplePhoto(code: code, time: time, device: device,
                                scene: SceneSpec(width: options.photoWidth, height: options.photoHeight, seed: seed,
                                                 noise: options.noise, texture: options.texture))
        photo.exif = exif(for: photo, jitter: random.uniform(0...2))
        return photo
    }

    /// EXIF as the registered camera writes it: local time with offset, sub-seconds, GPS near the station.
    mutating func exif(for photo: SamplePhoto, jitter: Double) -> ExifFields {
        var exif = ExifFields()
        exif.make = photo.device.make
        exif.model = photo.device.model
        exif.bodySerialNumber = photo.device.serial
        let shot = photo.time.addingTimeInterval(jitter)
        exif.dateTimeOriginal = Timestamp.exifText(shot, offset: offset)
        exif.subSecTimeOriginal = String(format: "%03d", Int(random.uniform(0...999)))
        exif.offsetTimeOriginal = Timestamp.offsetText(offset)
        exif.orientation = 1
        exif.exposureTime = Rational(1, UInt32([60, 125, 250, 500][Int(random.next() % 4)]))
        exif.fNumber = Rational(UInt32([18, 20, 28, 40][Int(random.next() % 4)]), 10)
        exif.iso = [100, 200, 400][Int(random.next() % 3)]
        if let location = station.location {
            let spread = location.radiusM * 0.3 / 111_000
            let utc = Timestamp.exifText(shot, offset: 0)
            let hms = utc.split(separator: " ")[1].split(separator: ":").compactMap { Int($0) }
            exif.gps = GPSFields(latitude: location.lat + random.uniform(-spread...spread),
                                 longitude: location.lon + random.uniform(-spread...spread),
                                 altitude: round1(1050 + random.uniform(-15...15)),
                                 dateStamp: String(utc.prefix(10)), timeStamp: (hms[0], hms[1], Double(hms[2])))
        }
        return exif
    }

    mutating func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }

    func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    // MARK: output

    func photoPath(_ record: SampleRecord, _ code: String) -> String {
        "photos/\(String(format: "%04d", record.index + 1))/\(code).jpg"
    }

    mutating func plannedPhotos(_ record: SampleRecord) -> [PlannedPhoto] {
        record.photos.map { photo in
            if var copy = photo.copyOf {
                copy.path = photoPath(record, photo.code)
                return copy
            }
            return PlannedPhoto(path: photoPath(record, photo.code),
                                spec: PhotoSpec(scene: photo.scene, encoding: EncodeOptions(quality: options.quality),
                                                exif: photo.exif, xmp: photo.xmp),
                                truncateTo: photo.truncateTo)
        }
    }

    func recordJSON(_ record: SampleRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "inspection_id": .string(record.inspectionId), "lane": .string(record.lane),
            "plate_type": .string(record.plateType), "vin": .string(record.vin),
            "vehicle_type": .string(record.vehicleType), "use_type": .string(record.useType), "category": "01",
            "first_registered": .string(record.firstRegistered),
            "started_at": .string(Timestamp(date: record.start, offsetSeconds: offset).description),
            "finished_at": .string(Timestamp(date: record.finish, offsetSeconds: offset).description),
            "conclusion": "pass",
            "inspectors": ["exterior": .string(Identifiers.nameFor(record.index, 1)),
                           "chassis": .string(Identifiers.nameFor(record.index, 2)),
                           "driver": .string(Identifiers.nameFor(record.index, 3))],
            "items": .object(record.items.mapValues { .string($0) }),
        ]
        if !record.omitPlate { object["plate"] = .string(record.plate) }
        if let odometer = record.odometer { object["odometer_km"] = JSONValue(odometer) }
        var measurements: [String: JSONValue] = [
            "brake": ["axles": .array(record.axles.enumerated().map { axle, value in
                ["axle": JSONValue(axle + 1), "ratio": JSONValue(value.ratio), "imbalance": JSONValue(value.imbalance)]
            }), "total_ratio": JSONValue(record.totalRatio), "parking_ratio": JSONValue(record.parkingRatio)],
        ]
        if let lamps = record.headlamps {
            measurements["headlamps"] = ["system": JSONValue(record.vehicle.headlampSystem),
                                         "left_high_cd": JSONValue(lamps.left), "right_high_cd": JSONValue(lamps.right)]
        }
        if let sideslip = record.sideslip { measurements["sideslip_m_per_km"] = JSONValue(sideslip) }
        object["measurements"] = .object(measurements)
        object["photos"] = .array(record.photos.map { photo in
            ["code": .string(photo.code), "file": .string(photoPath(record, photo.code)),
             "taken_at": .string(Timestamp(date: photo.time, offsetSeconds: offset).description),
             "device": .string(photo.device.id)]
        })
        return .object(object)
    }
}

extension Identifiers {
    /// A stable inspector name for a record and role.
    static func nameFor(_ record: Int, _ role: Int) -> String {
        var random = SeededRandom(seed: UInt64(record * 7 + role))
        return name(&random)
    }
}
