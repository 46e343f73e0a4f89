import Rules
import Testing
import VIACore

@Suite struct RecordRulesTests {
    // MARK: record.plate

    struct PlateCase: Sendable, CustomTestStringConvertible {
        let plate: String
        let type: String
        let fires: Bool
        var testDescription: String { "\(plate) as \(type) \(fires ? "fires" : "silent")" }
    }

    static let plateCases: [PlateCase] = [
        PlateCase(plate: "蒙K8A123", type: "02", fires: false),
        PlateCase(plate: "蒙K8A123", type: "01", fires: false),
        PlateCase(plate: "蒙KD12345", type: "52", fires: false),
        PlateCase(plate: "蒙K12345D", type: "51", fires: false),
        PlateCase(plate: "蒙K12345D", type: "52", fires: true),
        PlateCase(plate: "蒙KD12345", type: "51", fires: true),
        PlateCase(plate: "蒙KD12345", type: "02", fires: true),
        PlateCase(plate: "蒙K8A123", type: "52", fires: true),
        PlateCase(plate: "蒙K1234挂", type: "15", fires: false),
        PlateCase(plate: "蒙K1234挂", type: "02", fires: true),
        PlateCase(plate: "蒙K8A123", type: "15", fires: true),
        PlateCase(plate: "蒙K1234学", type: "16", fires: false),
        PlateCase(plate: "蒙K1234学", type: "02", fires: true),
        PlateCase(plate: "蒙K1234警", type: "23", fires: false),
        PlateCase(plate: "蒙K12345", type: "23", fires: true),
        PlateCase(plate: "粤Z1234港", type: "02", fires: false),
        PlateCase(plate: "蒙KD12345", type: "03", fires: false), // embassy plates are not checked beyond their form
        PlateCase(plate: "蒙KD12345", type: "99", fires: false),
        PlateCase(plate: "蒙K8A12", type: "02", fires: true),
        PlateCase(plate: "蒙K8O123", type: "02", fires: true),
        PlateCase(plate: "XK8A123", type: "02", fires: true),
    ]

    @Test(arguments: plateCases)
    func plateFormsPerType(_ c: PlateCase) throws {
        var w = ExampleWorld()
        w.record["plate"] = .string(c.plate)
        w.record["plate_type"] = .string(c.type)
        let found = try findings(PlateRule.self, w.context())
        #expect(found.isEmpty == !c.fires, "\(found.map(\.message))")
        #expect(found.count <= 1)
    }

    @Test func plateMessageSaysWhatTheTypeRequires() throws {
        var w = ExampleWorld()
        w.record["plate"] = "蒙KD12345"
        let finding = try #require(try findings(PlateRule.self, w.context()).first)
        #expect(finding.field == "plate_type")
        #expect(finding.message.contains("02 (small vehicle) requires an ordinary 7-character plate"))
        #expect(finding.message.contains("small new-energy"))
        #expect(finding.evidence["form"] == "new_energy_small")
    }

    @Test func plateProvincesAcceptPrefixesAndAbsenceIsSilent() throws {
        var w = ExampleWorld()
        #expect(try findings(PlateRule.self, ["provinces": ["蒙K", "京"]], w.context()).isEmpty)
        #expect(try findings(PlateRule.self, ["provinces": ["蒙A"]], w.context()).count == 1)
        w.record["plate"] = nil
        #expect(try findings(PlateRule.self, ["provinces": ["京"]], w.context()).isEmpty, "record.fields reports a missing plate")
        #expect(throws: RuleConfigurationError.self) { try PlateRule.configured(parameters: ["provinces": ParameterValue("蒙")]) }
    }

    // MARK: record.fields

    @Test func fieldsAreNotReportedTwice() throws {
        var w = ExampleWorld()
        w.requirements.fields = ["vin", "odometer_km", "first_registered"]
        w.record["vin"] = nil
        w.record["odometer_km"] = "45 210 km"
        w.record["first_registered"] = "  "
        let found = try findings(FieldsRule.self, w.context())
        #expect(found.map(\.field) == ["vin", "first_registered", "odometer_km"])
        #expect(found[0].evidence["required_by"] == "format")
        #expect(found[1].evidence["required_by"] == "rule_set")
        #expect(found[2].message.contains("expected a number"))
    }

    @Test func fieldsRequiredByPathInsideAnObject() throws {
        var w = ExampleWorld()
        w.requirements.fields = ["inspectors.exterior", "inspectors.clerk"]
        let found = try findings(FieldsRule.self, w.context())
        #expect(found.map(\.field) == ["inspectors.clerk"])
    }

    // MARK: record.ruleset

    @Test func ruleSetNamesTheVehicle() throws {
        var w = ExampleWorld()
        #expect(try findings(RuleSetRule.self, w.context()).isEmpty)
        w.ruleSetId = nil
        let found = try findings(RuleSetRule.self, w.context())
        #expect(found.count == 1)
        #expect(found[0].message.contains("vehicle type K33, use A, category 01"))
    }

    // MARK: record.station

    @Test func stationMissingFromTheRegistry() throws {
        var context = ExampleWorld().context()
        context.station = nil
        let found = try findings(StationRule.self, context)
        #expect(found.count == 1)
        #expect(found[0].message.contains("150602001 is not in the station registry"))
        // Device and location rules leave this to record.station.
        #expect(try findings(DeviceRule.self, context).isEmpty)
        #expect(try findings(LocationRule.self, context).isEmpty)
    }

    @Test func stationReportsEachUnregisteredDeviceWithItsPath() throws {
        var w = ExampleWorld()
        w.setEntry("0321", "device", "CAM-0909")
        w.setEntry("0342", "device", "CAM-0909")
        let found = try findings(StationRule.self, w.context())
        #expect(found.map(\.photo) == ["0321", "0342"])
        #expect(found.map(\.field) == ["photos[3].device", "photos[6].device"])
        w.record["lane"] = "2"
        let lane = try findings(StationRule.self, w.context())
        #expect(lane.map(\.field) == ["lane"], "an unknown lane is reported once, not per device")
        w.record["lane"] = nil
        #expect(try findings(StationRule.self, w.context()).isEmpty)
    }

    // MARK: record.times

    @Test(arguments: [
        ("2026-10-18T10:16:40+08:00", false), // exactly 5 min
        ("2026-10-18T10:16:41+08:00", true), // 4 min 59 s
        ("2026-10-18T10:21:40+08:00", true), // zero length
        ("2026-10-18T06:21:40+08:00", false), // exactly 4 h
        ("2026-10-18T06:21:39+08:00", true),
    ])
    func timesBoundaries(_ start: String, _ fires: Bool) throws {
        var w = ExampleWorld()
        w.record["started_at"] = .string(start)
        #expect(try findings(TimesRule.self, w.context()).isEmpty == !fires)
    }

    @Test func timesComparesInstantsNotWallClocks() throws {
        var w = ExampleWorld()
        // 02:10 UTC is 10:10 in UTC+8: 11 min 40 s before the end, not 8 h after it.
        w.record["started_at"] = "2026-10-18T02:10:00Z"
        #expect(try findings(TimesRule.self, w.context()).isEmpty)
        let found = try findings(TimesRule.self, ["min_minutes": 15], w.context())
        #expect(found.first?.evidence["duration_min"] == 11.7)
    }

    // MARK: record.odometer

    static func inspection(_ id: String, station: String = "150602003", start: String?, end: String? = nil,
                           km: Double? = nil) -> KnownInspection {
        KnownInspection(station: station, inspectionId: id, vin: "LFV2A21K7G3023312", startedAt: start.flatMap(Timestamp.parseISO8601),
                        finishedAt: end.flatMap(Timestamp.parseISO8601), odometerKm: km)
    }

    @Test func odometerOnlyLooksAtEarlierInspectionsOfOtherRecords() throws {
        var w = ExampleWorld()
        w.history.add(Self.inspection("A", start: "2027-10-20T10:00:00+08:00", km: 90_000)) // later
        w.history.add(Self.inspection("B", start: nil, km: 90_000)) // unknown time
        w.history.add(Self.inspection("15060200126101800", station: ExampleWorld.stationCode,
                                      start: "2026-10-18T09:00:00+08:00", km: 90_000)) // this very inspection
        var other = Self.inspection("C", start: "2025-10-12T14:02:00+08:00", km: 90_000)
        other.vin = "LSVAU2180N2183294"
        w.history.add(other) // another vehicle
        #expect(try findings(OdometerRule.self, w.context()).isEmpty)

        w.history.add(Self.inspection("D", start: "2025-10-12T14:02:00+08:00", km: 45_260))
        w.history.add(Self.inspection("E", start: "2024-10-12T14:02:00+08:00", km: 46_000))
        let found = try findings(OdometerRule.self, w.context())
        #expect(found.map { $0.evidence["other_inspection_id"] } == ["E", "D"])
        #expect(try findings(OdometerRule.self, ["tolerance_km": 50], w.context()).map { $0.evidence["other_inspection_id"] } == ["E"])
    }

    // MARK: record.overlap

    @Test func overlapThresholdAndIncompleteWindows() throws {
        var w = ExampleWorld()
        // This inspection: 09:59:10–10:21:40.
        w.history.add(Self.inspection("A", start: "2026-10-18T10:20:40+08:00", end: "2026-10-18T10:50:00+08:00")) // 60 s
        w.history.add(Self.inspection("B", start: "2026-10-18T09:30:00+08:00", end: nil)) // no end: not judged
        w.history.add(Self.inspection("C", start: "2026-10-18T09:20:00+08:00", end: "2026-10-18T10:02:10+08:00")) // 180 s
        #expect(try findings(OverlapRule.self, w.context()).map { $0.evidence["other_inspection_id"] } == ["A", "C"])
        let found = try findings(OverlapRule.self, ["min_overlap_s": 120], w.context())
        #expect(found.map { $0.evidence["other_inspection_id"] } == ["C"])
        #expect(found.first?.evidence["overlap_s"] == 180)
    }

    @Test func overlapContainedWindow() throws {
        var w = ExampleWorld()
        w.history.add(Self.inspection("A", start: "2026-10-18T10:05:00+08:00", end: "2026-10-18T10:06:00+08:00"))
        let found = try findings(OverlapRule.self, w.context())
        #expect(found.first?.evidence["overlap_s"] == 60)
    }
}
