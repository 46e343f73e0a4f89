import Audit
import Foundation
import RuleSets
import Samples
import Testing
import VIACore
import VIATesting

/// The audit against labelled synthetic batches: every planted defect found, no clean record flagged.
@Suite struct GeneratedBatchRecallTests {
    static func shippedRules() throws -> RuleSetCatalog {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../rules").standardized
        let result = RuleSetLoader.load(directory: directory.path)
        try #require(!result.hasErrors, "\(result.diagnostics)")
        return result.catalog
    }

    @Test(arguments: [(UInt64(21), "150602001"), (UInt64(22), "150603002")])
    func everyPlantedDefectIsFoundAndNoCleanRecordIsFlagged(seed: UInt64, station: String) async throws {
        let folder = try TestPhotos.temporaryFolder("via-recall")
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = try Self.shippedRules()
        let options = SampleOptions(records: 56, defectRate: 0.45, seed: seed, station: station,
                                    photoWidth: 640, photoHeight: 480, quality: 80)
        let labels = try await SampleGenerator(registry: SampleStations.registry, catalog: catalog, options: options)
            .generate(into: folder)
        // Round-robin planting covers every kind that has an earlier record to refer to.
        let planted = Set(labels.records.compactMap(\.defect))
        #expect(planted.count >= Defect.allCases.count - 1, "planted \(planted.count) kinds")

        let loaded = try BatchDirectory.load(folder.path, registry: SampleStations.registry)
        let outcome = await (try Auditor(registry: SampleStations.registry, catalog: catalog)).audit(loaded)
        let score = SampleScore(labels: labels, receipt: outcome.receipt)
        #expect(score.misses.isEmpty, "missed: \(score.misses)")
        #expect(score.falseFlags.isEmpty, "false flags: \(score.falseFlags)")
        #expect(score.recall == 1 && score.falseFlagRate == 0)
        #expect(outcome.receipt.summary.records == 56)
    }

    @Test func sameSeedSameBytes() async throws {
        let a = try TestPhotos.temporaryFolder("via-same-a"), b = try TestPhotos.temporaryFolder("via-same-b")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        let catalog = try Self.shippedRules()
        let options = SampleOptions(records: 6, defectRate: 0.5, seed: 77, photoWidth: 160, photoHeight: 120)
        let generator = SampleGenerator(registry: SampleStations.registry, catalog: catalog, options: options)
        try await generator.generate(into: a)
        try await generator.generate(into: b)
        let files = try FileManager.default.subpathsOfDirectory(atPath: a.path).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: b.path).sorted()))
        #expect(files.contains("batch.json") && files.contains("labels.json"))
        for file in files where file.hasSuffix(".json") || file.hasSuffix(".jpg") {
            let left = try Data(contentsOf: a.appendingPathComponent(file)), right = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(left == right, "\(file) differs between two runs with the same seed")
        }
        var other = options
        other.seed = 78
        let c = try TestPhotos.temporaryFolder("via-same-c")
        defer { try? FileManager.default.removeItem(at: c) }
        try await SampleGenerator(registry: SampleStations.registry, catalog: catalog, options: other).generate(into: c)
        #expect(try Data(contentsOf: a.appendingPathComponent("batch.json")) != Data(contentsOf: c.appendingPathComponent("batch.json")))
    }

    @Test func generatedRecordsAreRealistic() async throws {
        let folder = try TestPhotos.temporaryFolder("via-real")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = SampleOptions(records: 30, defectRate: 0, seed: 5, photoWidth: 96, photoHeight: 64)
        try await SampleGenerator(registry: SampleStations.registry, catalog: try Self.shippedRules(), options: options)
            .generate(into: folder)
        let batch = try BatchDirectory.load(folder.path, registry: SampleStations.registry).batch
        for record in batch.records {
            #expect(record.fieldProblems.isEmpty && record.missingFields.isEmpty, "\(record.label)")
            #expect(VIN.problem(record.vin ?? "") == nil, "\(record.vin ?? "")")
            let form = try #require(Plate.form(record.plate ?? ""), "\(record.plate ?? "")")
            #expect(Plate.allowedForms(plateType: record.plateType ?? "")?.contains(form) ?? true)
            let start = try #require(record.startedAt), finish = try #require(record.finishedAt)
            #expect(finish.date > start.date)
            let local = (Int(start.date.timeIntervalSince1970) + start.offsetSeconds) % 86400
            #expect(local >= 8 * 3600 + 30 * 60 && local < 17 * 3600 + 30 * 60, "starts within the working day")
        }
    }

    @Test func theStationsFileMatchesTheBuiltInSampleStations() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../samples/stations.yaml").standardized
        #expect(try StationsFile.load(path: file.path) == SampleStations.registry)
    }
}
