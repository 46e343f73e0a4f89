import RuleSets
import Testing
import VIACore

/// Every lint error class, each at its exact line.
@Suite struct LintTests {
    /// Loads `base.yaml` (a small photo catalogue) and one file `x.yaml`.
    func lint(_ text: String) -> RuleSetLoadResult {
        Fixture.load([("base.yaml", Fixture.base), ("x.yaml", text)])
    }

    @Test func yamlSyntaxErrorAtItsLine() {
        let result = lint("""
            id: x
            extends: base
            applies_to: { vehicle_types: ["K3*" }
            """)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.file == "x.yaml")
        #expect(result.diagnostics.first?.line == 3)
        #expect(result.diagnostics.first?.message.hasPrefix("YAML syntax error") == true)
        #expect(result.catalog["x"] == nil)
        #expect(result.catalog["base"] != nil)
    }

    @Test func badIndentationIsASyntaxError() {
        let result = lint("id: x\nextends: base\nrules:\n  record.vin:\n    severity: error\n   params: {}\n")
        #expect(result.diagnostics.map(\.line) == [6])
    }

    @Test func duplicateKeyIsReported() {
        let result = lint("id: x\nextends: base\nname: a\nname: b\napplies_to: {}\n")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.line == 3)
        #expect(result.diagnostics.first?.message.contains("\"name\" appears more than once") == true)
    }

    @Test func topLevelMustBeAMapping() {
        #expect(lint("- id: x\n- name: y\n").lines == ["x.yaml:1: rule set: expected a mapping, found a list"])
        #expect(lint("").lines == ["x.yaml:1: the file is empty; expected a mapping"])
        #expect(lint("# only a comment\n").lines == ["x.yaml:1: the file is empty; expected a mapping"])
    }

    @Test func unknownKeysAtEveryLevel() {
        let result = lint("""
            id: x
            extends: base
            applies_to: { vehicle_types: ["K3*"], use_type: ["A"] }
            required_photos:
              - codes: ["0111"]
                code: ["0112"]
                when: { vehicle_age_over: 10 }
            reasons:
              - { code: R01, text: a, zh: 甲 }
            sampling: { rate: 0.1, seed: 3 }
            rules:
              record.vin: { severity: error, parameters: {} }
            colour: red
            """)
        #expect(result.lines == [
            "x.yaml:3: unknown key \"use_type\" in applies_to; allowed keys: vehicle_types, use_types, categories",
            "x.yaml:6: unknown key \"code\" in a required_photos item; allowed keys: codes, when, note",
            "x.yaml:7: unknown key \"vehicle_age_over\" in when; allowed keys: vehicle_age_over_years, vehicle_age_at_most_years, vehicle_types, use_types, plate_types, categories, measurements_present, items_present, retest",
            "x.yaml:9: unknown key \"zh\" in a reasons item; allowed keys: code, text, text_zh",
            "x.yaml:10: unknown key \"seed\" in sampling; allowed keys: rate, salt",
            "x.yaml:12: unknown key \"parameters\" in rule record.vin; allowed keys: enabled, severity, params",
            "x.yaml:13: unknown key \"colour\" in the rule set; allowed keys: id, name, description, abstract, extends, applies_to, priority, required_fields, required_photos, photo_windows, sla_minutes, photo_codes, reasons, sampling, rules",
        ])
        #expect(result.catalog["x"] == nil)
    }

    @Test func wrongTypes() {
        let result = lint("""
            id: x
            extends: base
            name: [a, b]
            abstract: "yes"
            applies_to: ["K3*"]
            priority: high
            required_fields: odometer_km
            required_photos:
              - codes: "0111"
            photo_codes: { "0111": { name: left } }
            sampling: { rate: half }
            rules:
              record.vin: { enabled: 1 }
              photo.time_window: strict
            """)
        #expect(result.lines == [
            "x.yaml:3: name: expected a string, found a list",
            "x.yaml:4: abstract: expected true or false, found string \"yes\"",
            "x.yaml:5: applies_to: expected a mapping, found a list",
            "x.yaml:6: priority: expected an integer, found string \"high\"",
            "x.yaml:7: required_fields: expected a list, found string \"odometer_km\"",
            "x.yaml:9: required_photos codes: expected a list, found string \"0111\"",
            "x.yaml:10: photo_codes \"0111\": expected a string, found a mapping",
            "x.yaml:11: sampling rate: expected a number, found string \"half\"",
            "x.yaml:13: rule record.vin enabled: expected true or false, found number 1",
            "x.yaml:14: rule photo.time_window: expected a mapping, found string \"strict\"",
        ])
    }

    @Test func unquotedNumbersReadAsWritten() {
        // Codes and salts written without quotes keep their text ("0111", not 73 or 111).
        let result = lint("""
            id: x
            extends: base
            applies_to: { categories: [00, 01] }
            required_photos:
              - codes: [0111]
            sampling: { salt: 2026 }
            """)
        #expect(result.lines == [])
        #expect(result.catalog["x"]?.requiredPhotos == [PhotoRequirement(codes: ["0111"])])
        #expect(result.catalog["x"]?.appliesTo.categories == ["00", "01"])
        #expect(result.catalog["x"]?.sampling.salt == "2026")
    }

    @Test func missingOrMalformedId() {
        #expect(lint("name: nameless\nabstract: true\n").lines
            == ["x.yaml:1: missing id (required: the rule set's identifier, e.g. id: small-passenger)"])
        #expect(lint("# header\nabstract: true\nid: Small_Passenger\n").lines
            == ["x.yaml:3: id \"Small_Passenger\" is malformed; use lowercase letters, digits and '-' only"])
        #expect(lint("abstract: true\nid: [a]\n").lines == ["x.yaml:2: id: expected a string, found a list"])
    }

    @Test func duplicateIdNamesBothFiles() {
        let result = Fixture.load([
            ("a.yaml", "id: same\nabstract: true\n"),
            ("b.yaml", "# second\nid: same\nabstract: true\n"),
            ("c.yaml", "id: other\nabstract: true\n"),
        ])
        #expect(result.lines == [
            "a.yaml:1: duplicate id \"same\": also defined in b.yaml:2",
            "b.yaml:2: duplicate id \"same\": also defined in a.yaml:1",
        ])
        #expect(result.catalog.ruleSets.map(\.id) == ["other"])
    }

    @Test func unknownExtendsSuggestsClosest() {
        let result = lint("id: x\napplies_to: {}\nextends: bse\n")
        #expect(result.lines == ["x.yaml:3: unknown extends \"bse\": no rule set has that id; did you mean \"base\"?"])
    }

    @Test func extendsCycleNamesTheChain() {
        let result = Fixture.load([
            ("a.yaml", "id: a\nabstract: true\nextends: b\n"),
            ("b.yaml", "id: b\nabstract: true\nextends: a\n"),
            ("c.yaml", "id: c\nabstract: true\nextends: a\n"),
            ("self.yaml", "id: self\nextends: self\nabstract: true\n"),
        ])
        #expect(result.lines == [
            "a.yaml:3: extends cycle: a → b → a",
            "b.yaml:3: extends cycle: b → a → b",
            "c.yaml:3: extends \"a\", which has errors (see a.yaml)",
            "self.yaml:2: extends cycle: self → self",
        ])
        #expect(result.catalog.ruleSets.isEmpty)
    }

    @Test func childOfABrokenParentIsLeftOut() {
        let result = Fixture.load([
            ("base.yaml", Fixture.base + "\npriority: soon\n"),
            ("x.yaml", "id: x\nextends: base\napplies_to: {}\n"),
            ("y.yaml", "id: y\nabstract: true\n"),
        ])
        #expect(result.lines == [
            "base.yaml:4: priority: expected an integer, found string \"soon\"",
            "x.yaml:2: extends \"base\", which has errors (see base.yaml)",
        ])
        #expect(result.catalog.ruleSets.map(\.id) == ["y"])
    }

    @Test func unknownRuleSuggestsClosest() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            rules:
              photo.timewindow: { severity: error }
              record.vim: { enabled: false }
            """)
        #expect(result.lines == [
            "x.yaml:5: unknown rule \"photo.timewindow\"; did you mean \"photo.time_window\"?",
            "x.yaml:6: unknown rule \"record.vim\"; did you mean \"record.vin\"?",
        ])
    }

    @Test func contractRuleIdsAreKnownEvenBeforeRegistration() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            rules:
              photo.missing: { severity: error }
              record.verdict: { severity: error }
            """)
        #expect(result.lines == [])
    }

    @Test func ruleParametersRejectedByTheRuleAtTheirLines() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            rules:
              record.vin:
                params:
                  allow_short_frame_numbers: "no"
                  allow_short: true
              photo.time_window:
                params:
                  tolerance_s: -5
                  max_skew_s: many
            """)
        #expect(result.lines == [
            "x.yaml:7: rule record.vin parameter allow_short_frame_numbers: expected true or false, found string \"no\"",
            "x.yaml:8: rule record.vin parameter allow_short: unknown parameter; record.vin knows allow_short_frame_numbers",
            "x.yaml:11: rule photo.time_window parameter tolerance_s: must lie in 0.0...86400.0, found -5.0",
            "x.yaml:12: rule photo.time_window parameter max_skew_s: expected a number, found string \"many\"",
        ])
    }

    @Test func parameterErrorInAParentIsReportedOnceAtTheParent() {
        let result = Fixture.load([
            ("base.yaml", Fixture.base + "\nrules:\n  photo.time_window: { params: { tolerance_s: -1 } }\n"),
            ("x.yaml", "id: x\nextends: base\napplies_to: {}\nrules:\n  photo.time_window: { params: { max_skew_s: 60 } }\n"),
        ])
        #expect(result.lines == [
            "base.yaml:5: rule photo.time_window parameter tolerance_s: must lie in 0.0...86400.0, found -1.0",
            "x.yaml:2: extends \"base\", which has errors (see base.yaml)",
        ])
    }

    @Test func invalidSeverity() {
        let result = lint("id: x\nextends: base\napplies_to: {}\nrules:\n  record.vin:\n    severity: fatal\n")
        #expect(result.lines == ["x.yaml:6: rule record.vin: invalid severity \"fatal\"; expected info, warning or error"])
    }

    @Test func badGlobPatterns() {
        let result = lint("""
            id: x
            extends: base
            applies_to:
              vehicle_types: ["K3*", "K[34]*"]
              use_types: [""]
            required_photos:
              - codes: ["0111"]
                when: { plate_types: ["0 2"] }
            """)
        #expect(result.lines == [
            "x.yaml:4: applies_to vehicle_types: invalid pattern \"K[34]*\"; use letters, digits, '-', '_' and the wildcards * and ?",
            "x.yaml:5: applies_to use_types: invalid pattern \"\"; use letters, digits, '-', '_' and the wildcards * and ?",
            "x.yaml:8: when plate_types: invalid pattern \"0 2\"; use letters, digits, '-', '_' and the wildcards * and ?",
        ])
    }

    @Test func badConditionValues() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            required_photos:
              - codes: ["0111"]
                when: { vehicle_age_over_years: -1, measurements_present: [brakes] }
              - note: no codes
            """)
        #expect(result.lines == [
            "x.yaml:6: when vehicle_age_over_years: must not be negative, found -1.0",
            "x.yaml:6: when measurements_present: unknown measurement group \"brakes\"; known: brake, headlamps, sideslip",
            "x.yaml:7: required_photos item without codes (a list of photo codes)",
        ])
    }

    @Test func unknownPhotoCodes() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            photo_codes: { "0351": parking brake }
            required_photos:
              - codes: ["0111", "0999"]
              - codes: ["0351"]
            rules:
              photo.sequence: { params: { order: [["0344", "0342"], ["0341", "0343"]] } }
              photo.resolution: { params: { codes: ["0111", "9111"] } }
              photo.exif: { params: { exempt_codes: ["0201"] } }
              photo.duplicate: { params: { ignore_codes: ["0322", "A101"] } }
            """)
        #expect(result.lines == [
            "x.yaml:6: unknown photo code \"0999\" in required_photos: not in photo_codes; did you mean \"0111\"?",
            "x.yaml:9: unknown photo code \"0341\" in photo.sequence parameter order: not in photo_codes; did you mean \"0342\"?",
            "x.yaml:9: unknown photo code \"0343\" in photo.sequence parameter order: not in photo_codes; did you mean \"0342\"?",
            "x.yaml:10: unknown photo code \"9111\" in photo.resolution parameter codes: not in photo_codes; did you mean \"0111\"?",
            "x.yaml:11: unknown photo code \"0201\" in photo.exif parameter exempt_codes: not in photo_codes; did you mean \"0111\"?",
            "x.yaml:12: unknown photo code \"A101\" in photo.duplicate parameter ignore_codes: not in photo_codes; did you mean \"0111\"?",
        ])
    }

    @Test func photoCodesAreKnownFromAChildCatalogue() {
        // A code the parent's catalogue lacks is fine where the child names it and adds it.
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            photo_codes: { "0158": rear view }
            required_photos:
              - codes: ["0158"]
            """)
        #expect(result.lines == [])
    }

    @Test func samplingRateOutsideZeroToOne() {
        #expect(lint("id: x\nextends: base\napplies_to: {}\nsampling:\n  rate: 1.5\n").lines
            == ["x.yaml:5: sampling rate must lie in 0...1, found 1.5"])
        #expect(lint("id: x\nextends: base\napplies_to: {}\nsampling: { rate: -0.1 }\n").lines
            == ["x.yaml:4: sampling rate must lie in 0...1, found -0.1"])
    }

    @Test func duplicateReasonCodes() {
        let result = lint("""
            id: x
            extends: base
            applies_to: {}
            reasons:
              - { code: R01, text: a }
              - { code: R02, text: b }
              - code: R01
                text: c
              - { text: no code }
            """)
        #expect(result.lines == [
            "x.yaml:7: duplicate reason code \"R01\" (first defined at line 5)",
            "x.yaml:9: reasons item without code",
        ])
    }

    @Test func concreteSetWithoutAppliesTo() {
        let result = lint("# a set\nid: x\nextends: base\n")
        #expect(result.lines == [
            "x.yaml:2: concrete rule set \"x\" has no applies_to; add applies_to (vehicle_types, use_types, categories) or mark it abstract: true",
        ])
        // applies_to inherited from a parent counts.
        let inherited = Fixture.load([("p.yaml", "id: p\nabstract: true\napplies_to: { vehicle_types: [\"K*\"] }\n"),
                                      ("c.yaml", "id: c\nextends: p\n")])
        #expect(inherited.lines == [])
        #expect(inherited.catalog["c"]?.appliesTo.vehicleTypes == ["K*"])
    }

    @Test func everyProblemIsReportedSortedAndOtherFilesStillLoad() {
        let result = Fixture.load([
            ("z.yaml", "id: z\nextends: base\napplies_to: { vehicle_types: [\"K*\"] }\n"),
            ("b.yaml", "id: b\nextends: base\npriority: x\napplies_to: { use_types: [\"?\"], colour: red }\nsampling: { rate: 2 }\n"),
            ("base.yaml", Fixture.base),
        ])
        #expect(result.lines == [
            "b.yaml:3: priority: expected an integer, found string \"x\"",
            "b.yaml:4: unknown key \"colour\" in applies_to; allowed keys: vehicle_types, use_types, categories",
            "b.yaml:5: sampling rate must lie in 0...1, found 2",
        ])
        #expect(result.catalog.ruleSets.map(\.id) == ["z", "base"])
        #expect(result.hasErrors)
    }
}
