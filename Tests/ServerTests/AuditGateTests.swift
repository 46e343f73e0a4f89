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

    @Test(.timeLimit(.minutes(1))) func photosOfEarlierUploadsAreAnalysedFirst() async {
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
}
