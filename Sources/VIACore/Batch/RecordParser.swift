import Foundation

extension InspectionRecord {
    /// Parses one record object as a batch would (every problem recorded on the record, never thrown).
    public static func parse(_ json: JSONValue, index: Int) -> InspectionRecord { RecordParser.parse(json, index: index) }
}

/// Turns one record's JSON into an `InspectionRecord`, collecting every problem instead of failing.
enum RecordParser {
    static func parse(_ value: JSONValue, index: Int) -> InspectionRecord {
        var record = InspectionRecord(index: index, raw: value)
        guard case let .object(object) = value else {
            record.fieldProblems.append(FieldProblem(field: "$", message: "expected a record object, found \(value.typeName)"))
            record.missingFields = BatchParser.requiredRecordFields
            return record
        }
        var reader = FieldReader(object: object)
        record.inspectionId = reader.string("inspection_id")
        record.lane = reader.string("lane")
        record.plate = reader.string("plate")
        record.plateType = reader.string("plate_type")
        record.vin = reader.string("vin")
        record.vehicleType = reader.string("vehicle_type")
        record.useType = reader.string("use_type")
        record.category = reader.string("category")
        if let attempt = reader.number("attempt") {
            if attempt >= 1, attempt <= 99, attempt == attempt.rounded() {
                record.attempt = Int(attempt)
            } else {
                reader.problem("attempt", "expected a whole number from 1 to 99 (1 the first test, 2 the first re-test), found \(JSONValue.number(attempt).compactText)")
            }
        }
        record.retestOf = reader.string("retest_of")
        if let text = reader.string("first_registered") {
            record.firstRegistered = text
            record.firstRegisteredDate = Timestamp.parseDate(text)
            if record.firstRegisteredDate == nil {
                reader.problem("first_registered", "expected a date YYYY-MM-DD, found \"\(text)\"")
            }
        }
        record.startedAt = reader.timestamp("started_at")
        record.finishedAt = reader.timestamp("finished_at")
        record.odometerKm = reader.number("odometer_km")
        if let text = reader.string("conclusion") {
            record.conclusion = Verdict(text: text)
            if record.conclusion == nil { reader.problem("conclusion", "expected \"pass\" or \"fail\", found \"\(text)\"") }
        }
        if let inspectors = reader.object("inspectors") {
            for (role, name) in inspectors {
                if let text = name.stringValue { record.inspectors[role] = text } else {
                    reader.problem("inspectors.\(role)", "expected a name, found \(name.typeName)")
                }
            }
        }
        if let items = reader.object("items") {
            for (code, verdict) in items {
                let text: String? = verdict.stringValue ?? verdict.numberValue.map { String(Int($0)) }
                if let text, let parsed = Verdict(text: text) { record.items[code] = parsed } else {
                    reader.problem("items.\(code)", "expected \"pass\", \"fail\" or \"not_tested\", found \(verdict.compactText)")
                }
            }
        }
        if let measurements = reader.object("measurements") {
            record.measurements = parseMeasurements(measurements, &reader)
        }
        if let photos = reader.array("photos") {
            for (photoIndex, item) in photos.enumerated() {
                record.photos.append(parsePhoto(item, index: photoIndex, &reader))
            }
        }
        record.fieldProblems = reader.problems
        let exempt = record.isRegistration ? BatchParser.newVehicleFields : []
        record.missingFields = BatchParser.requiredRecordFields.filter { !exempt.contains($0) && !record.hasValue($0) }
        return record
    }

    static func parsePhoto(_ value: JSONValue, index: Int, _ reader: inout FieldReader) -> PhotoEntry {
        var entry = PhotoEntry(index: index)
        let prefix = "photos[\(index)]"
        guard case let .object(object) = value else {
            reader.problem(prefix, "expected a photo object, found \(value.typeName)")
            return entry
        }
        var inner = FieldReader(object: object, prefix: prefix + ".")
        entry.code = inner.string("code")
        entry.file = inner.string("file")
        entry.takenAt = inner.timestamp("taken_at")
        entry.device = inner.string("device")
        if entry.code == nil, object["code"] == nil { inner.problem("code", "missing photo code") }
        if entry.file == nil, object["file"] == nil { inner.problem("file", "missing photo file path") }
        reader.problems += inner.problems
        return entry
    }

    static func parseMeasurements(_ object: [String: JSONValue], _ reader: inout FieldReader) -> Measurements {
        var measurements = Measurements()
        var inner = FieldReader(object: object, prefix: "measurements.")
        if let brake = inner.object("brake") {
            var brakeReader = FieldReader(object: brake, prefix: "measurements.brake.")
            var result = BrakeMeasurements()
            result.totalRatio = brakeReader.number("total_ratio")
            result.parkingRatio = brakeReader.number("parking_ratio")
            if let axles = brakeReader.array("axles") {
                for (position, item) in axles.enumerated() {
                    guard case let .object(axleObject) = item else {
                        brakeReader.problem("axles[\(position)]", "expected an axle object, found \(item.typeName)")
                        continue
                    }
                    var axleReader = FieldReader(object: axleObject, prefix: "measurements.brake.axles[\(position)].")
                    let number = axleReader.number("axle").map { Int($0) } ?? position + 1
                    result.axles.append(AxleBrake(axle: number, ratio: axleReader.number("ratio"),
                                                  imbalance: axleReader.number("imbalance")))
                    brakeReader.problems += axleReader.problems
                }
            }
            inner.problems += brakeReader.problems
            measurements.brake = result
        }
        if let lamps = inner.object("headlamps") {
            var lampReader = FieldReader(object: lamps, prefix: "measurements.headlamps.")
            measurements.headlamps = HeadlampMeasurements(
                system: lampReader.number("system").map { Int($0) },
                leftHighCd: lampReader.number("left_high_cd"), rightHighCd: lampReader.number("right_high_cd"))
            inner.problems += lampReader.problems
        }
        measurements.sideslipMPerKm = inner.number("sideslip_m_per_km")
        reader.problems += inner.problems
        return measurements
    }
}

/// Typed reads from a JSON object that record problems instead of throwing.
struct FieldReader {
    let object: [String: JSONValue]
    var prefix = ""
    var problems: [FieldProblem] = []

    init(object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    mutating func problem(_ key: String, _ message: String) {
        problems.append(FieldProblem(field: prefix + key, message: message))
    }

    /// A string; nil when absent or null. Other types, and text holding a control character, are problems:
    /// SQLite's C API would cut a value at a NUL, so "A\u0000B" could be stored, and looked up, as "A".
    mutating func string(_ key: String) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case let .string(text)?:
            if let control = text.firstControlCharacter {
                problem(key, "contains the control character \(control); expected text without control characters")
                return nil
            }
            return text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
        case let value?:
            problem(key, "expected a string, found \(value.typeName) \(value.compactText)")
            return nil
        }
    }

    mutating func number(_ key: String) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case let .number(value)?: return value
        case let value?:
            problem(key, "expected a number, found \(value.typeName) \(value.compactText)")
            return nil
        }
    }

    mutating func object(_ key: String) -> [String: JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case let .object(value)?: return value
        case let value?:
            problem(key, "expected an object, found \(value.typeName)")
            return nil
        }
    }

    mutating func array(_ key: String) -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case let .array(value)?: return value
        case let value?:
            problem(key, "expected an array, found \(value.typeName)")
            return nil
        }
    }

    mutating func timestamp(_ key: String) -> Timestamp? {
        guard let text = string(key) else { return nil }
        guard let value = Timestamp.parseISO8601(text) else {
            problem(key, "expected an ISO 8601 time with a zone (2026-10-18T09:59:10+08:00), found \"\(text)\"")
            return nil
        }
        return value
    }
}
