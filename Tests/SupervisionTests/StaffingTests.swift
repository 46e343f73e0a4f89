import Supervision
import Testing

@Suite struct StaffingTests {
    @Test func erlangCMatchesPublishedValues() {
        // Two servers, offered load 1 Erlang: C = 1/3.
        #expect(abs(Staffing.erlangC(servers: 2, load: 1) - 1.0 / 3) < 1e-12)
        // One server: C equals utilisation.
        #expect(abs(Staffing.erlangC(servers: 1, load: 0.5) - 0.5) < 1e-12)
    }

    @Test func reviewersNeededIsTheSmallestCountMeetingTheWaitTarget() {
        // λ = 360/h = 0.1/s, s = 30 s → a = 3. c = 4: C = 27/53, W_q = 15.28 s (over a 10 s target);
        // c = 5: C = 0.23615, W_q = 3.54 s.
        let staffing = Staffing(arrivalsPerHour: 360, meanReviewSeconds: 30, targetWaitSeconds: 10)
        #expect(staffing.offeredLoad == 3)
        #expect(staffing.reviewersNeeded == 5)
        #expect(abs((staffing.expectedWaitSeconds ?? 0) - 3.542274052478134) < 1e-9)
        #expect(abs(Staffing.erlangC(servers: 4, load: 3) - 27.0 / 53) < 1e-12)
        // A looser target needs one fewer; no queue needs nobody; no review times give no answer.
        #expect(Staffing(arrivalsPerHour: 360, meanReviewSeconds: 30, targetWaitSeconds: 20).reviewersNeeded == 4)
        #expect(Staffing(arrivalsPerHour: 0, meanReviewSeconds: 30, targetWaitSeconds: 10).reviewersNeeded == 0)
        #expect(Staffing(arrivalsPerHour: 360, meanReviewSeconds: nil, targetWaitSeconds: 10).reviewersNeeded == nil)
    }
}
