/// A rule's typed configuration: defaults from `init()`, overrides read from a rule set by `apply`.
public protocol RuleConfiguration: Sendable, Equatable {
    init()
    /// Reads every parameter the rule knows; keys left unread are reported as unknown by the loader.
    mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError)
}

/// A configuration for rules that take no parameters.
public struct EmptyConfiguration: RuleConfiguration {
    public init() {}
    public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {}
}

/// One audit rule: a stable identifier, documentation with examples, a typed configuration, and a pure
/// function from a record (with its photos, station and history) to violations.
public protocol Rule: Sendable {
    associatedtype Configuration: RuleConfiguration
    static var description: RuleDescription { get }
    var configuration: Configuration { get }
    init(configuration: Configuration)
    func validate(_ context: RecordContext) -> [Violation]
}

extension Rule {
    public init() { self.init(configuration: Configuration()) }

    /// Builds the rule with parameters from a rule set; unknown keys and bad values are errors.
    public static func configured(severity: Severity? = nil,
                                  parameters: [String: ParameterValue] = [:]) throws(RuleConfigurationError) -> ConfiguredRule {
        var reader = RuleParameters(parameters)
        var configuration = Configuration()
        do {
            try configuration.apply(&reader)
        } catch {
            throw RuleConfigurationError(rule: description.identifier, problems: [error])
        }
        let unknown = reader.unknownKeys
        if !unknown.isEmpty {
            let known = RuleParameters.describe(Configuration.self).map(\.key)
            throw RuleConfigurationError(rule: description.identifier, problems: unknown.map {
                RuleParameterError(key: $0.key, line: $0.line, message: known.isEmpty
                    ? "unknown parameter (\(description.identifier) takes none)"
                    : "unknown parameter; \(description.identifier) knows \(known.joined(separator: ", "))")
            })
        }
        let rule = Self(configuration: configuration)
        let effective = severity ?? description.defaultSeverity
        return ConfiguredRule(description: description, severity: effective) { context in
            rule.validate(context).map {
                Finding(rule: description.identifier, severity: effective, photo: $0.photo, field: $0.field,
                        message: $0.message, evidence: $0.evidence)
            }
        }
    }

    /// The documented parameters with their defaults.
    public static var parameterDescriptions: [ParameterDescription] { RuleParameters.describe(Configuration.self) }
}

extension RuleParameters {
    static func describe<C: RuleConfiguration>(_ type: C.Type) -> [ParameterDescription] {
        var collector = RuleParameters.describing()
        var configuration = C()
        try? configuration.apply(&collector)
        return collector.descriptions
    }
}

/// Parameters a rule set gave a rule that it cannot accept.
public struct RuleConfigurationError: Error, Equatable {
    public var rule: String
    public var problems: [RuleParameterError]
}

/// A rule with its configuration and severity fixed, ready to judge records.
public struct ConfiguredRule: Sendable {
    public let description: RuleDescription
    public let severity: Severity
    private let evaluate: @Sendable (RecordContext) -> [Finding]

    public init(description: RuleDescription, severity: Severity, evaluate: @escaping @Sendable (RecordContext) -> [Finding]) {
        self.description = description
        self.severity = severity
        self.evaluate = evaluate
    }

    public var identifier: String { description.identifier }

    public func findings(_ context: RecordContext) -> [Finding] { evaluate(context) }
}
