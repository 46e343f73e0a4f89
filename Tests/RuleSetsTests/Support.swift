import Foundation
import RuleSets
import Testing
import VIACore

/// Helpers shared by the rule-set tests.
enum Fixture {
    /// The shipped `rules/` folder at the package root.
    static var rulesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules").path
    }

    /// Loads in-memory files given in order.
    static func load(_ files: [(String, String)]) -> RuleSetLoadResult {
        RuleSetLoader.load(files: files.map { (path: $0.0, text: $0.1) })
    }

    /// A parent with a small photo catalogue, for sets that need known codes.
    static let base = """
        id: base
        abstract: true
        photo_codes: { "0111": left-front, "0112": right-rear, "0113": VIN, "0322": brake axle 1, "0344": dyn start, "0342": dyn end }
        """

    /// A record of the given class inspected on 2026-10-18, first registered `ageYears` earlier (nil: unknown).
    static func record(vehicleType: String?, useType: String? = "A", category: String? = "01", plateType: String? = "02",
                       ageYears: Int? = 5, firstRegistered: String? = nil, items: [String] = []) -> InspectionRecord {
        var record = InspectionRecord(index: 0)
        record.vehicleType = vehicleType
        record.useType = useType
        record.category = category
        record.plateType = plateType
        record.startedAt = Timestamp.parseISO8601("2026-10-18T09:59:10+08:00")
        record.finishedAt = Timestamp.parseISO8601("2026-10-18T10:21:40+08:00")
        if let date = firstRegistered ?? ageYears.map({ "\(2026 - $0)-05-20" }) {
            record.firstRegistered = date
            record.firstRegisteredDate = Timestamp.parseDate(date)
        }
        for item in items { record.items[item] = .pass }
        return record
    }
}

extension RuleSetLoadResult {
    /// Diagnostics as "file:line: message".
    var lines: [String] { diagnostics.map(\.description) }

    /// The diagnostics of one file at one line.
    func at(_ file: String, _ line: Int) -> [Diagnostic] { diagnostics.filter { $0.file == file && $0.line == line } }
}
