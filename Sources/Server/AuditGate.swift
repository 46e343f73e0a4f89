/// Admits complete uploads to the audit's photo analysis a few at a time, first come first served, so that 60
/// stations uploading at once share the CPU in order instead of all slowing down together. A bounded number may
/// wait; past that the caller is told to come back (503). An upload gives its slot back once its photos are analysed:
/// flushing its blobs and committing wait on the disk, and must not keep the next upload off the CPU.
actor AuditGate {
    private let width: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let metrics: ServerMetrics

    init(width: Int, maxWaiting: Int, metrics: ServerMetrics) {
        self.width = max(1, width)
        self.maxWaiting = max(0, maxWaiting)
        self.metrics = metrics
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

    private func report() { metrics.audits(running: running, waiting: waiters.count) }
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
