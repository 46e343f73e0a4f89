import VIACore

/// Every rule via knows, listed explicitly (nothing is found by reflection).
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        VINRule.self,
        TimeWindowRule.self,
    ]

    public static func rule(_ identifier: String) -> (any Rule.Type)? {
        all.first { $0.description.identifier == identifier }
    }

    public static var identifiers: [String] { all.map { $0.description.identifier } }
}
