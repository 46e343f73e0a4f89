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

/// Runs blocking work (fsync, SQLite writes, file reads) on a dispatch thread and waits for it without holding a
/// thread: Swift's cooperative pool has one thread per core, and a task blocked in the kernel there keeps the CPU-bound
/// work of every other task (photo analysis, request parsing) from using that core.
public func onBlockingThread<T: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
    let result: Result<T, Failure> = await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { () throws(Failure) -> T in try work() })
        }
    }
    return try result.get()
}
