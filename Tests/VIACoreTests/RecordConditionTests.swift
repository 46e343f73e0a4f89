import Testing
import VIACore

/// Rule-set conditions on a record: age by the calendar, items the station really tested.
@Suite struct RecordConditionTests {
    static func record(registered: String, started: String, items: [String: String] = [:]) -> InspectionRecord {
        var record = ExampleWorld().record
        record["first_registered"] = .string(registered)
        record["started_at"] = .string(started)
        record["finished_at"] = .null
        record["items"] = .object(items.mapValues { .string($0) })
        return InspectionRecord.parse(.object(record), index: 0)
    }

    @Test(arguments: [
        ("2016-10-18", "2026-10-18T18:30:00+08:00", false), // exactly 10 years, late in the day
        ("2016-10-18", "2026-10-19T00:10:00+08:00", true),  // the day after
        ("2016-01-11", "2026-01-10T19:00:00+08:00", false), // 9 years 364 days, evening
        ("2016-01-12", "2026-01-11T23:30:00+08:00", false), // the local date as written counts, not UTC's
        ("2016-01-11", "2026-01-12T00:30:00+08:00", true),  // 16:30 on the 11th in UTC
        ("2016-01-11", "2026-01-11T16:30:00Z", false),      // written in UTC: still the 11th
        ("2016-02-29", "2026-02-28T10:00:00+08:00", false), // a 29 February car is 10 on 28 February
        ("2016-02-29", "2026-03-01T10:00:00+08:00", true),
        ("2016-02-29", "2026-02-27T10:00:00+08:00", false), // the day before that
        ("2016-02-29", "2024-02-28T10:00:00+08:00", false), // 8 in a leap year: 29 February is the anniversary
        ("2026-11-01", "2026-10-18T10:00:00+08:00", false), // inspected before its registration date
    ])
    func overTenYearsByTheCalendar(_ registered: String, _ started: String, _ over: Bool) {
        let record = Self.record(registered: registered, started: started)
        #expect(Condition(vehicleAgeOverYears: 10).holds(for: record) == over, "\(registered) → \(started): \(record.vehicleAgeYears ?? -1)")
        #expect(Condition(vehicleAgeAtMostYears: 10).holds(for: record) == !over)
    }

    @Test func ageIsWholeYearsPlusTheShareOfTheCurrentOne() throws {
        let exact = try #require(Self.record(registered: "2016-10-18", started: "2026-10-18T09:00:00+08:00").vehicleAgeYears)
        #expect(exact == 10)
        let half = try #require(Self.record(registered: "2025-01-01", started: "2025-07-02T09:00:00+08:00").vehicleAgeYears)
        #expect(abs(half - 182.0 / 365) < 1e-12)
    }

    @Test func itemsPresentMeansTestedNotMerelyListed() {
        let condition = Condition(itemsPresent: ["B4"])
        let started = "2026-10-18T09:00:00+08:00"
        #expect(condition.holds(for: Self.record(registered: "2020-01-01", started: started, items: ["B4": "pass"])))
        #expect(condition.holds(for: Self.record(registered: "2020-01-01", started: started, items: ["B4": "2"])))
        #expect(!condition.holds(for: Self.record(registered: "2020-01-01", started: started, items: ["B4": "0"])))
        #expect(!condition.holds(for: Self.record(registered: "2020-01-01", started: started, items: ["B4": "not_tested"])))
        #expect(!condition.holds(for: Self.record(registered: "2020-01-01", started: started, items: ["B1": "pass"])))
    }
}
