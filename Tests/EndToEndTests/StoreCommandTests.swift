import Foundation
import GRDB
import Store
import Testing
import VIATesting

/// `via init`, `via stations`, `via submit` through the built binary: concurrency, lock timeouts, crashes.
@Suite(.serialized) struct StoreCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ViaBinary.Result {
        try ViaBinary.run(arguments, environment: environment, directory: Self.root)
    }

    /// A store with the sample stations imported.
    func freshStore() throws -> URL {
        let store = try TestPhotos.temporaryFolder("via-e2e-store")
        let imported = try run(["stations", "import", "samples/stations.yaml", "--store", store.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    func generate(_ folder: URL, records: Int, seed: Int, batchId: String, station: String = "150602001") throws {
        let result = try run(["samples", "generate", folder.path, "--records", "\(records)", "--seed", "\(seed)", "--batch-id", batchId,
                              "--station", station, "--photo-size", "160x120", "--defect-rate", "0.2"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func initStationsAndSubmitFromTheCommandLine() throws {
        let store = try TestPhotos.temporaryFolder("via-e2e-store")
        defer { try? FileManager.default.removeItem(at: store) }
        let initialised = try run(["init", "--store", store.path])
        #expect(initialised.status == 0 && initialised.stdout.contains("v1-registry"))
        let imported = try run(["stations", "import", "samples/stations.yaml", "--store", store.path])
        #expect(imported.stdout.contains("3 added"))
        let again = try run(["stations", "import", "samples/stations.yaml", "--store", store.path, "--json"])
        #expect(again.stdout.contains("\"unchanged\""))
        let list = try run(["stations", "list", "--store", store.path])
        #expect(list.stdout.contains("150603002") && list.stdout.contains("CAM-2101-L"))
        // VIA_STORE is honoured when --store is absent.
        let viaEnv = try run(["stations", "list", "--json"], environment: ["VIA_STORE": store.path])
        #expect(viaEnv.stdout.contains("150621003"))
        // --store is global (SPEC §6): before the subcommand too, in both spellings.
        #expect(try run(["--store", store.path, "stations", "list"]).stdout.contains("150621003"))
        #expect(try run(["--store=\(store.path)", "stations", "list", "--json"]).stdout.contains("150621003"))
        let fresh = try TestPhotos.temporaryFolder("via-e2e-global")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let initJSON = try run(["--store", fresh.appendingPathComponent("s").path, "init", "--json"])
        let created = try #require(try JSONSerialization.jsonObject(with: Data(initJSON.stdout.utf8)) as? [String: Any], "\(initJSON.stderr)")
        #expect((created["migrations"] as? [String])?.first == "v1-registry")
        #expect(created["store"] as? String == fresh.appendingPathComponent("s").path)

        let submitted = try run(["submit", "samples/batch-20261018", "--store", store.path, "--json"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.contains("\"batch_id\" : \"20261018-0001\""))
        let resubmitted = try run(["submit", "samples/batch-20261018", "--store", store.path])
        #expect(resubmitted.status == 0 && resubmitted.stdout.contains("already stored"))
        // `via check` without --stations uses the store's registry and history. The stored inspections are not
        // duplicates of themselves, but record 1's certificate photo is now also stored under record 5, a later
        // inspection, so against the whole store record 1 is flagged too.
        let check = try run(["check", "samples/batch-20261018", "--store", store.path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("summary: 12 record(s): 4 passed, 2 returned, 6 flagged"), "\(check.stdout)")
        #expect(check.stdout.contains("of inspection 1506020012610180005"))
    }

    @Test func concurrentSubmittersAllSucceed() throws {
        let store = try freshStore()
        let batches = try TestPhotos.temporaryFolder("via-e2e-batches")
        defer {
            try? FileManager.default.removeItem(at: store)
            try? FileManager.default.removeItem(at: batches)
        }
        let stations = ["150602001", "150603002", "150621003", "150602001"]
        for index in 0..<4 {
            try generate(batches.appendingPathComponent("b\(index)"), records: 25, seed: 40 + index, batchId: "conc-\(index)",
                         station: stations[index])
        }
        let processes = (0..<4).map { index -> Process in
            let process = Process()
            process.executableURL = ViaBinary.url
            process.arguments = ["submit", batches.appendingPathComponent("b\(index)").path, "--store", store.path, "--json"]
            process.currentDirectoryURL = Self.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
        let opened = try ViaStore(directory: store)
        #expect(try opened.integrityProblems().isEmpty)
        let counts = try opened.read { db in try Row.fetchAll(db, sql: "SELECT batch_id, record_count, (SELECT count(*) FROM record r WHERE r.batch_row = b.id) FROM batch b ORDER BY batch_id") }
        #expect(counts.map { $0[0] as String } == ["conc-0", "conc-1", "conc-2", "conc-3"])
        #expect(counts.allSatisfy { ($0[1] as Int) == 25 && ($0[2] as Int) == 25 })
        let log = try opened.read { db in try AuditLog.verify(db) }
        #expect(log.firstBroken == nil && log.entries == 5)
    }

    @Test func aLockHeldPastTheTimeoutExits75() throws {
        let store = try freshStore()
        defer { try? FileManager.default.removeItem(at: store) }
        let opened = try ViaStore(directory: store)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? opened.pool.write { db in
                try db.execute(sql: "UPDATE station SET name = name")
                holding.signal()
                release.wait()
            }
        }
        holder.start()
        holding.wait()
        let result = try run(["submit", "samples/batch-20261018", "--store", store.path, "--lock-timeout", "1"])
        release.signal()
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("busy"), "\(result.stderr)")
        while !holder.isFinished { usleep(10_000) }
        #expect(try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") } == 0)
    }

    @Test func killingSubmitAtRandomPointsNeverLeavesHalfABatch() throws {
        let batch = try TestPhotos.temporaryFolder("via-e2e-kill")
        let store = try freshStore()
        defer {
            try? FileManager.default.removeItem(at: batch)
            try? FileManager.default.removeItem(at: store)
        }
        try generate(batch, records: 120, seed: 77, batchId: "kill-1")
        // How long an undisturbed submit takes, measured on a scratch store.
        let scratch = try freshStore()
        let start = Date()
        #expect(try run(["submit", batch.path, "--store", scratch.path]).status == 0)
        let full = Date().timeIntervalSince(start)
        try? FileManager.default.removeItem(at: scratch)

        var random = SeededRandomNumbers(seed: 11)
        for attempt in 0..<6 {
            let process = Process()
            process.executableURL = ViaBinary.url
            process.arguments = ["submit", batch.path, "--store", store.path]
            process.currentDirectoryURL = Self.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Spread the kills over the whole run, the commit at its end included.
            usleep(useconds_t(full * (0.2 + 0.85 * Double(attempt) / 5 * random.unit()) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try Self.assertConsistent(store, allowing: "kill-1")
        }
        let final = try run(["submit", batch.path, "--store", store.path, "--json"])
        #expect(final.status == 0, "\(final.stderr)")
        try Self.assertConsistent(store, allowing: "kill-1")
        let opened = try ViaStore(directory: store)
        #expect(try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM record") } == 120)
    }

    /// The store passes integrity and foreign-key checks, every batch is whole, and every referenced blob is on disk
    /// with its recorded size.
    static func assertConsistent(_ directory: URL, allowing batchId: String) throws {
        let store = try ViaStore(directory: directory)
        #expect(try store.integrityProblems().isEmpty)
        try store.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT id, record_count FROM batch") {
                let records = try Int.fetchOne(db, sql: "SELECT count(*) FROM record WHERE batch_row = ?", arguments: [row[0] as Int64])
                #expect(records == row[1] as Int, "a half-stored batch")
            }
            let photosWithoutRecords = try Int.fetchOne(db, sql: "SELECT count(*) FROM photo WHERE record_row NOT IN (SELECT id FROM record)")
            #expect(photosWithoutRecords == 0)
            for row in try Row.fetchAll(db, sql: "SELECT sha256, byte_count FROM blob") {
                let path = store.blobs.url(for: row[0] as String).path
                let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
                #expect(size == row[1] as Int, "blob \(row[0] as String) missing or incomplete")
            }
            #expect(try AuditLog.verify(db).firstBroken == nil)
        }
    }
}

/// A tiny deterministic generator for test timings.
struct SeededRandomNumbers {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}
