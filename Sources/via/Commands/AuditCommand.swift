import ArgumentParser
import VIACore
import Store

/// `via audit verify`: walk the hash-chained audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The append-only, hash-chained audit log.", subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry of the audit log; report the first edited, deleted or reordered one (exit 65).")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the verification as JSON (also when the log is broken, still exit 65).")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let result: AuditLog.Verification
        do {
            result = try store.verifyAuditLog()
        } catch {
            throw StoreFailure(error).report()
        }
        if json {
            var object: [String: JSONValue] = ["intact": .bool(result.firstBroken == nil), "entries": JSONValue(result.entries)]
            object["broken_at"] = result.firstBroken.map { JSONValue(Int($0.seq)) } ?? .null
            object["reason"] = result.firstBroken.map { .string($0.reason) } ?? .null
            print(try JSONCoding.string(JSONValue.object(object)))
        }
        if let broken = result.firstBroken {
            printError("via: audit log BROKEN at entry \(broken.seq): \(broken.reason)")
            throw ViaExit.dataError
        }
        if !json { print("audit log intact: \(result.entries) entries, every hash link verified") }
    }
}
