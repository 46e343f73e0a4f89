import ArgumentParser
import VIACore
import Store

/// `via init`: create the store explicitly.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the store (any command that needs one creates it on first use).")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the store's paths and migrations as JSON.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let migrations: [String]
        do {
            migrations = try store.appliedMigrations()
        } catch {
            throw StoreFailure(error).report()
        }
        if json {
            print(try JSONCoding.string(JSONValue.object([
                "store": .string(store.directory.path),
                "database": .string(store.directory.appendingPathComponent(ViaStore.databaseName).path),
                "photos": .string(store.blobs.root.path), "migrations": JSONValue(migrations),
            ])))
            return
        }
        print("store ready at \(store.directory.path)")
        print("  database \(store.directory.appendingPathComponent(ViaStore.databaseName).path) (WAL), migrations: \(migrations.joined(separator: ", "))")
        print("  photos   \(store.blobs.root.path)")
        print("next: via stations import FILE --store \(store.directory.path)")
    }
}
