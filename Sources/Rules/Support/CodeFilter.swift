import VIACore

/// A list of photo-code patterns from a rule set (`*` any run, `?` one character), e.g. ["03*", "0111"].
struct CodeFilter: Sendable, Equatable {
    let patterns: [String]

    init(_ patterns: [String]) { self.patterns = patterns }

    /// Whether a code matches one of the patterns (a photo without a code matches none).
    func matches(_ code: String?) -> Bool {
        guard let code else { return false }
        return patterns.contains { Glob.matches($0, code) }
    }

    /// For "which codes this rule checks" lists: an empty list means every code.
    func includes(_ code: String?) -> Bool { patterns.isEmpty || matches(code) }
}
