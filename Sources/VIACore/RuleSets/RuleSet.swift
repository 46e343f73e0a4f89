import Foundation

/// A resolved rule set: what applies to which records, and how every rule is tuned for them.
///
/// Loaded from YAML (with `extends` already merged) by the `RuleSets` module; pure data here. Its canonical JSON
/// (sorted keys, no source paths) is what `sha256` hashes, so a record's result names exactly the content that
/// judged it.
public struct RuleSet: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var description: String
    /// Abstract sets only carry shared defaults for others to extend; they never judge records.
    public var abstract: Bool
    public var appliesTo: RuleSetSelector
    /// Higher wins when several rule sets apply to a record.
    public var priority: Int
    /// Record fields required beyond the format's own.
    public var requiredFields: [String]
    public var requiredPhotos: [PhotoRequirement]
    /// When each kind of photo is taken relative to the inspection (documents before the lane starts, the report
    /// after it ends); the first window naming a code applies. Codes in none: the lane window.
    public var photoWindows: [PhotoWindow]
    /// Review age limit in seconds: an item waiting longer goes ahead of every younger item (SPEC §7).
    public var slaSeconds: Double
    /// Every photo code this rule set knows, with its name.
    public var photoCodes: [String: String]
    /// Reasons a reviewer may pick when sending a record back.
    public var reasons: [ReasonCode]
    public var sampling: SamplingPolicy
    /// Rule id → settings. Rules not listed run with their defaults.
    public var rules: [String: RuleSetting]
    /// Lowercase hex SHA-256 of the canonical content (set by the loader).
    public var sha256: String = ""
    /// Files this set was assembled from, most derived first (not part of the content hash).
    public var sources: [String] = []

    public init(id: String, name: String = "", description: String = "", abstract: Bool = false,
                appliesTo: RuleSetSelector = RuleSetSelector(), priority: Int = 0, requiredFields: [String] = [],
                requiredPhotos: [PhotoRequirement] = [], photoWindows: [PhotoWindow] = [],
                slaSeconds: Double = RuleSet.defaultSLASeconds, photoCodes: [String: String] = [:], reasons: [ReasonCode] = [],
                sampling: SamplingPolicy = SamplingPolicy(), rules: [String: RuleSetting] = [:]) {
        self.id = id
        self.name = name
        self.description = description
        self.abstract = abstract
        self.appliesTo = appliesTo
        self.priority = priority
        self.requiredFields = requiredFields
        self.requiredPhotos = requiredPhotos
        self.photoWindows = photoWindows
        self.slaSeconds = slaSeconds
        self.photoCodes = photoCodes
        self.reasons = reasons
        self.sampling = sampling
        self.rules = rules
    }

    /// The review age limit when a rule set names none: 10 minutes.
    public static let defaultSLASeconds: Double = 600

    enum CodingKeys: String, CodingKey {
        case id, name, description, abstract, appliesTo, priority, requiredFields, requiredPhotos, photoWindows, slaSeconds,
             photoCodes, reasons, sampling, rules, sha256
    }

    /// Rule sets stored before photo windows and age limits existed decode with none and the default limit.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decode(String.self, forKey: .description)
        abstract = try c.decode(Bool.self, forKey: .abstract)
        appliesTo = try c.decode(RuleSetSelector.self, forKey: .appliesTo)
        priority = try c.decode(Int.self, forKey: .priority)
        requiredFields = try c.decode([String].self, forKey: .requiredFields)
        requiredPhotos = try c.decode([PhotoRequirement].self, forKey: .requiredPhotos)
        photoWindows = try c.decodeIfPresent([PhotoWindow].self, forKey: .photoWindows) ?? []
        slaSeconds = try c.decodeIfPresent(Double.self, forKey: .slaSeconds) ?? Self.defaultSLASeconds
        photoCodes = try c.decode([String: String].self, forKey: .photoCodes)
        reasons = try c.decode([ReasonCode].self, forKey: .reasons)
        sampling = try c.decode(SamplingPolicy.self, forKey: .sampling)
        rules = try c.decode([String: RuleSetting].self, forKey: .rules)
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256) ?? ""
    }

    /// The reference stamped on each record result.
    public var reference: RuleSetReference { RuleSetReference(id: id, sha256: sha256) }

    /// The canonical content that `sha256` hashes: sorted-key compact JSON without the hash and sources.
    public var canonicalJSON: Data {
        var copy = self
        copy.sha256 = ""
        copy.sources = []
        return (try? JSONCoding.encoder(pretty: false).encode(copy)) ?? Data()
    }

    /// What this rule set requires of one record, conditions applied.
    public func requirements(for record: InspectionRecord) -> RecordRequirements {
        var codes: [String] = []
        for requirement in requiredPhotos where requirement.when?.holds(for: record) ?? true {
            for code in requirement.codes where !codes.contains(code) { codes.append(code) }
        }
        return RecordRequirements(photoCodes: codes, fields: requiredFields, photoCodeNames: photoCodes, photoWindows: photoWindows)
    }

    public func reason(_ code: String) -> ReasonCode? { reasons.first { $0.code == code } }
}

/// Which records a rule set is for. Empty lists match everything.
public struct RuleSetSelector: Sendable, Equatable, Codable {
    /// Vehicle type patterns with `*` and `?` (e.g. "K3*").
    public var vehicleTypes: [String]
    public var useTypes: [String]
    public var categories: [String]

    public init(vehicleTypes: [String] = [], useTypes: [String] = [], categories: [String] = []) {
        self.vehicleTypes = vehicleTypes
        self.useTypes = useTypes
        self.categories = categories
    }

    public func matches(_ record: InspectionRecord) -> Bool {
        Self.matches(vehicleTypes, record.vehicleType) && Self.matches(useTypes, record.useType)
            && Self.matches(categories, record.category)
    }

    static func matches(_ patterns: [String], _ value: String?) -> Bool {
        guard !patterns.isEmpty else { return true }
        guard let value else { return false }
        return patterns.contains { Glob.matches($0, value) }
    }

    /// How narrowly the selector is drawn (more literal characters is more specific); breaks priority ties.
    public var specificity: Int {
        func score(_ list: [String]) -> Int {
            list.isEmpty ? 0 : 100 - min(99, list.count) + (list.map { $0.filter { $0 != "*" && $0 != "?" }.count }.min() ?? 0) * 10
        }
        return score(vehicleTypes) * 4 + score(useTypes) * 2 + score(categories)
    }
}

/// Photo codes a rule set requires, possibly only under a condition.
public struct PhotoRequirement: Sendable, Equatable, Codable {
    public var codes: [String]
    public var when: Condition?
    public var note: String?

    public init(codes: [String], when: Condition? = nil, note: String? = nil) {
        self.codes = codes
        self.when = when
        self.note = note
    }
}

/// When photos of some codes are taken, relative to the inspection [started_at, finished_at].
public struct PhotoWindow: Sendable, Equatable, Codable {
    /// Photo codes, with `*` and `?` patterns.
    public var codes: [String]
    /// How long before started_at such a photo may be taken, in seconds (nil: the rule's tolerance).
    public var beforeStartSeconds: Double?
    /// How long after finished_at such a photo may be taken, in seconds (nil: the rule's tolerance).
    public var afterEndSeconds: Double?
    public var note: String?

    public init(codes: [String], beforeStartSeconds: Double? = nil, afterEndSeconds: Double? = nil, note: String? = nil) {
        self.codes = codes
        self.beforeStartSeconds = beforeStartSeconds
        self.afterEndSeconds = afterEndSeconds
        self.note = note
    }

    public func matches(_ code: String?) -> Bool {
        guard let code else { return false }
        return codes.contains { Glob.matches($0, code) }
    }
}

/// A condition on a record; every field that is set must hold.
public struct Condition: Sendable, Equatable, Codable {
    /// Vehicle older than this many years at the inspection (from first registration).
    public var vehicleAgeOverYears: Double?
    public var vehicleAgeAtMostYears: Double?
    public var vehicleTypes: [String]?
    public var useTypes: [String]?
    public var plateTypes: [String]?
    public var categories: [String]?
    /// Measurement groups that must be present: brake, headlamps, sideslip.
    public var measurementsPresent: [String]?
    /// Item codes the station tested (listed with a pass or fail verdict; "not tested" does not count).
    public var itemsPresent: [String]?
    /// true: only re-tests (attempt 2 or later); false: only first tests.
    public var retest: Bool?

    public init(vehicleAgeOverYears: Double? = nil, vehicleAgeAtMostYears: Double? = nil, vehicleTypes: [String]? = nil,
                useTypes: [String]? = nil, plateTypes: [String]? = nil, categories: [String]? = nil,
                measurementsPresent: [String]? = nil, itemsPresent: [String]? = nil, retest: Bool? = nil) {
        self.retest = retest
        self.vehicleAgeOverYears = vehicleAgeOverYears
        self.vehicleAgeAtMostYears = vehicleAgeAtMostYears
        self.vehicleTypes = vehicleTypes
        self.useTypes = useTypes
        self.plateTypes = plateTypes
        self.categories = categories
        self.measurementsPresent = measurementsPresent
        self.itemsPresent = itemsPresent
    }

    /// Whether the condition holds. An age condition on a record without a usable age does not hold for
    /// "over" (we cannot show the vehicle is old) and does hold for "at most"; a new vehicle (registration without a
    /// first registration date) is 0 years old.
    public func holds(for record: InspectionRecord) -> Bool {
        if let retest, retest != record.isRetest { return false }
        let age = record.vehicleAgeYears
        if let limit = vehicleAgeOverYears { guard let age, age > limit else { return false } }
        if let limit = vehicleAgeAtMostYears, let age, age > limit { return false }
        if let list = vehicleTypes, !RuleSetSelector.matches(list, record.vehicleType) { return false }
        if let list = useTypes, !RuleSetSelector.matches(list, record.useType) { return false }
        if let list = plateTypes, !RuleSetSelector.matches(list, record.plateType) { return false }
        if let list = categories, !RuleSetSelector.matches(list, record.category) { return false }
        if let groups = measurementsPresent {
            let present = record.measurements?.presentGroups ?? []
            if !groups.allSatisfy(present.contains) { return false }
        }
        if let items = itemsPresent, !items.allSatisfy({ record.items[$0].map { $0 != .notTested } ?? false }) { return false }
        return true
    }
}

/// A reason a reviewer may give when sending a record back (退办原因).
public struct ReasonCode: Sendable, Equatable, Codable {
    public var code: String
    public var text: String
    /// The original Chinese wording stations know.
    public var textZh: String?

    public init(code: String, text: String, textZh: String? = nil) {
        self.code = code
        self.text = text
        self.textZh = textZh
    }
}

/// QA sampling of passed records.
public struct SamplingPolicy: Sendable, Equatable, Codable {
    /// Fraction of passed records sent to review anyway (0...1).
    public var rate: Double
    /// Changes which records are picked without changing how many.
    public var salt: String

    public init(rate: Double = 0, salt: String = "via") {
        self.rate = rate
        self.salt = salt
    }
}

/// How a rule set tunes one rule.
public struct RuleSetting: Sendable, Equatable, Codable {
    public var enabled: Bool
    /// Nil keeps the rule's default severity.
    public var severity: Severity?
    public var parameters: [String: JSONValue]
    /// Source lines of the parameters (for errors; not part of the content).
    public var parameterLines: [String: Int] = [:]

    public init(enabled: Bool = true, severity: Severity? = nil, parameters: [String: JSONValue] = [:],
                parameterLines: [String: Int] = [:]) {
        self.enabled = enabled
        self.severity = severity
        self.parameters = parameters
        self.parameterLines = parameterLines
    }

    enum CodingKeys: String, CodingKey { case enabled, severity, parameters }

    /// Parameters with their lines, as rules read them.
    public var parameterValues: [String: ParameterValue] {
        parameters.reduce(into: [:]) { $0[$1.key] = ParameterValue($1.value, line: parameterLines[$1.key]) }
    }
}

/// Glob patterns with `*` (any run) and `?` (one character).
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether a pattern uses only the characters patterns may hold.
    public static func isValid(_ pattern: String) -> Bool {
        !pattern.isEmpty && pattern.allSatisfy { $0.isLetter || $0.isNumber || $0 == "*" || $0 == "?" || $0 == "-" || $0 == "_" }
    }
}

/// All rule sets in force, and the choice of one per record.
public struct RuleSetCatalog: Sendable, Equatable {
    public var ruleSets: [RuleSet]

    public init(ruleSets: [RuleSet]) { self.ruleSets = ruleSets }

    public subscript(id: String) -> RuleSet? { ruleSets.first { $0.id == id } }

    /// The rule set that judges a record: among the concrete sets that apply, highest priority, then the most
    /// specific selector, then the smallest id (deterministic).
    public func select(for record: InspectionRecord) -> RuleSet? {
        ruleSets.filter { !$0.abstract && $0.appliesTo.matches(record) }.min { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.appliesTo.specificity != b.appliesTo.specificity { return a.appliesTo.specificity > b.appliesTo.specificity }
            return a.id < b.id
        }
    }
}
