import Foundation

/// Parses batch.json into a `Batch`.
///
/// Whole-batch problems (invalid JSON, wrong format, unknown station, photo paths leaving the directory) throw a
/// `BatchRefusal`; everything wrong inside one record is recorded on that record and never refuses the batch.
public enum BatchParser {
    /// Fields every record must carry (SPEC §3).
    public static let requiredRecordFields = [
        "inspection_id", "lane", "plate", "plate_type", "vin", "vehicle_type", "use_type", "category",
        "started_at", "finished_at", "conclusion", "photos",
    ]

    /// Fields a registration inspection (category 00) of a new vehicle may leave out: it has no plate and no first
    /// registration yet (SPEC §3).
    public static let newVehicleFields: Set<String> = ["plate", "plate_type", "first_registered"]

    public static func parse(_ data: Data, file: String = "batch.json",
                             isKnownStation: (String) -> Bool) throws(BatchRefusal) -> Batch {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            if let problem = JSONSyntaxCheck.firstProblem(Array(data)) {
                throw BatchRefusal(file: file, message: "not valid JSON: \(problem)")
            }
            throw BatchRefusal(file: file, message: "not valid JSON: \(describe(error))")
        }
        guard case let .object(object) = root else {
            throw BatchRefusal(file: file, path: "$", message: "expected a JSON object, found \(root.typeName)")
        }
        guard let format = object["format"] else {
            throw BatchRefusal(file: file, path: "$.format", message: "missing; expected \"\(Batch.format)\"")
        }
        guard format.stringValue == Batch.format else {
            throw BatchRefusal(file: file, path: "$.format", message: "expected \"\(Batch.format)\", found \(format.compactText)")
        }
        guard let station = object["station"]?.stringValue, !station.isEmpty else {
            throw BatchRefusal(file: file, path: "$.station", message: "missing or not a string; expected the station code")
        }
        guard isKnownStation(station) else {
            throw BatchRefusal(file: file, path: "$.station", message: "unknown station \"\(station)\" (not in the station registry)")
        }
        guard let batchId = object["batch_id"]?.stringValue, !batchId.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw BatchRefusal(file: file, path: "$.batch_id", message: "missing or not a string; expected the batch id")
        }
        let found: String? = if batchId.count > 128 {
            "\(batchId.count) characters"
        } else if batchId.contains(where: { $0 == "/" || $0 == "\\" }) {
            "a slash"
        } else if let control = batchId.firstControlCharacter {
            "the control character \(control)" // line breaks included
        } else if batchId.contains(where: \.isNewline) {
            "a line break"
        } else {
            nil
        }
        if let found {
            throw BatchRefusal(file: file, path: "$.batch_id",
                               message: "expected at most 128 characters without slashes, line breaks or control characters; found \(found)")
        }
        guard case let .array(list) = object["records"] ?? .null else {
            throw BatchRefusal(file: file, path: "$.records", message: "missing or not an array of records")
        }
        var records: [InspectionRecord] = []
        records.reserveCapacity(list.count)
        for (index, value) in list.enumerated() {
            let record = RecordParser.parse(value, index: index)
            for photo in record.photos {
                guard let path = photo.file else { continue }
                if let problem = PathCheck.problem(path) {
                    throw BatchRefusal(file: file, path: "$.records[\(index)].photos[\(photo.index)].file",
                                       message: "\(problem): \"\(path)\"")
                }
            }
            records.append(record)
        }
        markRepeatedInspectionIds(&records)
        return Batch(station: station, batchId: batchId, records: records, raw: root)
    }

    /// A repeated inspection (id and attempt) inside one batch is a problem of the later record; two attempts of
    /// one inspection may arrive together, in order.
    static func markRepeatedInspectionIds(_ records: inout [InspectionRecord]) {
        var first: [String: Int] = [:]
        var lastAttempt: [String: (attempt: Int, index: Int)] = [:]
        for index in records.indices {
            guard let id = records[index].inspectionId else { continue }
            let attempt = records[index].attempt
            let key = "\(id)#\(attempt)"
            if let earlier = first[key] {
                let which = attempt > 1 ? " (attempt \(attempt))" : ""
                records[index].fieldProblems.append(FieldProblem(
                    field: "inspection_id", message: "inspection_id \"\(id)\"\(which) repeats records[\(earlier)] of this batch"))
                continue
            }
            first[key] = index
            if let previous = lastAttempt[id], previous.attempt > attempt {
                records[index].fieldProblems.append(FieldProblem(
                    field: "attempt", message: "attempt \(attempt) of inspection \"\(id)\" comes after attempt \(previous.attempt) (records[\(previous.index)]); attempts are expected in order"))
            } else {
                lastAttempt[id] = (attempt, index)
            }
        }
    }

    static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            if let underlying = context.underlyingError {
                let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(underlying)"
                return text
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}

/// Lexical checks on photo paths inside a batch (symlinks are checked where the files are, by the loader).
public enum PathCheck {
    /// Why a relative photo path is unacceptable, or nil when it is fine.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return nil } // an empty path is a record problem, not an escape
        if path.hasPrefix("/") || path.hasPrefix("\\") || path.hasPrefix("~") { return "absolute photo path" }
        if path.count >= 2, path.dropFirst().first == ":" { return "absolute photo path" }
        if path.contains("\0") { return "photo path contains a NUL character" }
        let components = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return "photo path leaves the batch directory (contains ..)" }
        return nil
    }
}
