import Foundation

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
