import Foundation
import Samples
import Store
import VIACore

/// The review queue filled for tests, judged by the test catalog's rule set (reasons R01, R02).
public enum TestQueue {
    @discardableResult
    public static func fill(_ store: ViaStore, count: Int, prefix: String = "Q", batchSize: Int = 500,
                            severity: Severity = .error, at date: Date = Date()) throws -> [String] {
        try SyntheticQueue.fill(store, ruleSet: TestBatches.catalog.ruleSets[0], count: count, prefix: prefix,
                                batchSize: batchSize, severity: severity, at: date)
    }
}
