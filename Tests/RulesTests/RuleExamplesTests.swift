import Rules
import Testing
import VIACore

/// Every rule's documented examples, run as tests: non-triggering ones must stay silent, triggering ones must fire.
@Suite struct RuleExamplesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: any Rule.Type
        let example: RuleExample
        let triggers: Bool
        var testDescription: String {
            "\(rule.description.identifier) \(triggers ? "fires on" : "silent on"): \(example.summary)"
        }
    }

    static let cases: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.nonTriggeringExamples.map { Case(rule: rule, example: $0, triggers: false) }
            + rule.description.triggeringExamples.map { Case(rule: rule, example: $0, triggers: true) }
    }

    @Test(arguments: cases)
    func example(_ testCase: Case) throws {
        let parameters = testCase.example.parameters.mapValues { ParameterValue($0) }
        let rule = try testCase.rule.configured(parameters: parameters)
        let findings = rule.findings(testCase.example.context())
        if testCase.triggers {
            #expect(!findings.isEmpty, "expected a finding")
            for finding in findings {
                #expect(finding.rule == testCase.rule.description.identifier)
                #expect(finding.severity == testCase.rule.description.defaultSeverity)
                #expect(!finding.message.isEmpty)
                #expect(finding.photo != nil || finding.field != nil || testCase.rule.description.identifier.hasPrefix("record."),
                        "a photo rule names the photo")
            }
        } else {
            #expect(findings.isEmpty, "unexpected: \(findings.map(\.message))")
        }
    }

    @Test func everyRuleIsDocumentedWithExamples() {
        var seen: Set<String> = []
        for rule in RuleRegistry.all {
            let description = rule.description
            #expect(seen.insert(description.identifier).inserted, "duplicate id \(description.identifier)")
            #expect(description.identifier.hasPrefix("record.") || description.identifier.hasPrefix("photo."))
            #expect(!description.name.isEmpty && !description.description.isEmpty && !description.rationale.isEmpty)
            #expect(!description.triggeringExamples.isEmpty, "\(description.identifier) has no triggering example")
            #expect(!description.nonTriggeringExamples.isEmpty, "\(description.identifier) has no non-triggering example")
        }
    }

    @Test func theCanonicalExampleIsCleanForEveryRule() throws {
        let context = ExampleWorld().context()
        #expect(context.record.fieldProblems.isEmpty && context.record.missingFields.isEmpty)
        for rule in RuleRegistry.all {
            let findings = try rule.configured().findings(context)
            #expect(findings.isEmpty, "\(rule.description.identifier): \(findings.map(\.message))")
        }
    }

    @Test func unknownAndMistypedParametersAreReportedPrecisely() {
        #expect(throws: RuleConfigurationError.self) {
            try TimeWindowRule.configured(parameters: ["tolerance_seconds": ParameterValue(60, line: 12)])
        }
        do {
            _ = try TimeWindowRule.configured(parameters: ["tolerance_s": ParameterValue("ten", line: 7)])
            Issue.record("a string for a number was accepted")
        } catch {
            #expect(error.problems.first?.line == 7)
            #expect(error.problems.first?.message.contains("expected a number") == true)
        }
        do {
            _ = try TimeWindowRule.configured(parameters: ["tolerance_sec": ParameterValue(60, line: 3)])
        } catch {
            #expect(error.problems.first?.key == "tolerance_sec")
            #expect(error.problems.first?.message.contains("tolerance_s") == true, "lists the known keys")
        }
    }
}
