import Foundation

/// One inspection as a station submitted it, parsed leniently: every field is optional here, and whatever was
/// missing, mistyped or unparsable is listed in `fieldProblems` (the `record.fields` rule reports it).
public struct InspectionRecord: Sendable, Equatable {
    /// Position in the batch (0-based); names the record when it has no usable inspection id.
    public var index: Int
    public var inspectionId: String?
    public var lane: String?
    public var plate: String?
    public var plateType: String?
    public var vin: String?
    public var vehicleType: String?
    public var useType: String?
    public var category: String?
    /// Which test of this inspection it is (the platform's jycs 检验次数): 1 the first test, 2, 3 … re-tests (复检)
    /// of the failed items. The record's identity is (station, inspection_id, attempt).
    public var attempt: Int = 1
    /// The earlier attempt's inspection id, when the re-test was registered under a serial of its own.
    public var retestOf: String?
    /// First registration date as written (YYYY-MM-DD) and parsed.
    public var firstRegistered: String?
    public var firstRegisteredDate: Date?
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    public var odometerKm: Double?
    public var inspectors: [String: String]
    public var conclusion: Verdict?
    /// Item code (F1, B1, H1, ...) → the station's verdict.
    public var items: [String: Verdict]
    public var measurements: Measurements?
    public var photos: [PhotoEntry]
    /// The record object exactly as received (unknown fields included).
    public var raw: JSONValue
    /// Fields that were present but unusable (wrong type, bad format), by JSON path inside the record.
    public var fieldProblems: [FieldProblem]
    /// Fields the format requires that are absent or empty.
    public var missingFields: [String]

    public init(index: Int, raw: JSONValue = .object([:])) {
        self.index = index
        self.raw = raw
        inspectors = [:]
        items = [:]
        photos = []
        fieldProblems = []
        missingFields = []
    }

    /// The name used in messages: the inspection id (with the attempt of a re-test), or the record's position.
    public var label: String {
        guard let inspectionId else { return "records[\(index)]" }
        return attempt > 1 ? "\(inspectionId) (attempt \(attempt))" : inspectionId
    }

    /// A registration inspection (注册登记检验, category 00): the vehicle is new, with no plate or first registration yet.
    public var isRegistration: Bool { category.map { $0.filter { !$0.isWhitespace } } == "00" }

    /// A re-test (复检): a later attempt of an inspection that failed.
    public var isRetest: Bool { attempt > 1 || retestOf != nil }

    /// Photo entries with this code, in submission order.
    public func photos(code: String) -> [PhotoEntry] { photos.filter { $0.code == code } }

    /// Vehicle age in years at the inspection, by the calendar: whole years from the first registration date to the
    /// inspection's local date (in the offset its start time was written with), plus the share of the current year
    /// gone by. A car first registered on 2016-10-18 is exactly 10 on 2026-10-18 and more than 10 from 2026-10-19,
    /// whatever the hour; one registered on 29 February has its anniversary on 28 February in other years.
    /// A registration inspection without a first registration date is of a new vehicle: age 0.
    public var vehicleAgeYears: Double? {
        if firstRegistered == nil, isRegistration { return 0 }
        guard let registered = firstRegisteredDate, let start = startedAt else { return nil }
        let (ry, rm, rd, _, _, _) = Timestamp.civil(Int(registered.timeIntervalSince1970.rounded(.down)))
        let (sy, sm, sd, _, _, _) = Timestamp.civil(Int(start.date.timeIntervalSince1970.rounded(.down)) + start.offsetSeconds)
        func anniversary(_ years: Int) -> Int {
            let year = ry + years
            return Timestamp.daysFromCivil(year, rm, min(rd, Timestamp.daysInMonth(year, rm)))
        }
        var years = sy - ry
        if anniversary(years) > Timestamp.daysFromCivil(sy, sm, sd) { years -= 1 }
        let last = anniversary(years), next = anniversary(years + 1)
        return Double(years) + Double(Timestamp.daysFromCivil(sy, sm, sd) - last) / Double(next - last)
    }

    /// Whether a field (by its JSON name) has a non-empty value.
    public func hasValue(_ field: String) -> Bool {
        guard let value = raw[field] else { return false }
        switch value {
        case .null: return false
        case let .string(text): return !text.trimmingCharacters(in: .whitespaces).isEmpty
        case let .array(list): return !list.isEmpty
        case let .object(object): return !object.isEmpty
        default: return true
        }
    }
}

/// A verdict as stations write it: "pass"/"fail", 合格/不合格, or the platform's 1/2/0 codes.
public enum Verdict: String, Sendable, Codable, Equatable {
    case pass
    case fail
    case notTested = "not_tested"

    public init?(text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "pass", "1", "合格", "o", "ok": self = .pass
        case "fail", "2", "不合格", "x": self = .fail
        case "not_tested", "0", "-", "未检": self = .notTested
        default: return nil
        }
    }
}

/// A problem with one field of a record.
public struct FieldProblem: Sendable, Equatable, Codable {
    /// JSON path inside the record, e.g. "started_at" or "photos[2].taken_at".
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// One photo reference in a record.
public struct PhotoEntry: Sendable, Equatable {
    /// Position in the record's photo list.
    public var index: Int
    public var code: String?
    /// Relative path inside the batch directory.
    public var file: String?
    /// Shooting time declared by the lane software.
    public var takenAt: Timestamp?
    public var device: String?

    public init(index: Int, code: String? = nil, file: String? = nil, takenAt: Timestamp? = nil, device: String? = nil) {
        self.index = index
        self.code = code
        self.file = file
        self.takenAt = takenAt
        self.device = device
    }

    /// The name used in findings: the code, or the position when the code is missing.
    public var label: String { code ?? "photos[\(index)]" }
}

/// Lane measurements used to recompute the station's verdicts.
public struct Measurements: Sendable, Equatable {
    public var brake: BrakeMeasurements?
    public var headlamps: HeadlampMeasurements?
    public var sideslipMPerKm: Double?

    public init(brake: BrakeMeasurements? = nil, headlamps: HeadlampMeasurements? = nil, sideslipMPerKm: Double? = nil) {
        self.brake = brake
        self.headlamps = headlamps
        self.sideslipMPerKm = sideslipMPerKm
    }

    /// Names of the measurement groups present ("brake", "headlamps", "sideslip").
    public var presentGroups: Set<String> {
        var groups: Set<String> = []
        if brake != nil { groups.insert("brake") }
        if headlamps != nil { groups.insert("headlamps") }
        if sideslipMPerKm != nil { groups.insert("sideslip") }
        return groups
    }
}

public struct BrakeMeasurements: Sendable, Equatable {
    public var axles: [AxleBrake]
    /// Whole-vehicle service brake force as % of weight.
    public var totalRatio: Double?
    /// Parking brake force as % of test mass.
    public var parkingRatio: Double?

    public init(axles: [AxleBrake] = [], totalRatio: Double? = nil, parkingRatio: Double? = nil) {
        self.axles = axles
        self.totalRatio = totalRatio
        self.parkingRatio = parkingRatio
    }
}

public struct AxleBrake: Sendable, Equatable {
    /// 1 is the front axle.
    public var axle: Int
    /// Axle brake force as % of axle load.
    public var ratio: Double?
    /// Left-right difference as % of the larger side.
    public var imbalance: Double?

    public init(axle: Int, ratio: Double? = nil, imbalance: Double? = nil) {
        self.axle = axle
        self.ratio = ratio
        self.imbalance = imbalance
    }
}

public struct HeadlampMeasurements: Sendable, Equatable {
    /// 2 (two-lamp system) or 4 (four-lamp system).
    public var system: Int?
    public var leftHighCd: Double?
    public var rightHighCd: Double?

    public init(system: Int? = nil, leftHighCd: Double? = nil, rightHighCd: Double? = nil) {
        self.system = system
        self.leftHighCd = leftHighCd
        self.rightHighCd = rightHighCd
    }
}
