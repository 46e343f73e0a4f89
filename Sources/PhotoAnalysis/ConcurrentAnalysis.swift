import Foundation
import VIACore

extension PhotoAnalyzer {
    /// Analyses many files with at most `concurrency` in flight (default: the number of active cores), handing each
    /// result to `deliver` in input order as soon as it and all earlier ones are done. Memory stays bounded by
    /// the in-flight files plus results waiting for an earlier, slower file.
    public func analyze(paths: [String], concurrency: Int? = nil,
                        deliver: (Int, PhotoFacts) -> Void) async {
        await forEachConcurrently(paths.count, concurrency: concurrency,
                                  work: { [self] index in analyze(path: paths[index]) },
                                  deliver: deliver)
    }

    /// Analyses many files and returns their facts in input order.
    public func analyze(paths: [String], concurrency: Int? = nil) async -> [PhotoFacts] {
        var results: [PhotoFacts] = []
        results.reserveCapacity(paths.count)
        await analyze(paths: paths, concurrency: concurrency) { _, facts in results.append(facts) }
        return results
    }
}

/// Runs `work` for indices 0..<count with bounded parallelism and delivers results in index order.
public func forEachConcurrently<Result: Sendable>(
    _ count: Int, concurrency: Int? = nil,
    work: @escaping @Sendable (Int) -> Result,
    deliver: (Int, Result) -> Void
) async {
    let width = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
    await withTaskGroup(of: (Int, Result).self) { group in
        var next = 0
        while next < min(width, count) {
            let index = next
            group.addTask { (index, work(index)) }
            next += 1
        }
        var waiting: [Int: Result] = [:]
        var emit = 0
        while let (index, result) = await group.next() {
            waiting[index] = result
            while let ready = waiting.removeValue(forKey: emit) {
                deliver(emit, ready)
                emit += 1
            }
            if next < count {
                let index = next
                group.addTask { (index, work(index)) }
                next += 1
            }
        }
    }
}
