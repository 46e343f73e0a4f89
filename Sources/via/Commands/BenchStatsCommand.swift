import ArgumentParser
import Foundation
import Samples
import Store
import Supervision

/// `via bench stats`: the supervision figures over a large store.
struct BenchStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Time `via stats` (every view) over a generated store of 1,000,000 records.")

    @Option(help: "Records in the generated store.")
    var records = 1_000_000

    @Option(help: "Use (and keep) this store instead of a temporary one; it is filled only when empty.")
    var store: String?

    func run() throws {
        let directory = store.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-stats-\(getpid())")
        defer { if store == nil { try? FileManager.default.removeItem(at: directory) } }
        let opened = try ViaStore(directory: directory)
        let existing = try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM record") ?? 0 }
        if existing == 0 {
            print("filling \(records) records…")
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try opened.importStations(SampleStations.registry)
            try SyntheticStore.fill(opened, registry: SampleStations.registry, count: records)
            print(String(format: "filled in %.1f s", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
        let supervisor = Supervisor(store: opened)
        let window = StatsWindow(since: nil, until: Date())
        func time(_ label: String, _ body: () throws -> Void) rethrows {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            print(label.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%7.0f ms", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
        }
        let count = try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM record") ?? 0 }
        print("\(count) records in the store")
        try time("via stats") { _ = try supervisor.overview(window) }
        try time("via stats --since 24h") { _ = try supervisor.overview(StatsWindow(since: Date().addingTimeInterval(-86400))) }
        try time("--by station") { _ = try supervisor.stations(window) }
        try time("--by rule") { _ = try supervisor.rules(window) }
        try time("--by reviewer") { _ = try supervisor.reviewers(window) }
        try time("--by hour") { _ = try supervisor.hours(window) }
    }
}
