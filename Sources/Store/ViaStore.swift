import Foundation
import GRDB
import Synchronization
import VIACore

/// The store (SPEC §1): a directory holding `via.sqlite` (WAL mode, foreign keys on, named migrations) and
/// `blobs/` (photos by SHA-256).
public final class ViaStore: Sendable {
    public let directory: URL
    public let pool: DatabasePool
    public let blobs: BlobStore
    /// How long a writer waits for another process's write lock before giving up.
    public let busyTimeout: TimeInterval
    /// The decoded station registry and the revision it was read at (see `registry()`).
    let registryCache = Mutex<(revision: Int64, registry: StationRegistry)?>(nil)

    public static let databaseName = "via.sqlite"

    /// The store directory: `--store`, else `$VIA_STORE`, else `./via-data`.
    public static func resolveDirectory(_ option: String?) -> URL {
        URL(fileURLWithPath: option ?? ProcessInfo.processInfo.environment["VIA_STORE"] ?? "via-data", isDirectory: true)
    }

    /// Opens the store, creating it (and running pending migrations) when needed.
    public init(directory: URL, busyTimeout: TimeInterval = 15) throws(StoreError) {
        self.directory = directory
        self.busyTimeout = busyTimeout
        blobs = BlobStore(root: directory.appendingPathComponent("blobs"))
        do {
            try FileManager.default.createDirectory(at: blobs.root, withIntermediateDirectories: true)
        } catch {
            throw .unusable(path: directory.path, reason: error.localizedDescription)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "via"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: directory.appendingPathComponent(Self.databaseName).path, configuration: configuration)
            try Migrations.migrator.migrate(pool)
        } catch {
            throw Self.map(error, path: directory.path, timeout: busyTimeout)
        }
    }

    /// Maps database errors to what a user can act on (a lock held past the timeout becomes `busy`).
    static func map(_ error: Error, path: String, timeout: TimeInterval) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let database = error as? DatabaseError,
           database.resultCode == .SQLITE_BUSY || database.resultCode == .SQLITE_LOCKED {
            return .busy(seconds: timeout)
        }
        return .unusable(path: path, reason: "\(error)")
    }

    /// Runs a write transaction (BEGIN IMMEDIATE: the lock is taken up front, so writers queue instead of
    /// deadlocking), mapping errors.
    public func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writePassingErrors(body)
        } catch {
            throw Self.map(error, path: directory.path, timeout: busyTimeout)
        }
    }

    /// A write transaction that lets the body's own errors through unchanged (database errors are not mapped).
    func writePassingErrors<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.map(error, path: directory.path, timeout: busyTimeout)
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`; empty when the database is sound.
    public func integrityProblems() throws(StoreError) -> [String] {
        try read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += violations.map { "foreign key violation in \($0[0] as String? ?? "?") row \($0[1] as Int64? ?? -1)" }
            return problems
        }
    }
}
