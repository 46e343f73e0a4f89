import Foundation
import GRDB
import Store
import Testing
import VIACore
import VIATesting

/// Claims, leases, decisions, skips, undo and the audit trail they leave.
@Suite struct ReviewQueueTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func store(items: Int, severity: Severity = .error) throws -> TemporaryStore {
        let temporary = try TemporaryStore()
        try TestQueue.fill(temporary.store, count: items, severity: severity, at: t0)
        return temporary
    }

    @Test func claimsGoOldestFirstWithErrorsBeforeWarnings() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try TestQueue.fill(temporary.store, count: 2, prefix: "W", severity: .warning, at: t0)
        try TestQueue.fill(temporary.store, count: 2, prefix: "E", severity: .error, at: t0.addingTimeInterval(60))
        var order: [String] = []
        while let item = try temporary.store.claimNext(reviewer: "li", now: t0.addingTimeInterval(120)) {
            order.append(item.inspectionId)
            #expect(item.claim?.reviewer == "li")
        }
        #expect(order == ["E0000000", "E0000001", "W0000000", "W0000001"])
    }

    @Test func aDecisionNeedsTheCurrentTokenAndALiveLease() throws {
        let temporary = try store(items: 1)
        defer { temporary.remove() }
        let store = temporary.store
        let item = try #require(try store.claimNext(reviewer: "li", lease: 60, now: t0))
        let claim = try #require(item.claim)
        #expect(throws: ReviewError.staleToken(id: claim.id, heldBy: "li")) {
            try store.decide(id: claim.id, token: "forged", verdict: .approve, now: t0.addingTimeInterval(5))
        }
        // The lease runs out: a late decision is refused and the record is back in the queue.
        #expect(throws: ReviewError.leaseExpired(id: claim.id, at: claim.leaseUntil)) {
            try store.decide(id: claim.id, token: claim.token, verdict: .approve, now: t0.addingTimeInterval(61))
        }
        let again = try #require(try store.claimNext(reviewer: "wang", now: t0.addingTimeInterval(62)))
        #expect(again.id == claim.id && again.claim?.token != claim.token)
        #expect(throws: ReviewError.staleToken(id: claim.id, heldBy: "wang")) {
            try store.decide(id: claim.id, token: claim.token, verdict: .approve, now: t0.addingTimeInterval(63))
        }
        let decision = try store.decide(id: again.id, token: again.claim!.token, verdict: .reject(reason: "R02", note: "two days old"),
                                        now: t0.addingTimeInterval(72))
        #expect(decision.reviewer == "wang" && decision.outcome == "reject" && decision.reasonCode == "R02")
        #expect(decision.reviewMs == 10_000, "claim to decision")
        #expect(try store.claimNext(reviewer: "li", now: t0.addingTimeInterval(80)) == nil)
        let actions = try store.read { db in try AuditEntry.order(AuditEntry.Columns.seq).fetchAll(db).map(\.action) }
        #expect(actions.suffix(4) == ["claim", "lease.expired", "claim", "decision.reject"])
    }

    @Test func rejectionsNeedAReasonFromTheRuleSet() throws {
        let temporary = try store(items: 1)
        defer { temporary.remove() }
        let item = try #require(try temporary.store.claimNext(reviewer: "li", now: t0))
        #expect(item.reasons.map(\.code) == ["R01", "R02"])
        #expect(throws: ReviewError.unknownReason(code: "R77", allowed: ["R01", "R02"])) {
            try temporary.store.decide(id: item.id, token: item.claim!.token, verdict: .reject(reason: "R77", note: nil), now: t0)
        }
    }

    @Test func skippedRecordsComeBackLastForThatReviewerOnly() throws {
        let temporary = try store(items: 3)
        defer { temporary.remove() }
        let store = temporary.store
        let first = try #require(try store.claimNext(reviewer: "li", now: t0))
        try store.skip(id: first.id, token: first.claim!.token, now: t0.addingTimeInterval(1))
        let forLi = try #require(try store.claimNext(reviewer: "li", now: t0.addingTimeInterval(2)))
        #expect(forLi.inspectionId == "Q0000001")
        let forWang = try #require(try store.claimNext(reviewer: "wang", now: t0.addingTimeInterval(3)))
        #expect(forWang.inspectionId == "Q0000000", "another reviewer gets it in its turn")
        let third = try #require(try store.claimNext(reviewer: "li", now: t0.addingTimeInterval(4)))
        #expect(third.inspectionId == "Q0000002")
    }

    @Test func undoWithinSixtySecondsGivesTheRecordBack() throws {
        let temporary = try store(items: 2)
        defer { temporary.remove() }
        let store = temporary.store
        let item = try #require(try store.claimNext(reviewer: "li", now: t0))
        _ = try store.decide(id: item.id, token: item.claim!.token, verdict: .approve, now: t0.addingTimeInterval(10))
        let back = try store.undo(reviewer: "li", now: t0.addingTimeInterval(40))
        #expect(back.id == item.id && back.claim?.reviewer == "li")
        let decision = try store.decide(id: back.id, token: back.claim!.token, verdict: .reject(reason: "R01", note: nil),
                                        now: t0.addingTimeInterval(45))
        #expect(decision.outcome == "reject")
        #expect(throws: ReviewError.undoWindowPassed(decidedAt: t0.addingTimeInterval(45), window: 60)) {
            try store.undo(reviewer: "li", now: t0.addingTimeInterval(106))
        }
        #expect(throws: ReviewError.nothingToUndo(reviewer: "zhao")) { try store.undo(reviewer: "zhao", now: t0) }
        let live = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM decision WHERE record_row = ? AND undone_at IS NULL", arguments: [item.id])
        }
        #expect(live == 1, "the undone decision is kept, marked undone")
        #expect(try store.verifyAuditLog().firstBroken == nil)
    }

    @Test func releaseReturnsTheRecordUnchanged() throws {
        let temporary = try store(items: 2)
        defer { temporary.remove() }
        let store = temporary.store
        let item = try #require(try store.claimNext(reviewer: "li", now: t0))
        try store.release(id: item.id, token: item.claim!.token, now: t0)
        #expect(throws: ReviewError.notClaimed(id: item.id, state: "waiting")) {
            try store.release(id: item.id, token: item.claim!.token, now: t0)
        }
        #expect(try store.claimNext(reviewer: "li", now: t0)?.id == item.id, "released, not skipped: first again")
    }

    @Test func aResubmissionReplacesItsQueuedPredecessor() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        try TestQueue.fill(store, count: 1, prefix: "R", at: t0)
        let claimed = try #require(try store.claimNext(reviewer: "li", now: t0))
        try TestQueue.fill(store, count: 1, prefix: "R", batchSize: 1, at: t0.addingTimeInterval(30))
        #expect(throws: ReviewError.superseded(id: claimed.id)) {
            try store.decide(id: claimed.id, token: claimed.claim!.token, verdict: .approve, now: t0.addingTimeInterval(31))
        }
        let overview = try store.queueOverview(now: t0.addingTimeInterval(32))
        #expect(overview.depth == 1 && overview.items[0].id != claimed.id)
        #expect(try store.claimNext(reviewer: "li", now: t0.addingTimeInterval(33))?.version == 2)
    }

    @Test func theQueueOverviewCountsByStationAndRule() throws {
        let temporary = try store(items: 5)
        defer { temporary.remove() }
        _ = try temporary.store.claimNext(reviewer: "li", now: t0.addingTimeInterval(100))
        let overview = try temporary.store.queueOverview(now: t0.addingTimeInterval(100))
        #expect(overview.depth == 5 && overview.waiting == 4 && overview.claimed == 1)
        #expect(overview.oldestAgeSeconds == 100)
        #expect(overview.byStation == ["150602001": 5])
        #expect(overview.byRule == ["photo.time_window": 5])
        #expect(overview.items.first?.claimedBy == "li")
    }

    @Test func twoReviewersRacingNeverHoldTheSameRecord() async throws {
        let temporary = try store(items: 200)
        defer { temporary.remove() }
        let store = temporary.store
        let claimed = await withTaskGroup(of: [Int64].self) { group in
            for reviewer in 0..<6 {
                group.addTask {
                    var mine: [Int64] = []
                    while let item = try? store.claimNext(reviewer: "r\(reviewer)") {
                        mine.append(item.id)
                        _ = try? store.decide(id: item.id, token: item.claim!.token, verdict: .approve)
                    }
                    return mine
                }
            }
            var all: [Int64] = []
            for await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 200 && Set(claimed).count == 200)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision") } == 200)
    }
}
