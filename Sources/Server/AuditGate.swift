import Synchronization

/// Admits complete uploads to the audit's photo analysis a few at a time, first come first served, so that 60
/// stations uploading at once share the CPU in order instead of all slowing down together. A bounded number may
/// wait; past that the caller is told to come back (503). An upload gives its slot back once its photos are analysed:
/// flushing its blobs and committing wait on the disk, and must not keep the next upload off the CPU.
actor AuditGate {
    private let width: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let onChange: @Sendable (_ running: Int, _ waiting: Int) -> Void

    init(width: Int, maxWaiting: Int, onChange: @escaping @Sendable (_ running: Int, _ waiting: Int) -> Void = { _, _ in }) {
        self.width = max(1, width)
        self.maxWaiting = max(0, maxWaiting)
        self.onChange = onChange
    }

    init(width: Int, maxWaiting: Int, metrics: ServerMetrics) {
        self.init(width: width, maxWaiting: maxWaiting, onChange: { metrics.audits(running: $0, waiting: $1) })
    }

    /// Waits for a slot (false at once when too many are waiting already); `leave` gives it back.
    func enter() async -> Bool {
        if running < width {
            running += 1
            report()
            return true
        }
        guard waiters.count < maxWaiting else { return false }
        await withCheckedContinuation { continuation in
            waiters.append(continuation)
            report()
        }
        // The slot was handed over by `leave` (running stays counted).
        return true
    }

    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
        report()
    }

    /// Uploads waiting for a slot.
    var waiting: Int { waiters.count }

    private func report() { onChange(running, waiters.count) }
}

/// One upload's slot in the gate, given back exactly once (after the analysis, or on any way out).
actor AuditSlot {
    private let gate: AuditGate
    private var held = true

    init(gate: AuditGate) { self.gate = gate }

    func release() async {
        guard held else { return }
        held = false
        await gate.leave()
    }
}

/// Admits single photos of uploads to their analysis as the parts arrive (`EarlyAnalysis`), one per core at a time,
/// earliest upload first: photos of an upload that started earlier go before those of later ones, so concurrent uploads
/// finish one after another, as with the audit gate, instead of all sharing the CPU and finishing late together.
actor PhotoGate {
    private let width: Int
    private var running = 0
    /// Waiting photos by (upload order, arrival order).
    private var waiters: [(upload: UInt64, arrival: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var arrivals: UInt64 = 0
    private nonisolated let uploads = Atomic<UInt64>(0)

    init(width: Int) { self.width = max(1, width) }

    /// A number ordering an upload's photos after those of every upload that asked before.
    nonisolated func nextUpload() -> UInt64 { uploads.add(1, ordering: .relaxed).newValue }

    /// Photos waiting for a slot.
    var waitingCount: Int { waiters.count }

    func enter(upload: UInt64) async {
        if running < width {
            running += 1
            return
        }
        arrivals += 1
        let arrival = arrivals
        await withCheckedContinuation { continuation in
            let index = waiters.firstIndex { ($0.upload, $0.arrival) > (upload, arrival) } ?? waiters.endIndex
            waiters.insert((upload, arrival, continuation), at: index)
        }
    }

    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }
}
