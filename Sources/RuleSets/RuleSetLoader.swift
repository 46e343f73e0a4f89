import Crypto
import Foundation
import Rules
import VIACore

/// The rule sets of a folder (or of the store), resolved, with every problem found while reading them.
public struct RuleSetLoadResult: Sendable {
    /// The rule sets that loaded without any problem (abstract ones included; they are never selected).
    public var catalog: RuleSetCatalog
    /// Every problem, sorted by file then line. A file with a problem is left out of the catalog.
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { !diagnostics.isEmpty }

    public init(catalog: RuleSetCatalog, diagnostics: [Diagnostic]) {
        self.catalog = catalog
        self.diagnostics = diagnostics
    }
}

/// Loads rule-set YAML files, resolves `extends`, and lints them in the same pass.
public enum RuleSetLoader {
    /// The rule identifiers of the product contract (SPEC §5, plus `record.ruleset`). A rule set may tune any of
    /// them even before the rule itself is registered; parameters are checked for the rules `RuleRegistry` holds.
    public static let contractRuleIdentifiers = [
        "record.ruleset", "record.fields", "record.vin", "record.plate", "record.station", "record.times",
        "record.verdict", "record.odometer", "record.overlap",
        "photo.missing", "photo.unreadable", "photo.resolution", "photo.exif", "photo.time_window", "photo.sequence",
        "photo.device", "photo.location", "photo.edited", "photo.quality", "photo.duplicate",
    ]

    /// Rule ids a rule set may name: the registry's and the contract's.
    public static var knownRuleIdentifiers: [String] {
        var ids = RuleRegistry.identifiers
        for id in contractRuleIdentifiers where !ids.contains(id) { ids.append(id) }
        return ids.sorted()
    }

    /// Loads every *.yaml / *.yml file in the directory (non-recursive, sorted), one rule set per file.
    public static func load(directory: String) -> RuleSetLoadResult {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            return RuleSetLoadResult(catalog: RuleSetCatalog(ruleSets: []),
                                     diagnostics: [Diagnostic(file: directory, line: nil, message: "cannot read the rule-set folder: \(error.localizedDescription)")])
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var files: [(path: String, text: String)] = []
        var unreadable: [Diagnostic] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = base + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = manager.contents(atPath: path) else {
                unreadable.append(Diagnostic(file: path, line: nil, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                unreadable.append(Diagnostic(file: path, line: nil, message: "the file is not valid UTF-8 text"))
                continue
            }
            files.append((path, text))
        }
        var result = load(files: files)
        if !unreadable.isEmpty {
            result.diagnostics = sort(result.diagnostics + unreadable)
        }
        return result
    }

    /// Same from in-memory files (path → text), for tests and for rule sets kept in the store.
    public static func load(files: [(path: String, text: String)]) -> RuleSetLoadResult {
        var linker = Linker(files: files)
        return linker.run()
    }

    static func sort(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            if a.element.file != b.element.file { return a.element.file < b.element.file }
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            if la != lb { return la < lb }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The known value closest to `value` (edit distance), for "did you mean" hints.
    static func closest(to value: String, in candidates: [String]) -> String? {
        candidates.min { a, b in
            let da = editDistance(value, a), db = editDistance(value, b)
            return da != db ? da < db : a < b
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// One pass over a set of files: parse, index ids, resolve chains, lint the resolved sets, build the catalog.
private struct Linker {
    let files: [(path: String, text: String)]
    var parsed: [RuleSetFile] = []
    /// Diagnostics per file index.
    var problems: [[Diagnostic]] = []
    /// Unique ids → file index.
    var byId: [String: Int] = [:]
    var duplicated: Set<String> = []
    /// File indices of each resolvable chain, most derived first.
    var chains: [Int: [Int]] = [:]
    var resolved: [Int: RuleSet] = [:]
    var failedMemo: [Int: Bool] = [:]

    init(files: [(path: String, text: String)]) { self.files = files }

    mutating func report(_ index: Int, _ line: Int?, _ message: String) {
        problems[index].append(Diagnostic(file: parsed[index].file, line: line, message: message))
    }

    mutating func run() -> RuleSetLoadResult {
        for file in files {
            var reader = YAMLReader(file: file.path)
            parsed.append(RuleSetFile.parse(file.text, reader: &reader))
            problems.append(reader.diagnostics)
        }
        indexIds()
        for index in parsed.indices where parsed[index].isReadable {
            checkRuleEntries(index)
        }
        for index in parsed.indices where parsed[index].id != nil && !duplicated.contains(parsed[index].id!) {
            if let chain = resolveChain(index) { chains[index] = chain }
        }
        // Parents before children (a parent's chain is shorter), so a child can tell inherited problems apart.
        for (index, chain) in chains.sorted(by: { ($0.value.count, $0.key) < ($1.value.count, $1.key) }) {
            let set = merge(chain)
            resolved[index] = set
            lintResolved(index, set, chain: chain)
        }
        for index in parsed.indices { _ = failed(index) }

        var ruleSets: [RuleSet] = []
        for index in parsed.indices where !failed(index) {
            guard var set = resolved[index] else { continue }
            set.sha256 = SHA256.hash(data: set.canonicalJSON).map { String(format: "%02x", $0) }.joined()
            ruleSets.append(set)
        }
        var seen = Set<String>()
        let unique = problems.joined().filter { seen.insert($0.description).inserted }
        return RuleSetLoadResult(catalog: RuleSetCatalog(ruleSets: ruleSets), diagnostics: RuleSetLoader.sort(unique))
    }

    // MARK: Ids and chains

    mutating func indexIds() {
        var indices: [String: [Int]] = [:]
        for (index, set) in parsed.enumerated() {
            if let id = set.id { indices[id, default: []].append(index) }
        }
        for (id, list) in indices {
            if list.count == 1 {
                byId[id] = list[0]
                continue
            }
            duplicated.insert(id)
            for index in list {
                let others = list.filter { $0 != index }.map { "\(parsed[$0].file):\(parsed[$0].idLine)" }
                report(index, parsed[index].idLine, "duplicate id \"\(id)\": also defined in \(others.joined(separator: ", "))")
            }
        }
    }

    /// The chain of files from `index` up through its parents, or nil when it cannot be resolved (an unknown or
    /// ambiguous parent, or a cycle). Problems with the file's own `extends` are reported here.
    mutating func resolveChain(_ index: Int) -> [Int]? {
        var chain = [index]
        var current = index
        while let parent = parsed[current].extends {
            guard let parentIndex = byId[parent.value] else {
                if current == index {
                    if duplicated.contains(parent.value) {
                        report(index, parent.line, "extends \"\(parent.value)\", which is defined in more than one file")
                    } else {
                        let known = byId.keys.sorted()
                        let hint = RuleSetLoader.closest(to: parent.value, in: known).map { "; did you mean \"\($0)\"?" } ?? "; no rule sets are defined"
                        report(index, parent.line, "unknown extends \"\(parent.value)\": no rule set has that id\(hint)")
                    }
                }
                return nil
            }
            if let position = chain.firstIndex(of: parentIndex) {
                if position == 0 {
                    let names = (chain + [parentIndex]).map { parsed[$0].id ?? "?" }
                    report(index, parsed[index].extends?.line, "extends cycle: \(names.joined(separator: " → "))")
                }
                return nil
            }
            chain.append(parentIndex)
            current = parentIndex
        }
        return chain
    }

    /// Whether a file is left out: it has problems of its own, or its parent is left out (reported once here).
    mutating func failed(_ index: Int) -> Bool {
        if let known = failedMemo[index] { return known }
        failedMemo[index] = true // guards against cycles; cycles are errors anyway
        var result = !problems[index].isEmpty || !parsed[index].isReadable || parsed[index].id == nil
        if !result, let parent = parsed[index].extends, let parentIndex = byId[parent.value], failed(parentIndex) {
            report(index, parent.line, "extends \"\(parent.value)\", which has errors (see \(parsed[parentIndex].file))")
            result = true
        }
        failedMemo[index] = result
        return result
    }

    // MARK: Rules

    /// Unknown rule ids, and each parameter checked on its own by its rule (so every bad parameter is reported,
    /// not only the first).
    mutating func checkRuleEntries(_ index: Int) {
        let known = RuleSetLoader.knownRuleIdentifiers
        for (id, setting) in parsed[index].rules {
            guard known.contains(id) else {
                let hint = RuleSetLoader.closest(to: id, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
                report(index, setting.line, "unknown rule \"\(id)\"\(hint)")
                continue
            }
            guard let rule = RuleRegistry.rule(id) else { continue }
            for (key, parameter) in setting.parameters.sorted(by: { $0.key < $1.key }) {
                do {
                    _ = try rule.configured(severity: setting.severity,
                                            parameters: [key: ParameterValue(parameter.value, line: parameter.line)])
                } catch {
                    for problem in error.problems {
                        report(index, problem.line ?? parameter.line, "rule \(id) parameter \(problem.key): \(problem.message)")
                    }
                }
            }
        }
    }

    // MARK: Resolution

    /// Merges a chain (most derived first) into one rule set.
    func merge(_ chain: [Int]) -> RuleSet {
        let leaf = parsed[chain[0]]
        var set = RuleSet(id: leaf.id ?? "", abstract: leaf.abstract ?? false)
        var sampling = SamplingPolicy()
        var settings: [String: RuleSetting] = [:]
        var enabled: [String: Bool] = [:]
        for index in chain.reversed() {
            let file = parsed[index]
            if let name = file.name { set.name = name }
            if let description = file.description { set.description = description }
            if let priority = file.priority { set.priority = priority }
            if let appliesTo = file.appliesTo { set.appliesTo = appliesTo }
            for field in file.requiredFields ?? [] where !set.requiredFields.contains(field) {
                set.requiredFields.append(field)
            }
            set.requiredPhotos += file.requiredPhotos ?? []
            // A child's windows come first: the first window naming a code applies, so a child can narrow a parent's.
            set.photoWindows = (file.photoWindows ?? []) + set.photoWindows
            if let minutes = file.slaMinutes { set.slaSeconds = minutes * 60 }
            for (code, name) in file.photoCodes { set.photoCodes[code] = name }
            for reason in file.reasons ?? [] {
                if let existing = set.reasons.firstIndex(where: { $0.code == reason.code }) {
                    set.reasons[existing] = reason
                } else {
                    set.reasons.append(reason)
                }
            }
            if let rate = file.samplingRate { sampling.rate = rate }
            if let salt = file.samplingSalt { sampling.salt = salt }
            for (id, raw) in file.rules {
                var setting = settings[id] ?? RuleSetting()
                if let value = raw.enabled { enabled[id] = value }
                if let severity = raw.severity { setting.severity = severity }
                for (key, parameter) in raw.parameters {
                    setting.parameters[key] = parameter.value
                    setting.parameterLines[key] = parameter.line
                }
                settings[id] = setting
            }
        }
        for (id, value) in enabled { settings[id]?.enabled = value }
        set.sampling = sampling
        set.rules = settings
        set.sources = chain.map { parsed[$0].file }
        return set
    }

    /// The file (index) that last set a rule parameter along the chain.
    func origin(rule: String, key: String, chain: [Int]) -> Int? {
        chain.first { index in parsed[index].rules.contains { $0.id == rule && $0.setting.parameters[key] != nil } }
    }

    /// Checks that need the resolved set: applies_to of concrete sets, photo codes against the merged catalogue,
    /// and each rule's merged parameters as a whole.
    mutating func lintResolved(_ index: Int, _ set: RuleSet, chain: [Int]) {
        let file = parsed[index]
        if !set.abstract && !chain.contains(where: { parsed[$0].hasAppliesTo }) {
            report(index, file.idLine, "concrete rule set \"\(set.id)\" has no applies_to; add applies_to (vehicle_types, use_types, categories) or mark it abstract: true")
        }
        // Patterns ("02*") name no single code; only literal codes must be in the catalogue.
        for reference in file.photoCodeReferences
        where set.photoCodes[reference.code] == nil && !reference.code.contains("*") && !reference.code.contains("?") {
            let hint = RuleSetLoader.closest(to: reference.code, in: Array(set.photoCodes.keys)).map { "; did you mean \"\($0)\"?" } ?? ""
            report(index, reference.line, "unknown photo code \"\(reference.code)\" in \(reference.context): not in photo_codes\(hint)")
        }
        for (id, setting) in set.rules.sorted(by: { $0.key < $1.key }) {
            guard let rule = RuleRegistry.rule(id) else { continue }
            do {
                _ = try rule.configured(severity: setting.severity, parameters: setting.parameterValues)
            } catch {
                for problem in error.problems {
                    let message = "rule \(id) parameter \(problem.key): \(problem.message)"
                    let source = origin(rule: id, key: problem.key, chain: chain) ?? index
                    let entryLine = parsed[index].rules.first { $0.id == id }?.setting.line
                    if source == index {
                        report(index, problem.line ?? entryLine, message)
                        continue
                    }
                    // Set by a parent: the parent reports it itself when the problem is its own; otherwise it only
                    // arises in combination with this file, so this file reports it.
                    let inherited = Diagnostic(file: parsed[source].file, line: problem.line, message: message)
                    if problems[source].contains(inherited) { continue }
                    let place = problem.line.map { "\(parsed[source].file):\($0)" } ?? parsed[source].file
                    report(index, entryLine ?? file.idLine, "\(message) (value inherited from \(place))")
                }
            }
        }
    }
}
