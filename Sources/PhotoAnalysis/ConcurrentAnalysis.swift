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

