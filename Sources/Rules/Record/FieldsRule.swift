import VIACore

/// `record.fields`: every field the format or the rule set requires is present, non-empty and well-formed.
public struct FieldsRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Fields a registration inspection (category 00) of a new vehicle does not have yet.
        public var newVehicleFields = ["plate", "plate_type", "first_registered"]

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            newVehicleFields = try parameters.strings(
                "new_vehicle_fields", newVehicleFields,
                "fields a registration inspection (category 00) may leave empty even where the rule set requires them: a new vehicle has no plate or first registration yet")
        }
    }

    public static let description = RuleDescription(
        identifier: "record.fields",
        name: "Required fields present and well-formed",
        description: "A field the batch format requires (inspection_id, lane, plate, …) or the rule set requires (e.g. odometer_km) is missing or empty, or a field is present with the wrong type or format.",
        rationale: "An incomplete record cannot be audited: the station must fix and resubmit it, without spending reviewer time (status returned).",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("every required field present"),
            RuleExample("the rule set also requires first_registered and inspectors, both given",
                        .requireFields(["odometer_km", "first_registered", "inspectors"])),
            RuleExample("an unknown extra field is kept and ignored",
                        .record(["engine_number": "G4FC1234567"])),
            RuleExample("a registration (category 00) of a new car: no plate, plate type or first registration date yet",
                        .requireFields(["odometer_km", "first_registered", "inspectors"]),
                        .record(["category": "00", "plate": nil, "plate_type": nil, "first_registered": nil])),
        ],
        triggeringExamples: [
            RuleExample("VIN missing", .record(["vin": nil])),
            RuleExample("odometer_km required by the rule set but empty", .record(["odometer_km": nil])),
            RuleExample("started_at without a time zone",
                        .record(["started_at": "2026-10-18 09:59:10"])),
            RuleExample("a periodic inspection (category 01) without plate",
                        .record(["plate": nil])),
            RuleExample("a periodic inspection without the first registration date the rule set requires",
                        .requireFields(["odometer_km", "first_registered"]), .record(["first_registered": nil])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let record = context.record
        var violations: [Violation] = []
        for field in record.missingFields {
            violations.append(Violation(
                field: field, message: "required field \(field) is missing or empty; the batch format requires it",
                evidence: ["field": .string(field), "required_by": "format"]))
        }
        var reported = Set(record.missingFields).union(record.fieldProblems.map(\.field))
        if record.isRegistration { reported.formUnion(configuration.newVehicleFields) }
        for field in context.requirements.fields where !reported.contains(field) && !Self.hasValue(record, field) {
            violations.append(Violation(
                field: field,
                message: "field \(field) is missing or empty; rule set \(context.ruleSetId ?? "in force") requires it",
                evidence: ["field": .string(field), "required_by": "rule_set", "rule_set": JSONValue(context.ruleSetId)]))
        }
        for problem in record.fieldProblems {
            violations.append(Violation(field: problem.field, message: problem.message,
                                        evidence: ["field": .string(problem.field)]))
        }
        return violations
    }

    /// Top-level fields as `InspectionRecord.hasValue` sees them; dotted paths ("inspectors.exterior") walked.
    static func hasValue(_ record: InspectionRecord, _ field: String) -> Bool {
        let keys = JSONPath.components(field)
        guard keys.count > 1 else { return record.hasValue(field) }
        guard let value = JSONPath.value(record.raw, keys) else { return false }
        return InspectionRecord(index: record.index, raw: .object(["value": value])).hasValue("value")
    }
}
