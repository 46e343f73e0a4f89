import VIACore

/// `photo.missing`: every photo code the rule set requires for this vehicle is submitted.
public struct MissingPhotoRule: Rule {
    public typealias Configuration = EmptyConfiguration

    public static let description = RuleDescription(
        identifier: "photo.missing",
        name: "Required photos present",
        description: "A photo code the rule set requires for this vehicle and inspection category (after its conditions, e.g. vehicle age) has no photo entry in the record.",
        rationale: "\"图片种类不完整\" is the most common reason for sending a record back; without the photo nobody can confirm the step was done. The station must complete and resubmit the record (status returned).",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("all seven required photos submitted"),
            RuleExample("an extra passenger-compartment photo the rule set does not require",
                        .addPhoto("0115", copying: "0111", takenAt: "2026-10-18T10:04:10+08:00")),
            RuleExample("the VIN photo's file is missing from the batch (photo.unreadable reports that)", .fileMissing("0113")),
        ],
        triggeringExamples: [
            RuleExample("no VIN photo", .removePhoto("0113")),
            RuleExample("the rule set also requires the registration certificate and application form",
                        .requirePhotos(["0111", "0112", "0113", "0201", "0202", "0321", "0352", "0344", "0342"])),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let present = Set(context.photos.compactMap(\.code))
        let required = context.requirements.photoCodes
        return required.filter { !present.contains($0) }.map { code in
            Violation(
                photo: code,
                message: "required photo \(context.requirements.describe(code)) is missing; the rule set \(context.ruleSetId ?? "in force") requires it for this vehicle",
                evidence: ["code": .string(code), "required_codes": JSONValue(required),
                           "submitted_codes": JSONValue(context.photos.compactMap(\.code))])
        }
    }
}
