import VIACore

/// Every rule via knows, listed explicitly (nothing is found by reflection).
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        RuleSetRule.self,
        FieldsRule.self,
        VINRule.self,
        PlateRule.self,
        StationRule.self,
        TimesRule.self,
        VerdictRule.self,
        OdometerRule.self,
        OverlapRule.self,
        MissingPhotoRule.self,
        UnreadablePhotoRule.self,
        ResolutionRule.self,
        ExifRule.self,
        TimeWindowRule.self,
        SequenceRule.self,
        DeviceRule.self,
        LocationRule.self,
        EditedRule.self,
        QualityRule.self,
        DuplicateRule.self,
    ]

    public static func rule(_ identifier: String) -> (any Rule.Type)? {
        all.first { $0.description.identifier == identifier }
    }

    public static var identifiers: [String] { all.map { $0.description.identifier } }
}
