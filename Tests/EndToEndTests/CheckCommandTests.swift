import Foundation
import Testing
import VIATesting

/// `via check`, `via rules` and `via samples` through the built binary.
@Suite struct CheckCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func run(_ arguments: [String]) throws -> ViaBinary.Result { try ViaBinary.run(arguments, directory: Self.root) }

    @Test func checkPrintsTheReceipt() throws {
        let human = try run(["check", "samples/batch-20261018", "--stations", "samples/stations.yaml"])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("summary: 12 record(s): 5 passed, 2 returned, 5 flagged"))
        #expect(human.stdout.contains("photo.duplicate"))
        let json = try run(["check", "samples/batch-20261018", "--stations", "samples/stations.yaml", "--json"])
        #expect(json.status == 0)
        let receipt = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(receipt["batch_id"] as? String == "20261018-0001")
        let records = try #require(receipt["records"] as? [[String: Any]])
        #expect(records.count == 12)
        let first = records[0]
        for key in ["inspection_id", "status", "sampled", "ruleset", "findings", "check_ms"] { #expect(first[key] != nil, "missing \(key)") }
        let flagged = try #require(records.first { $0["status"] as? String == "flagged" })
        let finding = try #require((flagged["findings"] as? [[String: Any]])?.first)
        for key in ["rule", "severity", "photo", "field", "message", "evidence"] { #expect(finding.keys.contains(key), "finding lacks \(key)") }
    }

    @Test func refusedBatchesExit65WithTheReason() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"format": "via-batch/1", "station": "150602001", "batch_id": "x", "records": [{"photos": [{"code": "0111", "file": "../../etc/passwd"}]}]}"#.utf8)
            .write(to: folder.appendingPathComponent("batch.json"))
        let result = try run(["check", folder.path, "--stations", "samples/stations.yaml"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("$.records[0].photos[0].file"), "\(result.stderr)")
        let empty = try TestPhotos.temporaryFolder("via-empty-store")
        defer { try? FileManager.default.removeItem(at: empty) }
        let noStations = try run(["check", folder.path, "--store", empty.path])
        #expect(noStations.status == 65 && noStations.stderr.contains("has no stations"), "without --stations the store's registry is needed")
    }

    @Test func rulesListShowAndLint() throws {
        let list = try run(["rules", "list"])
        #expect(list.status == 0)
        for id in ["record.fields", "record.vin", "photo.time_window", "photo.duplicate", "record.ruleset"] {
            #expect(list.stdout.contains(id), "\(id) not listed")
        }
        let show = try run(["rules", "show", "photo.time_window"])
        #expect(show.status == 0 && show.stdout.contains("tolerance_s") && show.stdout.contains("Fires on"))
        #expect(try run(["rules", "show", "photo.nope"]).status == 64)
        let lint = try run(["rules", "lint", "rules"])
        #expect(lint.status == 0, "\(lint.stdout)")

        let broken = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: broken) }
        try Data("id: broken\nextends: nowhere\napplies_to: { vehicle_types: [\"K3*\"] }\nrules:\n  photo.time_window: { params: { tolerance: 5 } }\n  photo.nope: {}\n".utf8)
            .write(to: broken.appendingPathComponent("broken.yaml"))
        let bad = try run(["rules", "lint", broken.path])
        #expect(bad.status == 65)
        // Problems are errors: on stderr (SPEC §6), each as file:line: message.
        #expect(bad.stderr.contains("broken.yaml:2:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("broken.yaml:5:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("broken.yaml:6:"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        let badJSON = try run(["rules", "lint", broken.path, "--json"])
        #expect(badJSON.status == 65)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(badJSON.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        let lines = (report["problems"] as? [[String: Any]] ?? []).compactMap { ($0["line"] as? NSNumber)?.intValue }
        #expect(Set(lines).isSuperset(of: [2, 5, 6]), "\(report)")
        let good = try #require(try JSONSerialization.jsonObject(with: Data(try run(["rules", "lint", "rules", "--json"]).stdout.utf8))
                                as? [String: Any])
        #expect(good["ok"] as? Bool == true && (good["rule_sets"] as? [String])?.contains("small-passenger") == true)
    }

    @Test func samplesGenerateThenCheck() throws {
        let folder = try TestPhotos.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generate = try run(["samples", "generate", folder.path, "--records", "4", "--photo-size", "160x120", "--seed", "9",
                                "--defects", "vin_typo", "--json"])
        #expect(generate.status == 0, "\(generate.stderr)")
        let written = try #require(try JSONSerialization.jsonObject(with: Data(generate.stdout.utf8)) as? [String: Any])
        #expect((written["records"] as? NSNumber)?.intValue == 4 && (written["defective"] as? NSNumber)?.intValue == 1)
        let check = try run(["check", folder.path, "--stations", "samples/stations.yaml", "--json"])
        #expect(check.status == 0)
        #expect(check.stdout.contains("record.vin"))
        #expect(try run(["samples", "generate", folder.path, "--defect-rate", "2"]).status == 64)
        #expect(try run(["samples", "generate", folder.path, "--defects", "bogus"]).status == 64)
    }
}
