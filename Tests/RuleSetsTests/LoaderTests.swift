import Foundation
import RuleSets
import Testing
import VIACore

@Suite struct InheritanceTests {
    static let parent = """
        id: parent
        name: Parent
        description: the parent
        abstract: true
        applies_to: { vehicle_types: ["K3*"] }
        priority: 5
        required_fields: [first_registered, inspectors]
        required_photos:
          - codes: ["0111", "0112"]
        photo_codes: { "0111": left-front, "0112": right-rear, "0113": VIN }
        reasons:
          - { code: R01, text: plate, text_zh: 号牌 }
          - { code: R02, text: stale }
        sampling: { rate: 0.02, salt: "p" }
        rules:
          record.vin: { severity: warning, params: { allow_short_frame_numbers: false } }
          photo.time_window: { severity: error, params: { tolerance_s: 300, max_skew_s: 120 } }
          photo.location: { enabled: false }
        """

    static let child = """
        id: child
        extends: parent
        name: Child
        required_fields: [odometer_km, inspectors]
        required_photos:
          - codes: ["0113"]
            when: { vehicle_age_over_years: 10 }
            note: old cars
        photo_codes: { "0112": right-rear 45°, "0322": brake }
        reasons:
          - { code: R02, text: stale photo, text_zh: 过期 }
          - { code: R03, text: VIN }
        sampling: { rate: 0.1 }
        rules:
          photo.time_window:
            severity: warning
            params:
              max_skew_s: 60
          photo.location: { severity: info }
          record.vin: { enabled: false }
        """

    let result = Fixture.load([("p.yaml", Self.parent), ("c.yaml", Self.child)])

    var resolved: RuleSet { result.catalog["child"]! }

    @Test func loadsWithoutDiagnostics() {
        #expect(result.lines == [])
        #expect(result.catalog.ruleSets.map(\.id) == ["parent", "child"])
    }

    @Test func scalarsFromChildElseParent() {
        #expect(resolved.name == "Child")
        #expect(resolved.description == "the parent")
        #expect(resolved.priority == 5)
        #expect(resolved.appliesTo == RuleSetSelector(vehicleTypes: ["K3*"]))
    }

    @Test func abstractIsNotInherited() {
        #expect(result.catalog["parent"]?.abstract == true)
        #expect(resolved.abstract == false)
    }

    @Test func listsAndMapsMerge() {
        #expect(resolved.requiredFields == ["first_registered", "inspectors", "odometer_km"])
        #expect(resolved.requiredPhotos == [
            PhotoRequirement(codes: ["0111", "0112"]),
            PhotoRequirement(codes: ["0113"], when: Condition(vehicleAgeOverYears: 10), note: "old cars"),
        ])
        #expect(resolved.photoCodes == ["0111": "left-front", "0112": "right-rear 45°", "0113": "VIN", "0322": "brake"])
        #expect(resolved.reasons == [
            ReasonCode(code: "R01", text: "plate", textZh: "号牌"),
            ReasonCode(code: "R02", text: "stale photo", textZh: "过期"),
            ReasonCode(code: "R03", text: "VIN"),
        ])
        #expect(resolved.sampling == SamplingPolicy(rate: 0.1, salt: "p"))
    }

    @Test func rulesMergePerRule() {
        let window = resolved.rules["photo.time_window"]
        #expect(window?.severity == .warning)
        #expect(window?.enabled == true)
        #expect(window?.parameters == ["tolerance_s": 300, "max_skew_s": 60])
        // Lines point into the file that set each parameter.
        #expect(window?.parameterLines == ["tolerance_s": 17, "max_skew_s": 18])
        #expect(resolved.rules["photo.location"] == RuleSetting(enabled: false, severity: .info))
        #expect(resolved.rules["record.vin"]?.enabled == false)
        #expect(resolved.rules["record.vin"]?.severity == .warning)
        #expect(resolved.rules["record.vin"]?.parameters == ["allow_short_frame_numbers": false])
    }

    @Test func sourcesMostDerivedFirst() {
        #expect(resolved.sources == ["c.yaml", "p.yaml"])
        #expect(result.catalog["parent"]?.sources == ["p.yaml"])
    }

    @Test func threeLevelChain() {
        let grandchild = "id: grandchild\nextends: child\npriority: 9\n"
        let result = Fixture.load([("p.yaml", Self.parent), ("c.yaml", Self.child), ("g.yaml", grandchild)])
        #expect(result.lines == [])
        let set = result.catalog["grandchild"]!
        #expect(set.sources == ["g.yaml", "c.yaml", "p.yaml"])
        #expect(set.priority == 9)
        #expect(set.name == "Child")
        #expect(set.requiredPhotos.count == 2)
    }

    @Test func sha256IsHexOfCanonicalJSONAndStable() {
        let hash = resolved.sha256
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
        let again = Fixture.load([("p.yaml", Self.parent), ("c.yaml", Self.child)])
        #expect(again.catalog["child"]?.sha256 == hash)
        #expect(result.catalog["parent"]?.sha256 != hash)
    }

    @Test func sha256IgnoresPathsCommentsAndKeyOrder() {
        let moved = Fixture.load([("elsewhere/p.yaml", "# a comment\n" + Self.parent),
                                  ("elsewhere/c.yaml", Self.child.replacingOccurrences(of: "name: Child\n", with: "") + "\nname: Child\n")])
        #expect(moved.lines == [])
        #expect(moved.catalog["child"]?.sha256 == resolved.sha256)
    }

    @Test func sha256ChangesWithContent() {
        let changed = Fixture.load([("p.yaml", Self.parent.replacingOccurrences(of: "tolerance_s: 300", with: "tolerance_s: 301")),
                                    ("c.yaml", Self.child)])
        #expect(changed.lines == [])
        #expect(changed.catalog["child"]?.sha256 != resolved.sha256)
        let renamed = Fixture.load([("p.yaml", Self.parent), ("c.yaml", Self.child.replacingOccurrences(of: "name: Child", with: "name: Kid"))])
        #expect(renamed.catalog["child"]?.sha256 != resolved.sha256)
    }
}

@Suite struct DirectoryLoadingTests {
    func withDirectory(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("via-rulesets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, text) in files {
            let path = directory + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try body(directory)
    }

    @Test func loadsYamlAndYmlSortedNonRecursive() throws {
        try withDirectory([
            "b.yml": "id: b\nextends: a\napplies_to: { vehicle_types: [\"K*\"] }\n",
            "a.yaml": "id: a\nabstract: true\n",
            "notes.txt": "not yaml",
            "sub/c.yaml": "id: c\nthis is not even valid: [\n",
        ]) { directory in
            let result = RuleSetLoader.load(directory: directory)
            #expect(result.lines == [])
            #expect(result.catalog.ruleSets.map(\.id) == ["a", "b"])
            #expect(result.catalog["b"]?.sources == [directory + "/b.yml", directory + "/a.yaml"])
        }
    }

    @Test func missingDirectoryIsADiagnostic() {
        let result = RuleSetLoader.load(directory: "/nonexistent/via-rules")
        #expect(result.hasErrors)
        #expect(result.diagnostics.first?.file == "/nonexistent/via-rules")
        #expect(result.catalog.ruleSets.isEmpty)
    }
}
