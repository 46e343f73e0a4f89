import ArgumentParser
import Foundation
import RuleSets
import Store
import VIACore

/// `--rules DIR`: where the rule sets are (default: $VIA_RULES, else ./rules).
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of rule-set YAML files (default: $VIA_RULES, else ./rules).", valueName: "dir"))
    var rules: String?

    var directory: String { rules ?? ProcessInfo.processInfo.environment["VIA_RULES"] ?? "rules" }

    /// Loads and lints the rule sets; prints every diagnostic and exits 65 when any is wrong.
    func load() throws -> RuleSetCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("via: rule-set folder \(directory) not found; pass --rules DIR or set VIA_RULES")
            throw ViaExit.dataError
        }
        let result = RuleSetLoader.load(directory: directory)
        if result.hasErrors {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            printError("via: the rule sets in \(directory) have \(result.diagnostics.count) problem(s); run `via rules lint \(directory)`")
            throw ViaExit.dataError
        }
        return result.catalog
    }
}

/// `--stations FILE`: a station registry file instead of the store's registry.
struct StationsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Station registry YAML (SPEC §2).", valueName: "file"))
    var stations: String?

    func load() throws -> StationRegistry? {
        guard let stations else { return nil }
        do {
            return try StationsFile.load(path: stations)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ViaExit.dataError
        }
    }
}

/// `--store DIR`: the store directory (default: $VIA_STORE, else ./via-data). Created on first use.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Store directory (default: $VIA_STORE, else ./via-data).", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another process's write lock before giving up (exit 75).",
                                            valueName: "seconds"))
    var lockTimeout: Double = 15

    var directory: URL { ViaStore.resolveDirectory(store) }

    func open() throws -> ViaStore {
        do {
            return try ViaStore(directory: directory, busyTimeout: lockTimeout)
        } catch {
            throw StoreFailure(error).report()
        }
    }
}

/// Prints a store error and exits with the contract's code (75 when the store was busy, 65 for conflicting or
/// unknown data, 1 otherwise).
struct StoreFailure: Error {
    let error: StoreError

    init(_ error: StoreError) { self.error = error }

    var exitCode: ExitCode {
        switch error {
        case .busy: return ViaExit.unavailable
        case .conflictingBatch, .unknownStation, .photoChanged: return ViaExit.dataError
        case .unusable, .blobWriteFailed: return ViaExit.internalFailure
        }
    }

    func report() -> ExitCode {
        printError("via: \(error)")
        return exitCode
    }
}
