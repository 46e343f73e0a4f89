@testable import Server
import Testing

/// The audit gate: a bounded number of uploads analysed at once, a bounded queue, and slots given back exactly once.
@Suite struct AuditGateTests {
    @Test func aSlotIsGivenBackOnceHoweverOftenItIsReleased() async {
        let gate = AuditGate(width: 1, maxWaiting: 0, metrics: ServerMetrics())
        #expect(await gate.enter())
        let slot = AuditSlot(gate: gate)
        // Released after the analysis, then again on the way out: the second must not free a slot nobody holds.
        await slot.release()
        await slot.release()
        #expect(await gate.enter(), "the slot is free again")
        #expect(await gate.enter() == false, "width 1 and no waiting room: a second upload is turned away (503)")
    }

    @Test func aWaitingUploadGetsTheSlotWhenItIsReleased() async {
        let gate = AuditGate(width: 1, maxWaiting: 1, metrics: ServerMetrics())
        #expect(await gate.enter())
        let slot = AuditSlot(gate: gate)
        async let second = gate.enter()
        // Let the second upload queue up, then hand the slot over.
        while await gate.waiting == 0 { await Task.yield() }
        #expect(await gate.enter() == false, "the waiting room (1) is full")
        await slot.release()
        #expect(await second)
    }

    actor Order {
        var entered: [UInt64] = []
        func note(_ upload: UInt64) { entered.append(upload) }
    }

    // The limit catches a hang, not slowness: in the whole suite on two cores, tests that run the via binary hold the
    // cooperative threads for minutes, and this test's clock runs while it waits for one (it once hit a 1-minute limit).
    @Test(.timeLimit(.minutes(10))) func photosOfEarlierUploadsAreAnalysedFirst() async {
        let gate = AuditGate(width: 1, maxWaiting: 10)
        let first = gate.nextPlace(), second = gate.nextPlace(), third = gate.nextPlace()
        #expect(first < second && second < third)
        #expect(await gate.enter(place: first)) // the only slot is taken
        let order = Order()
        // The third upload's photo asks before the second's; the second's must still go first.
        let late = Task { _ = await gate.enter(place: third); await order.note(third); await gate.leave() }
        while await gate.waiting < 1 { await Task.yield() }
        let early = Task { _ = await gate.enter(place: second); await order.note(second); await gate.leave() }
        while await gate.waiting < 2 { await Task.yield() }
        await gate.leave()
        await late.value
        await early.value
        #expect(await order.entered == [second, third])
    }

    /// Hundreds of waiters (every photo of many uploads) come out by place, and by arrival within a place, however
    /// pushes and pops interleave.
    @Test func waitersLeaveInPlaceThenArrivalOrder() {
        var heap = WaiterHeap<Int>()
        var random = SplitMix(state: 7)
        var waiting: [(place: UInt64, arrival: Int)] = []
        var popped: [Int] = []
        for arrival in 0..<600 {
            let place = random.next() % 40 // many photos share their upload's place
            heap.push(place: place, arrival: UInt64(arrival), arrival)
            waiting.append((place, arrival))
            if random.next() % 3 == 0, let first = heap.popFirst() {
                let expected = waiting.min { ($0.place, $0.arrival) < ($1.place, $1.arrival) }!
                #expect(first == expected.arrival)
                waiting.removeAll { $0.arrival == first }
                popped.append(first)
            }
        }
        #expect(heap.count == waiting.count)
        let rest = waiting.sorted { ($0.place, $0.arrival) < ($1.place, $1.arrival) }.map(\.arrival)
        var drained: [Int] = []
        while let next = heap.popFirst() { drained.append(next) }
        #expect(drained == rest)
        #expect(heap.isEmpty && popped.count + drained.count == 600)
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
