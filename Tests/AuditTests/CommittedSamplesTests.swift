import Audit
import Foundation
import RuleSets
import Samples
import Testing
import VIACore
import VIATesting

/// The committed sample batch keeps telling the story its README tells.
@Suite struct CommittedSamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test func everyLabelledDefectIsFoundAndCleanRecordsPass() async throws {
        let registry = try StationsFile.load(path: Self.root.appendingPathComponent("samples/stations.yaml").path)
        let rules = RuleSetLoader.load(directory: Self.root.appendingPathComponent("rules").path)
        try #require(!rules.hasErrors)
        let batch = Self.root.appendingPathComponent("samples/batch-20261018")
        let labels = try JSONCoding.decoder().decode(SampleLabels.self, from: Data(contentsOf: batch.appendingPathComponent("labels.json")))
        let outcome = await (try Auditor(registry: registry, catalog: rules.catalog)).audit(try BatchDirectory.load(batch.path, registry: registry))
        let score = SampleScore(labels: labels, receipt: outcome.receipt)
        #expect(score.misses.isEmpty, "\(score.misses)")
        #expect(score.falseFlags.isEmpty, "\(score.falseFlags)")
        #expect(outcome.receipt.summary == ReceiptSummary(records: 12, passed: 5, returned: 2, flagged: 5))
        for result in outcome.receipt.records {
            let ruleset = try #require(result.ruleset)
            #expect(ruleset.sha256.count == 64)
            #expect(rules.catalog[ruleset.id]?.sha256 == ruleset.sha256)
        }
    }

    @Test func theSampleStaysUnderFourMegabytes() throws {
        let batch = Self.root.appendingPathComponent("samples/batch-20261018")
        var total = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: batch.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: batch.appendingPathComponent(path).path)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += attributes[.size] as? Int ?? 0 }
        }
        #expect(total < 4_000_000, "\(total) bytes")
    }
}
