import VIACore

/// `record.plate`: the plate number has a valid form, the form its plate type requires, and a local prefix.
public struct PlateRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Accepted plate prefixes (province characters, e.g. "蒙"); empty accepts every province.
        public var provinces: [String] = []

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            provinces = try parameters.strings(
                "provinces", provinces,
                "plate prefixes accepted here: province characters such as 蒙 (or province + letter such as 蒙K); empty accepts any province")
        }
    }

    public static let description = RuleDescription(
        identifier: "record.plate",
        name: "Plate number fits its plate type",
        description: "The plate number fits no plate form (province + letter + 5 characters, or 8 for new-energy vehicles), its form does not agree with the plate type (51/52 ↔ new-energy 8 characters, 15 ↔ 挂, 16 ↔ 学, 23 ↔ 警), or it does not start with an accepted province.",
        rationale: "A plate typed wrong attaches the inspection to another vehicle, and a plate type that disagrees with the plate (a new-energy car registered as 02) hides which requirements and limits apply.",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("an ordinary small-car plate with type 02"),
            RuleExample("a small new-energy plate with type 52",
                        .record(["plate": "蒙KD12345", "plate_type": "52"])),
            RuleExample("a trailer plate with type 15", .record(["plate": "蒙K1234挂", "plate_type": "15"])),
            RuleExample("a local plate when only 蒙 plates are accepted", parameters: ["provinces": ["蒙"]]),
        ],
        triggeringExamples: [
            RuleExample("a new-energy plate declared as an ordinary small car (02)",
                        .record(["plate": "蒙KD12345", "plate_type": "02"])),
            RuleExample("a trailer plate declared as a small car", .record(["plate": "蒙K1234挂", "plate_type": "02"])),
            RuleExample("six characters: fits no plate form", .record(["plate": "蒙K8A12"])),
            RuleExample("a Beijing plate where only 蒙 plates are accepted", parameters: ["provinces": ["蒙"]],
                        .record(["plate": "京A12345"])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let plate = context.record.plate, let plateType = context.record.plateType else { return [] } // record.fields
        var evidence: [String: JSONValue] = ["plate": .string(plate), "plate_type": .string(plateType)]
        guard let form = Plate.form(plate) else {
            return [Violation(
                field: "plate",
                message: "plate \"\(plate)\" fits no plate form; expected a province character, a letter and 5 characters (the last may be 挂 学 警 港 澳), or 8 characters for a new-energy vehicle",
                evidence: evidence)]
        }
        evidence["form"] = .string(form.rawValue)
        var violations: [Violation] = []
        if let allowed = Plate.allowedForms(plateType: plateType), !allowed.contains(form) {
            let required = Self.order.filter(allowed.contains).map(Self.describe)
            var withAllowed = evidence
            withAllowed["allowed_forms"] = JSONValue(Self.order.filter(allowed.contains).map(\.rawValue))
            violations.append(Violation(
                field: "plate_type",
                message: "plate type \(Self.describe(plateType: plateType)) requires \(required.joined(separator: " or ")); found \"\(plate)\", \(Self.describe(form))",
                evidence: withAllowed))
        }
        if !configuration.provinces.isEmpty, !configuration.provinces.contains(where: { plate.hasPrefix($0) }) {
            var withProvinces = evidence
            withProvinces["provinces"] = JSONValue(configuration.provinces)
            violations.append(Violation(
                field: "plate",
                message: "plate \"\(plate)\" starts with \(plate.first.map(String.init) ?? ""); expected one of \(configuration.provinces.joined(separator: ", "))",
                evidence: withProvinces))
        }
        return violations
    }

    static let order: [Plate.Form] = [.ordinary, .crossBorder, .trailer, .coach, .police, .newEnergySmall, .newEnergyLarge]

    static func describe(_ form: Plate.Form) -> String {
        switch form {
        case .ordinary: return "an ordinary 7-character plate"
        case .crossBorder: return "a plate ending in 港 or 澳"
        case .trailer: return "a trailer plate ending in 挂"
        case .coach: return "a coach plate ending in 学"
        case .police: return "a police plate ending in 警"
        case .newEnergySmall: return "a small new-energy 8-character plate (D or F third)"
        case .newEnergyLarge: return "a large new-energy 8-character plate (D or F last)"
        }
    }

    /// "02 (small vehicle)".
    static func describe(plateType: String) -> String {
        let names = [
            "01": "large vehicle", "02": "small vehicle", "07": "ordinary motorcycle", "08": "light motorcycle",
            "13": "low-speed vehicle", "14": "tractor", "15": "trailer", "16": "coach", "22": "temporary",
            "23": "police", "51": "large new-energy", "52": "small new-energy",
        ]
        return names[plateType].map { "\(plateType) (\($0))" } ?? plateType
    }
}
