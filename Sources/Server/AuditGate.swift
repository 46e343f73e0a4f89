import Synchronization

/// Admits work a few at a time, in order, with a bounded waiting room (past it the caller is told to come back: 503).
///
/// Two gates use it. Complete uploads enter the audit's gate first come first served, so that 60 stations uploading
/// at once share the CPU in order instead of all slowing down together; an upload gives its slot back once its photos
/// are analysed (flushing blobs and committing wait on the disk and must not keep the next upload off the CPU).
/// Single photos enter the photo gate as their parts arrive (`EarlyAnalysis`), one per core, ordered by their
/// upload's place (`nextPlace()` when the upload began), so the photos of an earlier upload go first and concurrent
/// uploads finish one after another instead of all late together.
actor AuditGate {
    private let width: Int
    private let maxWaiting: Int
    private var running = 0
    /// Waiting callers by (place, arrival at the gate).
    private var waiters: [(place: UInt64, arrival: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var arrivals: UInt64 = 0
    private nonisolated let places = Atomic<UInt64>(0)
    private let metrics: ServerMetrics?

    init(width: Int, maxWaiting: Int, metrics: ServerMetrics? = nil) {
        self.width = max(1, width)
        self.maxWaiting = max(0, maxWaiting)
        self.metrics = metrics
    }

    /// A place after every one handed out before (an upload's, for all its photos).
    nonisolated func nextPlace() -> UInt64 { places.add(1, ordering: .relaxed).newValue }

    /// Waits for a slot, behind every waiter with an earlier place (default: a new place, i.e. first come first
    /// served); false at once when the waiting room is full. `leave` gives the slot back.
    func enter(place: UInt64? = nil) async -> Bool {
        if running < width {
            running += 1
            report()
            return true
        }
        guard waiters.count < maxWaiting else { return false }
        let place = place ?? nextPlace()
        arrivals += 1
        let arrival = arrivals
        await withCheckedContinuation { continuation in
            let index = waiters.firstIndex { ($0.place, $0.arrival) > (place, arrival) } ?? waiters.endIndex
            waiters.insert((place, arrival, continuation), at: index)
            report()
        }
        // The slot was handed over by `leave` (running stays counted).
        return true
    }

    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
        report()
    }

    /// Callers waiting for a slot.
    var waiting: Int { waiters.count }

    private func report() { metrics?.audits(running: running, waiting: waiters.count) }
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
