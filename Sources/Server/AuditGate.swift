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
    /// Waiting callers, earliest (place, arrival at the gate) first.
    private var waiters = WaiterHeap<CheckedContinuation<Void, Never>>()
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
            waiters.push(place: place, arrival: arrival, continuation)
            report()
        }
        // The slot was handed over by `leave` (running stays counted).
        return true
    }

    func leave() {
        if let next = waiters.popFirst() {
            next.resume()
        } else {
            running -= 1
        }
        report()
    }

    /// Callers waiting for a slot.
    var waiting: Int { waiters.count }

    private func report() { metrics?.audits(running: running, waiting: waiters.count) }
}

/// A binary min-heap of waiters by (place, arrival): the photo gate holds hundreds of waiters under load (every
/// photo of 60 uploads), where a sorted array's insert and remove-first moved them all each time.
struct WaiterHeap<Payload> {
    private struct Waiter {
        var place: UInt64
        var arrival: UInt64
        var payload: Payload

        func precedes(_ other: Waiter) -> Bool { (place, arrival) < (other.place, other.arrival) }
    }

    private var items: [Waiter] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    mutating func push(place: UInt64, arrival: UInt64, _ payload: Payload) {
        items.append(Waiter(place: place, arrival: arrival, payload: payload))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// The payload of the waiter with the earliest (place, arrival), removed.
    mutating func popFirst() -> Payload? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count && items[left].precedes(items[best]) { best = left }
            if right < items.count && items[right].precedes(items[best]) { best = right }
            guard best != parent else { break }
            items.swapAt(parent, best)
            parent = best
        }
        return first.payload
    }
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
