import RuleSets
import Testing

@Suite struct DiagnosticTests {
    @Test func printsFileLineMessage() {
        #expect(Diagnostic(file: "rules/a.yaml", line: 3, message: "unknown key").description == "rules/a.yaml:3: unknown key")
        #expect(Diagnostic(file: "rules/a.yaml", line: nil, message: "x").description == "rules/a.yaml: x")
    }
}
