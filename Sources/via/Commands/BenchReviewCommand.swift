import ArgumentParser
import Audit
import Foundation
import Samples
import Store
import VIACore

/// `via bench review`: how fast the review screen moves, and how the queue copes at scale.
struct BenchReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Decision key → next record on screen (12-photo records), and claim/decide throughput with 100,000 queued.")

    @Option(help: "Records of the generated batch reviewed on screen.")
    var records = 30

    @Option(help: "Records queued for the throughput measurement.")
    var queued = 100_000

    @Option(help: "Claim + decide cycles measured.")
    var cycles = 2000

    @Option(help: "Reviewer think time between keys, in milliseconds (lets the next screen be prepared, as in real use).")
    var thinkMs = 300

    @OptionGroup var rulesOptions: RulesOptions

    func run() async throws {
        let catalog = try rulesOptions.load()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("via-bench-review-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }

        // 1. The screen: a generated batch where every record has a defect, 1280x960 photos.
        print("generating \(records) records with a defect each…")
        let batch = scratch.appendingPathComponent("batch")
        try await SampleGenerator(registry: SampleStations.registry, catalog: catalog, options: SampleOptions(
            records: records, defectRate: 1, seed: 9)).generate(into: batch)
        let store = try ViaStore(directory: scratch.appendingPathComponent("screen"))
        _ = try store.importStations(SampleStations.registry)
        _ = try await Submitter(store: store, catalog: catalog).submit(directory: batch.path)
        let depth = try store.queueOverview(limit: 0).depth
        for (label, think) in [("with \(thinkMs) ms think time (the next screen prepared meanwhile)", thinkMs), ("back to back", 0)] {
            let fresh = try ViaStore(directory: scratch.appendingPathComponent("screen-\(think)"))
            _ = try fresh.importStations(SampleStations.registry)
            _ = try await Submitter(store: fresh, catalog: catalog).submit(directory: batch.path)
            let io = ScriptedIO(keys: Array(repeating: "a", count: depth), thinkMs: think, columns: 160, rows: 50)
            let session = ReviewSession(store: fresh, reviewer: "bench", lease: 300, io: io, trueColor: true)
            session.run(maxDecisions: depth)
            let latencies = session.decisionLatencies.sorted()
            let photos = Double(io.photosShown) / Double(max(1, io.screens))
            print("decision key → next screen, \(label): " + String(
                format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d decisions (%.1f photos per screen, %.0f kB of output per screen)",
                percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? 0, latencies.count, photos,
                Double(io.bytes) / Double(max(1, io.screens)) / 1024))
        }

        // 2. The queue at scale.
        print("queueing \(queued) records…")
        let big = try ViaStore(directory: scratch.appendingPathComponent("queue"))
        _ = try big.importStations(SampleStations.registry)
        let ruleSet = try catalog.ruleSets.first { !$0.abstract }.orFail("no concrete rule set")
        let fillStart = DispatchTime.now().uptimeNanoseconds
        try SyntheticQueue.fill(big, ruleSet: ruleSet, count: queued, station: SampleStations.registry.stations[0].code, batchSize: 5000)
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fillStart) / 1e9
        var claims: [Double] = [], decides: [Double] = []
        for cycle in 0..<cycles {
            let a = DispatchTime.now().uptimeNanoseconds
            guard let item = try big.claimNext(reviewer: "r\(cycle % 8)"), let claim = item.claim else { break }
            let b = DispatchTime.now().uptimeNanoseconds
            _ = try big.decide(id: claim.id, token: claim.token, verdict: cycle % 4 == 0 ? .reject(reason: item.reasons[0].code, note: nil) : .approve)
            let c = DispatchTime.now().uptimeNanoseconds
            claims.append(Double(b - a) / 1e6)
            decides.append(Double(c - b) / 1e6)
        }
        claims.sort()
        decides.sort()
        let total = claims.reduce(0, +) + decides.reduce(0, +)
        print(String(format: "queue of %d (filled in %.1f s): claim p50 %.2f ms p99 %.2f ms · decide p50 %.2f ms p99 %.2f ms · %.0f claim+decide cycles/s",
                     queued, fillSeconds, percentile(claims, 0.5), percentile(claims, 0.99), percentile(decides, 0.5),
                     percentile(decides, 0.99), Double(claims.count) / (total / 1000)))
    }

    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Keys from a list, with optional think time; output counted and discarded.
final class ScriptedIO: ReviewIO, @unchecked Sendable {
    private var keys: [String]
    private let thinkMs: Int
    let size: (columns: Int, rows: Int)
    private(set) var screens = 0
    private(set) var bytes = 0
    private(set) var photosShown = 0

    init(keys: [String], thinkMs: Int, columns: Int, rows: Int) {
        self.keys = keys
        self.thinkMs = thinkMs
        size = (columns, rows)
    }

    func readKey() -> String? {
        if thinkMs > 0 { usleep(useconds_t(thinkMs * 1000)) }
        return keys.isEmpty ? "q" : keys.removeFirst()
    }

    func write(_ text: String) {
        screens += 1
        bytes += text.utf8.count
        photosShown += ReviewScreenRenderer.lastPhotoCount
    }
}

extension Optional {
    /// Unwraps or fails the benchmark with a message.
    func orFail(_ message: String) throws -> Wrapped {
        guard let value = self else { throw ValidationError(message) }
        return value
    }
}
