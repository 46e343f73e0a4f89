import Testing
import VIACore

@Suite struct StationViewTests {
    @Test func anotherStationsIdentifiersAreHiddenOwnFindingsAreUntouched() {
        let foreign = Finding(rule: "record.odometer", severity: .error, field: "odometer_km",
                              message: "odometer 1,000 km is 97,400 km lower than the 98,400 km recorded at station 150603002, inspection X9",
                              evidence: ["odometer_km": 1000, "other_odometer_km": 98400, "other_station": "150603002",
                                         "other_inspection_id": "X9"])
        let seen = foreign.visible(to: "150602001")
        #expect(seen.evidence == ["odometer_km": 1000, "other_station": "another station"])
        #expect(!seen.message.contains("150603002") && !seen.message.contains("X9") && !seen.message.contains("98,400"))
        #expect(seen.rule == foreign.rule && seen.severity == foreign.severity && seen.field == foreign.field)
        // The same station's own earlier record, and findings without another station, stay as they are.
        #expect(foreign.visible(to: "150603002") == foreign)
        let plain = Finding(rule: "photo.missing", severity: .error, photo: "0111", message: "required photo 0111 is missing")
        #expect(plain.visible(to: "150602001") == plain)
    }
}
