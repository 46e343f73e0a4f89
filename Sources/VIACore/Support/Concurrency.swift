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

/// Runs blocking work (fsync, SQLite writes, file reads) on a thread of `BlockingThreadPool.shared` and waits for it
/// without holding a thread: Swift's cooperative pool has one thread per core, and a task blocked in the kernel there
/// keeps the CPU-bound work of every other task (photo analysis, request parsing) from using that core.
public func onBlockingThread<T: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
    let result: Result<T, Failure> = await withCheckedContinuation { continuation in
        BlockingThreadPool.shared.run {
            continuation.resume(returning: Result { () throws(Failure) -> T in try work() })
        }
    }
    return try result.get()
}

/// Threads for work that waits on the kernel. Not Dispatch's global queue: on Linux its worker pool stays near one
/// thread per core, so a few uploads flushing their photos (each fsync waiting milliseconds on the disk) kept every
/// other blocking job — reading a batch, a token lookup, a commit — queued behind them while the CPU sat idle.
public final class BlockingThreadPool: @unchecked Sendable {
    /// Enough threads for several uploads' flushes, commits and lookups to wait at once; idle threads cost nothing.
    public static let shared = BlockingThreadPool(threads: max(16, 4 * ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var started = 0
    private var idle = 0
    private let limit: Int

    public init(threads: Int) { limit = max(1, threads) }

    /// Runs `job` on one of the pool's threads (started on demand, up to the limit), in submission order.
    public func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        // More jobs waiting than threads waiting for jobs (a signalled thread may not have woken yet): one more thread.
        let startThread = jobs.count - head > idle && started < limit
        if startThread { started += 1 }
        condition.signal()
        condition.unlock()
        if startThread {
            let thread = Thread { [self] in work() }
            thread.name = "via-blocking"
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
