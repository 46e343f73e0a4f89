import Foundation
import PhotoAnalysis
import VIACore

extension BatchPlan {
    /// Plants one defect in a clean record and writes its story.
    mutating func apply(_ defect: Defect, to record: inout SampleRecord) {
        record.defect = defect
        let offset = self.offset
        /// A random photo of the record; `exteriorOnly` skips lane photos, `cameraOnly` skips document scans
        /// (rule sets may exempt those from EXIF checks).
        func anyPhoto(_ random: inout SeededRandom, exteriorOnly: Bool = false, cameraOnly: Bool = false) -> Int {
            let candidates = record.photos.indices.filter {
                (!exteriorOnly || !record.photos[$0].code.hasPrefix("03")) && (!cameraOnly || !record.photos[$0].code.hasPrefix("02"))
            }
            let pool = candidates.isEmpty ? Array(record.photos.indices) : candidates
            return pool[Int(random.next() % UInt64(pool.count))]
        }
        switch defect {
        case .stalePhoto:
            let i = anyPhoto(&random)
            let shift = -(2 * 86400 + random.uniform(0...20000).rounded())
            record.photos[i].time = record.photos[i].time.addingTimeInterval(shift)
            let photo = record.photos[i]
            record.photos[i].exif = exif(for: photo, jitter: 1)
            record.story = "photo \(record.photos[i].code) was taken two days before the inspection (EXIF and declared time)"
        case .missingPhoto:
            let i = anyPhoto(&random)
            record.story = "required photo \(record.photos[i].code) was not submitted"
            record.photos.remove(at: i)
        case .corruptFile:
            let i = anyPhoto(&random)
            record.photos[i].truncateTo = 0.55
            record.story = "photo \(record.photos[i].code) was cut off at 55 % during upload"
        case .unregisteredCamera:
            let i = anyPhoto(&random, exteriorOnly: true)
            record.photos[i].exif?.make = "Canon"
            record.photos[i].exif?.model = "EOS 90D"
            record.photos[i].exif?.bodySerialNumber = "0831\(Int(random.uniform(100_000...999_999)))"
            record.story = "photo \(record.photos[i].code) comes from a Canon EOS 90D that is registered nowhere"
        case .gpsFarAway:
            let i = anyPhoto(&random, exteriorOnly: true)
            record.photos[i].exif?.gps?.latitude += 0.3
            record.story = "photo \(record.photos[i].code) carries a GPS position about 33 km north of the station"
        case .editedBySoftware:
            let i = anyPhoto(&random, exteriorOnly: true)
            let tool = "Adobe Photoshop 25.0 (Windows)"
            record.photos[i].exif?.software = tool
            let saved = record.photos[i].time.addingTimeInterval(2 * 86400 + 3600)
            record.photos[i].exif?.dateTime = Timestamp.exifText(saved, offset: offset)
            record.photos[i].xmp = XMPFields(creatorTool: tool, historySoftware: [tool])
            record.story = "photo \(record.photos[i].code) was re-saved in Photoshop two days later"
        case .darkPhoto:
            let i = anyPhoto(&random)
            record.photos[i].scene.exposure = 0.12
            record.story = "photo \(record.photos[i].code) is badly underexposed"
        case .blurredPhoto:
            let i = anyPhoto(&random)
            record.photos[i].scene.blurRadius = max(4, options.photoWidth / 80)
            record.story = "photo \(record.photos[i].code) is out of focus"
        case .blankPhoto:
            let i = anyPhoto(&random)
            record.photos[i].scene.blank = true
            record.story = "photo \(record.photos[i].code) is a blank grey frame"
        case .duplicateInBatch:
            let i = anyPhoto(&random, exteriorOnly: true)
            let code = record.photos[i].code
            // Reuse a photo from the same lane (the same camera), as a station cutting corners would.
            let source = records.lastIndex { $0.lane == record.lane && $0.photos.contains { $0.code == code } && $0.defect == nil }
                ?? records.lastIndex { $0.photos.contains { $0.code == code } && $0.defect == nil }
            if let source, let original = plannedPhotos(records[source]).first(where: { $0.path.hasSuffix("/\(code).jpg") }) {
                record.photos[i].copyOf = original
                record.story = "photo \(code) is the very file of record \(records[source].inspectionId)'s \(code)"
            } else {
                record.photos[i].time = record.photos[i].time.addingTimeInterval(-3 * 86400)
                let photo = record.photos[i]
                record.photos[i].exif = exif(for: photo, jitter: 1)
                record.defect = .stalePhoto
                record.story = "photo \(code) was taken three days before the inspection (no earlier photo to reuse)"
            }
        case .vinTypo:
            var characters = Array(record.vin)
            characters[8] = characters[8] == "3" ? "4" : "3"
            record.vin = String(characters)
            record.story = "VIN \(record.vin) was mistyped: its check digit does not match"
        case .plateMismatch:
            if record.plateType == "15" {
                record.plateType = "02"
                record.story = "trailer plate \(record.plate) (挂) declared as plate type 02"
            } else {
                record.plateType = record.plate.count == 8 ? "02" : "52"
                record.story = "plate \(record.plate) does not fit declared plate type \(record.plateType)"
            }
        case .verdictContradiction:
            record.axles[0].ratio = 45.0
            record.story = "axle 1 brake ratio measured 45 %, below the 60 % limit, yet item B1 and the conclusion say pass"
        case .lowResolution:
            let i = anyPhoto(&random)
            record.photos[i].scene.width = 320
            record.photos[i].scene.height = 240
            record.story = "photo \(record.photos[i].code) is only 320x240"
        case .noExif:
            let i = anyPhoto(&random, cameraOnly: true)
            record.photos[i].exif = nil
            record.story = "photo \(record.photos[i].code) has no EXIF at all"
        case .sequenceSwapped:
            plantSwappedChassisPhotos(&record)
        case .unregisteredLane:
            record.lane = "9"
            record.story = "declared lane 9 does not exist at station \(station.code)"
        case .timesInverted:
            swap(&record.start, &record.finish)
            record.story = "finished_at is before started_at"
        case .missingField:
            record.omitPlate = true
            record.story = "the plate number is missing"
        case .unknownVehicleType:
            record.vehicleType = "X99"
            record.story = "vehicle type X99 is covered by no rule set"
        case .odometerRollback:
            let source = records.lastIndex { $0.lane == record.lane && $0.odometer != nil && $0.defect == nil && $0.finish < record.start }
            if let source, let reading = records[source].odometer {
                adopt(records[source], into: &record)
                record.odometer = max(0, reading - 5000)
                record.story = "same vehicle as \(records[source].inspectionId) earlier, but the odometer went back 5000 km"
            } else {
                record.vin = String(record.vin.prefix(16)) + (record.vin.last == "1" ? "2" : "1")
                record.defect = .vinTypo
                record.story = "VIN \(record.vin) was mistyped (no earlier inspection to roll the odometer back against)"
            }
        case .overlappingInspection:
            let source = records.lastIndex { $0.defect == nil && $0.lane != record.lane } ?? records.lastIndex { $0.defect == nil }
            if let source {
                adopt(records[source], into: &record)
                record.odometer = records[source].odometer.map { $0 + 3 }
                let shift = record.start.timeIntervalSince(records[source].start)
                record.start = records[source].start.addingTimeInterval(300)
                record.finish = records[source].finish.addingTimeInterval(300)
                for i in record.photos.indices {
                    record.photos[i].time = record.photos[i].time.addingTimeInterval(300 - shift)
                    let photo = record.photos[i]
                    record.photos[i].exif = exif(for: photo, jitter: 1)
                }
                record.story = "the same VIN was being inspected in \(records[source].inspectionId) at the same time"
            }
        }
    }

    /// Makes the record describe the same vehicle as an earlier one (plate, VIN, type), keeping its own photos.
    func adopt(_ source: SampleRecord, into record: inout SampleRecord) {
        record.vin = source.vin
        record.plate = source.plate
        record.plateType = source.plateType
        record.vehicleType = source.vehicleType
        record.useType = source.useType
        record.firstRegistered = source.firstRegistered
    }

    /// Gives the record dynamic-chassis photos shot in the wrong order (end before start).
    mutating func plantSwappedChassisPhotos(_ record: inout SampleRecord) {
        let lane = station.lane(record.lane) ?? station.lanes[0]
        let early = record.start.addingTimeInterval(record.finish.timeIntervalSince(record.start) * 0.55)
        let late = early.addingTimeInterval(120)
        for code in ["0344", "0342"] where !record.photos.contains(where: { $0.code == code }) {
            record.photos.append(makePhoto(code: code, time: early, lane: lane, recordIndex: record.index))
        }
        for i in record.photos.indices {
            if record.photos[i].code == "0344" { record.photos[i].time = late }
            if record.photos[i].code == "0342" { record.photos[i].time = early }
            if ["0344", "0342"].contains(record.photos[i].code) {
                let photo = record.photos[i]
                record.photos[i].exif = exif(for: photo, jitter: 0.5)
            }
        }
        record.story = "dynamic chassis end (0342) was shot two minutes before its start (0344)"
    }
}
