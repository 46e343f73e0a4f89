import ArgumentParser
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

    func run() throws {
        let store = try storeOptions.open()
        let result: AuditLog.Verification
        do {
            result = try store.verifyAuditLog()
        } catch {
            throw StoreFailure(error).report()
        }
        if let broken = result.firstBroken {
            print("audit log BROKEN at entry \(broken.seq): \(broken.reason)")
            throw ViaExit.dataError
        }
        print("audit log intact: \(result.entries) entries, every hash link verified")
    }
}
