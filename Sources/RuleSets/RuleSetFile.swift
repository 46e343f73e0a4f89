import Foundation
import VIACore
import Yams

/// How one rule-set file tunes one rule, before inheritance.
struct RawRuleSetting {
    var line: Int
    var enabled: Bool?
    var severity: Severity?
    var parameters: [String: Located<JSONValue>] = [:]
}

/// A photo code named somewhere in a file (required_photos or a rule parameter), to check against the catalogue.
struct PhotoCodeReference {
    var code: String
    var line: Int
    /// Where it was named, for the message ("required_photos", "photo.sequence parameter order").
    var context: String
}

/// One rule-set file as written, before `extends` is resolved. Everything is optional: what the file leaves out
/// comes from its parent.
struct RuleSetFile {
    static let topLevelKeys = ["id", "name", "description", "abstract", "extends", "applies_to", "priority",
                               "required_fields", "required_photos", "photo_windows", "sla_minutes", "photo_codes", "reasons",
                               "sampling", "rules"]
    static let selectorKeys = ["vehicle_types", "use_types", "categories"]
    static let requirementKeys = ["codes", "when", "note"]
    static let conditionKeys = ["vehicle_age_over_years", "vehicle_age_at_most_years", "vehicle_types", "use_types",
                                "plate_types", "categories", "measurements_present", "items_present", "retest"]
    static let windowKeys = ["codes", "before_start_s", "after_end_s", "note"]
    static let measurementGroups = ["brake", "headlamps", "sideslip"]
    static let reasonKeys = ["code", "text", "text_zh"]
    static let samplingKeys = ["rate", "salt"]
    static let ruleEntryKeys = ["enabled", "severity", "params"]
    /// Rule parameters that hold photo codes (checked against the resolved catalogue).
    static let photoCodeParameters = ["order", "codes", "exempt_codes", "ignore_codes", "exact_only_codes"]

    var file: String
    /// The id when it is present and well-formed.
    var id: String?
    /// Line of the `id` key (line 1 when absent), where whole-set problems are reported.
    var idLine = 1
    var name: String?
    var description: String?
    var abstract: Bool?
    var extends: Located<String>?
    var appliesTo: RuleSetSelector?
    /// Whether the file has an `applies_to` key at all (even one that failed to parse).
    var hasAppliesTo = false
    var priority: Int?
    var requiredFields: [String]?
    var requiredPhotos: [PhotoRequirement]?
    var photoWindows: [PhotoWindow]?
    var slaMinutes: Double?
    var photoCodes: [(code: String, name: String)] = []
    var reasons: [ReasonCode]?
    var samplingRate: Double?
    var samplingSalt: String?
    var rules: [(id: String, setting: RawRuleSetting)] = []
    var photoCodeReferences: [PhotoCodeReference] = []

    /// Whether the file's text could be read as a rule set at all (a mapping).
    var isReadable = false

    init(file: String) { self.file = file }

    /// Reads a file's text, reporting every problem of form (syntax, keys, types, values) through `reader`.
    static func parse(_ text: String, reader: inout YAMLReader) -> RuleSetFile {
        var set = RuleSetFile(file: reader.file)
        guard let root = reader.compose(text) else { return set }
        guard let entries = reader.mapping(root, "rule set") else { return set }
        set.isReadable = true
        let fields = reader.checkKeys(entries, allowed: topLevelKeys, in: "the rule set")

        if let (line, node) = fields["id"] {
            set.idLine = line
            if let id = reader.string(node, "id") {
                if id.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil {
                    set.id = id
                } else {
                    reader.error(YAMLReader.line(node, default: line),
                                 "id \"\(id)\" is malformed; use lowercase letters, digits and '-' only")
                }
            }
        } else {
            reader.error(1, "missing id (required: the rule set's identifier, e.g. id: small-passenger)")
        }
        if let (_, node) = fields["name"] { set.name = reader.string(node, "name") }
        if let (_, node) = fields["description"] { set.description = reader.string(node, "description") }
        if let (_, node) = fields["abstract"] { set.abstract = reader.bool(node, "abstract") }
        if let (line, node) = fields["extends"], let parent = reader.string(node, "extends") {
            set.extends = Located(value: parent, line: YAMLReader.line(node, default: line))
        }
        if let (_, node) = fields["applies_to"] {
            set.hasAppliesTo = true
            set.appliesTo = parseSelector(node, &reader)
        }
        if let (_, node) = fields["priority"] { set.priority = reader.integer(node, "priority") }
        if let (_, node) = fields["required_fields"] {
            set.requiredFields = reader.strings(node, "required_fields")?.map(\.value)
        }
        if let (_, node) = fields["required_photos"] { set.requiredPhotos = parseRequirements(node, &set, &reader) }
        if let (_, node) = fields["photo_windows"] { set.photoWindows = parseWindows(node, &set, &reader) }
        if let (_, node) = fields["sla_minutes"], let minutes = reader.number(node, "sla_minutes") {
            if minutes > 0, minutes <= 7 * 24 * 60 {
                set.slaMinutes = minutes
            } else {
                reader.error(YAMLReader.line(node), "sla_minutes must lie in (0, 10080] (up to a week), found \(minutes)")
            }
        }
        if let (_, node) = fields["photo_codes"], let codes = reader.mapping(node, "photo_codes") {
            for entry in codes {
                if let name = reader.string(entry.value, "photo_codes \"\(entry.key)\"") {
                    set.photoCodes.append((entry.key, name))
                }
            }
        }
        if let (_, node) = fields["reasons"] { set.reasons = parseReasons(node, &reader) }
        if let (_, node) = fields["sampling"], let sampling = reader.mapping(node, "sampling") {
            let keys = reader.checkKeys(sampling, allowed: samplingKeys, in: "sampling")
            if let (_, value) = keys["rate"], let rate = reader.number(value, "sampling rate") {
                if (0...1).contains(rate) {
                    set.samplingRate = rate
                } else {
                    reader.error(YAMLReader.line(value), "sampling rate must lie in 0...1, found \(value.scalar?.string ?? "\(rate)")")
                }
            }
            if let (_, value) = keys["salt"] { set.samplingSalt = reader.string(value, "sampling salt") }
        }
        if let (_, node) = fields["rules"] { parseRules(node, &set, &reader) }
        return set
    }

    // MARK: Sections

    static func parsePatterns(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> [String]? {
        guard let patterns = reader.strings(node, what) else { return nil }
        var valid = true
        for pattern in patterns where !Glob.isValid(pattern.value) {
            reader.error(pattern.line, "\(what): invalid pattern \"\(pattern.value)\"; use letters, digits, '-', '_' and the wildcards * and ?")
            valid = false
        }
        return valid ? patterns.map(\.value) : nil
    }

    static func parseSelector(_ node: Node, _ reader: inout YAMLReader) -> RuleSetSelector? {
        guard let entries = reader.mapping(node, "applies_to") else { return nil }
        let keys = reader.checkKeys(entries, allowed: selectorKeys, in: "applies_to")
        var selector = RuleSetSelector()
        var valid = true
        for key in selectorKeys {
            guard let (_, value) = keys[key] else { continue }
            guard let patterns = parsePatterns(value, "applies_to \(key)", &reader) else { valid = false; continue }
            switch key {
            case "vehicle_types": selector.vehicleTypes = patterns
            case "use_types": selector.useTypes = patterns
            default: selector.categories = patterns
            }
        }
        return valid ? selector : nil
    }

    static func parseRequirements(_ node: Node, _ set: inout RuleSetFile, _ reader: inout YAMLReader) -> [PhotoRequirement]? {
        guard let items = reader.list(node, "required_photos") else { return nil }
        var requirements: [PhotoRequirement] = []
        var valid = true
        for item in items {
            guard let entries = reader.mapping(item, "required_photos item") else { valid = false; continue }
            let keys = reader.checkKeys(entries, allowed: requirementKeys, in: "a required_photos item")
            guard let (_, codesNode) = keys["codes"] else {
                reader.error(YAMLReader.line(item), "required_photos item without codes (a list of photo codes)")
                valid = false
                continue
            }
            guard let codes = reader.strings(codesNode, "required_photos codes") else { valid = false; continue }
            if codes.isEmpty {
                reader.error(YAMLReader.line(codesNode), "required_photos codes: the list is empty")
            }
            for code in codes {
                set.photoCodeReferences.append(PhotoCodeReference(code: code.value, line: code.line, context: "required_photos"))
            }
            var requirement = PhotoRequirement(codes: codes.map(\.value))
            if let (_, whenNode) = keys["when"] {
                guard let condition = parseCondition(whenNode, &reader) else { valid = false; continue }
                requirement.when = condition
            }
            if let (_, noteNode) = keys["note"] { requirement.note = reader.string(noteNode, "note") }
            requirements.append(requirement)
        }
        return valid ? requirements : nil
    }

    static func parseWindows(_ node: Node, _ set: inout RuleSetFile, _ reader: inout YAMLReader) -> [PhotoWindow]? {
        guard let items = reader.list(node, "photo_windows") else { return nil }
        var windows: [PhotoWindow] = []
        var valid = true
        for item in items {
            guard let entries = reader.mapping(item, "photo_windows item") else { valid = false; continue }
            let keys = reader.checkKeys(entries, allowed: windowKeys, in: "a photo_windows item")
            guard let (_, codesNode) = keys["codes"] else {
                reader.error(YAMLReader.line(item), "photo_windows item without codes (a list of photo codes or patterns such as \"02*\")")
                valid = false
                continue
            }
            guard let codes = parsePatterns(codesNode, "photo_windows codes", &reader) else { valid = false; continue }
            if codes.isEmpty { reader.error(YAMLReader.line(codesNode), "photo_windows codes: the list is empty") }
            for code in codes where !code.contains("*") && !code.contains("?") {
                set.photoCodeReferences.append(PhotoCodeReference(code: code, line: YAMLReader.line(codesNode), context: "photo_windows"))
            }
            var window = PhotoWindow(codes: codes)
            for key in ["before_start_s", "after_end_s"] {
                guard let (_, value) = keys[key], let seconds = reader.number(value, "photo_windows \(key)") else { continue }
                guard (0...7 * 86400).contains(seconds) else {
                    reader.error(YAMLReader.line(value), "photo_windows \(key) must lie in 0...604800 seconds, found \(seconds)")
                    valid = false
                    continue
                }
                if key == "before_start_s" { window.beforeStartSeconds = seconds } else { window.afterEndSeconds = seconds }
            }
            if let (_, noteNode) = keys["note"] { window.note = reader.string(noteNode, "note") }
            windows.append(window)
        }
        return valid ? windows : nil
    }

    static func parseCondition(_ node: Node, _ reader: inout YAMLReader) -> Condition? {
        guard let entries = reader.mapping(node, "when") else { return nil }
        let keys = reader.checkKeys(entries, allowed: conditionKeys, in: "when")
        var condition = Condition()
        var valid = true
        for key in conditionKeys {
            guard let (_, value) = keys[key] else { continue }
            switch key {
            case "vehicle_age_over_years", "vehicle_age_at_most_years":
                guard let years = reader.number(value, "when \(key)") else { valid = false; continue }
                if years < 0 {
                    reader.error(YAMLReader.line(value), "when \(key): must not be negative, found \(years)")
                    valid = false
                } else if key == "vehicle_age_over_years" {
                    condition.vehicleAgeOverYears = years
                } else {
                    condition.vehicleAgeAtMostYears = years
                }
            case "measurements_present":
                guard let groups = reader.strings(value, "when \(key)") else { valid = false; continue }
                for group in groups where !measurementGroups.contains(group.value) {
                    reader.error(group.line, "when measurements_present: unknown measurement group \"\(group.value)\"; known: \(measurementGroups.joined(separator: ", "))")
                    valid = false
                }
                condition.measurementsPresent = groups.map(\.value)
            case "items_present":
                guard let items = reader.strings(value, "when \(key)") else { valid = false; continue }
                condition.itemsPresent = items.map(\.value)
            case "retest":
                guard let retest = reader.bool(value, "when retest") else { valid = false; continue }
                condition.retest = retest
            default:
                guard let patterns = parsePatterns(value, "when \(key)", &reader) else { valid = false; continue }
                switch key {
                case "vehicle_types": condition.vehicleTypes = patterns
                case "use_types": condition.useTypes = patterns
                case "plate_types": condition.plateTypes = patterns
                default: condition.categories = patterns
                }
            }
        }
        return valid ? condition : nil
    }

    static func parseReasons(_ node: Node, _ reader: inout YAMLReader) -> [ReasonCode]? {
        guard let items = reader.list(node, "reasons") else { return nil }
        var reasons: [ReasonCode] = []
        var firstLine: [String: Int] = [:]
        var valid = true
        for item in items {
            guard let entries = reader.mapping(item, "reasons item") else { valid = false; continue }
            let keys = reader.checkKeys(entries, allowed: reasonKeys, in: "a reasons item")
            let line = YAMLReader.line(item)
            let code = keys["code"].flatMap { reader.string($0.value, "reason code") }
            let text = keys["text"].flatMap { reader.string($0.value, "reason text") }
            let textZh = keys["text_zh"].flatMap { reader.string($0.value, "reason text_zh") }
            if keys["code"] == nil { reader.error(line, "reasons item without code") }
            if keys["text"] == nil { reader.error(line, "reasons item without text") }
            guard let code, let text else { valid = false; continue }
            let codeLine = keys["code"].map { YAMLReader.line($0.value, default: line) } ?? line
            if let first = firstLine[code] {
                reader.error(codeLine, "duplicate reason code \"\(code)\" (first defined at line \(first))")
                valid = false
                continue
            }
            firstLine[code] = codeLine
            reasons.append(ReasonCode(code: code, text: text, textZh: textZh))
        }
        return valid ? reasons : nil
    }

    static func parseRules(_ node: Node, _ set: inout RuleSetFile, _ reader: inout YAMLReader) {
        guard let entries = reader.mapping(node, "rules") else { return }
        for entry in entries {
            var setting = RawRuleSetting(line: entry.line)
            let what = "rule \(entry.key)"
            guard let fields = reader.mapping(entry.value, what) else { continue }
            let keys = reader.checkKeys(fields, allowed: ruleEntryKeys, in: what)
            if let (_, value) = keys["enabled"] { setting.enabled = reader.bool(value, "\(what) enabled") }
            if let (_, value) = keys["severity"], let text = reader.string(value, "\(what) severity") {
                if let severity = Severity(rawValue: text) {
                    setting.severity = severity
                } else {
                    reader.error(YAMLReader.line(value), "\(what): invalid severity \"\(text)\"; expected info, warning or error")
                }
            }
            if let (_, value) = keys["params"], let parameters = reader.mapping(value, "\(what) params") {
                for parameter in parameters {
                    let json = YAMLReader.json(parameter.value)
                    setting.parameters[parameter.key] = Located(value: json, line: parameter.line)
                    if photoCodeParameters.contains(parameter.key) {
                        for code in Self.strings(in: json) {
                            set.photoCodeReferences.append(PhotoCodeReference(
                                code: code, line: parameter.line, context: "\(entry.key) parameter \(parameter.key)"))
                        }
                    }
                }
            }
            set.rules.append((entry.key, setting))
        }
    }

    /// Every string inside a JSON value (photo codes in lists and lists of pairs).
    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case let .string(text): return [text]
        case let .array(items): return items.flatMap(strings(in:))
        default: return []
        }
    }
}
