import ArgumentParser
import Foundation
import GRDB
import Store
import VIACore

/// `via bench hashes`: near-duplicate lookups against an index of millions of perceptual hashes.
struct BenchHashesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashes",
        abstract: "Near-duplicate lookup latency (p50/p99) with 1 M and 10 M synthetic hashes in the index.")

    @Option(help: "Index sizes to measure, comma-separated.")
    var sizes = "1000000,10000000"

    @Option(help: "Lookups per size.")
    var lookups = 2000

    @Option(help: "Hamming distance of the lookups (the duplicate rule's max_distance).")
    var distance = 3

    @Option(help: "Folder for the scratch index (default: a temporary folder; needs about 150 bytes per hash).")
    var scratch: String?

    func validate() throws {
        guard !parsedSizes.isEmpty else { throw ValidationError("--sizes must list positive counts, e.g. 1000000,10000000") }
        guard lookups > 0, (0...16).contains(distance) else { throw ValidationError("--lookups must be positive, --distance 0...16") }
    }

    var parsedSizes: [Int] { sizes.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }.sorted() }

    func run() throws {
        let folder = URL(fileURLWithPath: scratch ?? FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-hashes-\(getpid())").path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if scratch == nil { try? FileManager.default.removeItem(at: folder) } }
        let path = folder.appendingPathComponent("hashes.sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A scratch index of synthetic data: a large page cache for the bulk load, no durability needed.
            try db.execute(sql: "PRAGMA cache_size = -1048576")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try database.write { db in try PhotoHashIndex.createTable(db, referencing: nil) }
        var random = SeededRandom(seed: 2026)
        var inserted = 0
        var stored: [UInt64] = []
        for size in parsedSizes {
            let before = inserted
            let start = DispatchTime.now().uptimeNanoseconds
            while inserted < size {
                let chunk = min(200_000, size - inserted)
                try database.write { db in
                    for _ in 0..<chunk {
                        let hash = random.next()
                        try PhotoHashIndex.insert(db, photoRow: Int64(inserted), hash: hash)
                        if inserted % 1000 == 0 { stored.append(hash) }
                        inserted += 1
                    }
                }
            }
            let insertSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            // Half the lookups are near a stored hash (a match exists), half are random (nothing close).
            var times: [Double] = []
            var matches = 0
            try database.read { db in
                for index in 0..<lookups {
                    var probe = random.next()
                    if index % 2 == 0 {
                        probe = stored[Int(random.next() % UInt64(stored.count))]
                        for _ in 0..<min(distance, 2) { probe ^= 1 << (random.next() % 64) }
                    }
                    let begin = DispatchTime.now().uptimeNanoseconds
                    matches += try PhotoHashIndex.lookup(db, hash: probe, within: distance).count
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
                }
            }
            times.sort()
            let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print(String(format: "%10d hashes: lookup within %d bits p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d matches in %d lookups); "
                         + "inserted at %.0f hashes/s; index %.0f MB",
                         size, distance, times[times.count / 2], times[times.count * 99 / 100], times.last ?? 0, matches, lookups,
                         Double(size - before) / max(insertSeconds, 1e-9), Double(fileSize) / 1e6))
        }
    }
}
