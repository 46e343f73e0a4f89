import Rules
import Testing
import VIACore

@Suite struct VerdictRuleTests {
    /// A world whose measurements and item verdicts are set from scratch.
    static func world(axles: [[String: JSONValue]] = [], total: Double? = nil, parking: Double? = nil,
                      lamps: [String: JSONValue]? = nil, sideslip: Double? = nil,
                      items: [String: String], conclusion: String = "pass", category: String = "01") -> RecordContext {
        var w = ExampleWorld()
        w.record["category"] = .string(category)
        var brake: [String: JSONValue] = ["axles": .array(axles.map { .object($0) })]
        if let total { brake["total_ratio"] = JSONValue(total) }
        if let parking { brake["parking_ratio"] = JSONValue(parking) }
        var measurements: [String: JSONValue] = ["brake": .object(brake)]
        if let lamps { measurements["headlamps"] = .object(lamps) }
        if let sideslip { measurements["sideslip_m_per_km"] = JSONValue(sideslip) }
        w.setMeasurements(.object(measurements))
        w.setItems(items)
        w.record["conclusion"] = .string(conclusion)
        return w.context()
    }

    static func items(_ found: [Finding]) -> [String] { found.compactMap { $0.evidence["item"]?.stringValue } }
    static func conclusion(_ found: [Finding]) -> Finding? { found.first { $0.field == "conclusion" } }

    @Test func frontAxleUsesFrontLimitsAndOtherAxlesRearLimits() throws {
        // 55 % fails the front 60 % minimum but passes the rear 20 %; imbalance 22 fails front 20 but passes rear 24.
        let context = Self.world(axles: [["axle": 1, "ratio": 55, "imbalance": 6], ["axle": 2, "ratio": 55, "imbalance": 22],
                                         ["axle": 3, "ratio": 19, "imbalance": 5]],
                                 items: ["B1": "pass", "B2": "pass", "B3": "pass"])
        let found = try findings(VerdictRule.self, context)
        #expect(Self.items(found) == ["B1", "B3"])
        let b1 = try #require(found.first { $0.evidence["item"] == "B1" })
        #expect(b1.field == "measurements.brake.axles[0].ratio")
        #expect(b1.evidence["measured"] == 55 && b1.evidence["limit"] == 60)
        #expect(b1.evidence["station_verdict"] == "pass" && b1.evidence["recomputed_verdict"] == "fail")
        #expect(b1.message.contains("marked pass") && b1.message.contains("below the 60 % minimum"))
        let b3 = try #require(found.first { $0.evidence["item"] == "B3" })
        #expect(b3.evidence["limit"] == 20)
        #expect(Self.conclusion(found)?.evidence["failing_items"] == ["B1", "B3"])

        // Registration (category 00): 22 fails the front 20 % but 24 passes the rear 24 %.
        let imbalance = Self.world(axles: [["axle": 1, "ratio": 70, "imbalance": 22], ["axle": 2, "ratio": 70, "imbalance": 24]],
                                   items: ["B1": "pass", "B2": "pass"], category: "00")
        let byImbalance = try findings(VerdictRule.self, imbalance)
        #expect(Self.items(byImbalance) == ["B1"])
        #expect(byImbalance.first?.field == "measurements.brake.axles[0].imbalance")
        #expect(byImbalance.first?.evidence["limit"] == 20)
        #expect(byImbalance.first?.evidence["imbalance_front_max"] == 20)
    }

    /// Vehicles in use have the looser limits of GB 7258-2017 table 5: front 24 %, rear 30 % (or 10 % of the axle load).
    @Test func vehiclesInUseAreJudgedByTheInUseLimits() throws {
        let legal = Self.world(axles: [["axle": 1, "ratio": 70, "imbalance": 22], ["axle": 2, "ratio": 70, "imbalance": 29],
                                       ["axle": 3, "ratio": 50, "imbalance": 35]],
                               items: ["B1": "pass", "B2": "pass", "B3": "pass"])
        #expect(try findings(VerdictRule.self, legal).isEmpty)
        let illegal = Self.world(axles: [["axle": 1, "ratio": 70, "imbalance": 25], ["axle": 2, "ratio": 70, "imbalance": 31]],
                                 items: ["B1": "pass", "B2": "pass"])
        let found = try findings(VerdictRule.self, illegal).filter { $0.field != "conclusion" }
        #expect(Self.items(found) == ["B1", "B2"])
        #expect(found.first?.evidence["imbalance_front_in_use_max"] == 24)
        #expect(found.last?.evidence["imbalance_rear_in_use_max"] == 30)
        let stricter = try findings(VerdictRule.self, ["imbalance_front_in_use_max": 20], Self.world(
            axles: [["axle": 1, "ratio": 70, "imbalance": 22]], items: ["B1": "pass"]))
        #expect(Self.items(stricter.filter { $0.field != "conclusion" }) == ["B1"])
    }

    /// Rear axles: imbalance ≤ 24 % when the axle brakes at ≥ 60 % of its load, else a difference ≤ 8 % of the load.
    /// The difference is only bounded by the measurements (ratio × imbalance ÷ 200 … ÷ (200 − imbalance)): a verdict
    /// is contradicted only when the whole range is on the other side of the limit.
    @Test(arguments: [
        (25.0 as Double?, 30.0, "pass", false), // at most 4.41 %
        (25.0, 30.0, "fail", true),             // a fail verdict on a surely legal axle
        (59.9, 23.0, "pass", false),            // at most 7.78 %
        (59.9, 24.0, "pass", false),            // 7.19 … 8.17 %: cannot tell, either verdict stands
        (59.9, 24.0, "fail", false),
        (50.0, 40.0, "pass", true),             // at least 10 %
        (60.0, 24.0, "pass", false),            // full force: 24 % of the larger side is the limit
        (60.0, 24.1, "pass", true),
        (nil, 24.0, "pass", false),             // force unknown: the imbalance limit
        (nil, 25.0, "pass", true),
    ])
    func rearImbalanceDependsOnTheAxlesBrakeForce(_ ratio: Double?, _ imbalance: Double, _ verdict: String, _ fires: Bool) throws {
        var axle: [String: JSONValue] = ["axle": 2, "imbalance": JSONValue(imbalance)]
        if let ratio { axle["ratio"] = JSONValue(ratio) }
        let context = Self.world(axles: [axle], items: ["B2": verdict], conclusion: verdict, category: "00")
        let found = try findings(VerdictRule.self, context).filter { $0.field != "conclusion" }
        #expect(Self.items(found) == (fires ? ["B2"] : []))
    }

    @Test func lowForceDifferenceIsReportedAgainstTheAxleLoad() throws {
        let context = Self.world(axles: [["axle": 2, "ratio": 50, "imbalance": 40]], items: ["B2": "pass"], category: "00")
        let finding = try #require(try findings(VerdictRule.self, context).first { $0.evidence["item"] == "B2" })
        #expect(finding.field == "measurements.brake.axles[0].imbalance")
        #expect(finding.evidence["difference_of_axle_load"] == 10 && finding.evidence["difference_of_axle_load_max"] == 12.5)
        #expect(finding.evidence["imbalance_rear_low_force_max"] == 8)
        #expect(finding.message.contains("at least 10 % of axle load is above the 8 % maximum"), "\(finding.message)")
        let stricter = try findings(VerdictRule.self, ["imbalance_rear_low_force_max": 3], Self.world(
            axles: [["axle": 2, "ratio": 25, "imbalance": 30]], items: ["B2": "pass"], category: "00"))
        #expect(Self.items(stricter) == ["B2"])
    }

    @Test func axlePathFollowsTheJSONOrder() throws {
        let context = Self.world(axles: [["axle": 2, "ratio": 10], ["axle": 1, "ratio": 70]], items: ["B1": "pass", "B2": "pass"])
        let found = try findings(VerdictRule.self, context)
        #expect(found.first?.field == "measurements.brake.axles[0].ratio")
        #expect(found.first?.evidence["item"] == "B2")
    }

    @Test func itemMarkedFailWhoseNumbersPass() throws {
        let context = Self.world(axles: [["axle": 1, "ratio": 68]], parking: 24, items: ["B1": "pass", "B0": "fail"],
                                 conclusion: "fail")
        let found = try findings(VerdictRule.self, context)
        #expect(found.count == 1)
        #expect(found[0].evidence["item"] == "B0" && found[0].evidence["recomputed_verdict"] == "pass")
        #expect(found[0].message.contains("marked fail but its measurements pass"))
    }

    @Test func honestFailuresAndUntestedItemsAreSilent() throws {
        let context = Self.world(axles: [["axle": 1, "ratio": 50]], parking: 12, items: ["B1": "fail", "B0": "not_tested"],
                                 conclusion: "fail")
        #expect(try findings(VerdictRule.self, context).isEmpty)
    }

    /// A measurement for an item the station did not test (absent from items, or not_tested) neither fails nor
    /// passes the conclusion; a record listing no items at all still has every measurement judged.
    @Test func itemsNotTestedAreNotJudged() throws {
        let absent = Self.world(axles: [["axle": 1, "ratio": 68]], parking: 15, sideslip: -7.4, items: ["B1": "pass"])
        #expect(try findings(VerdictRule.self, absent).isEmpty)
        let notTested = Self.world(axles: [["axle": 1, "ratio": 68]], parking: 15, items: ["B1": "pass", "B0": "not_tested"])
        #expect(try findings(VerdictRule.self, notTested).isEmpty)
        let noItems = Self.world(axles: [["axle": 1, "ratio": 68]], parking: 15, items: [:])
        let found = try findings(VerdictRule.self, noItems)
        #expect(found.count == 1)
        #expect(found.first?.field == "conclusion")
        #expect(found.first?.evidence["failing_items"] == ["B0"])
        // The whole-vehicle force counts only with a service-brake item tested.
        let headlampsOnly = Self.world(total: 50, lamps: ["system": 2, "left_high_cd": 18000, "right_high_cd": 18000],
                                       items: ["H1": "pass", "H4": "pass"])
        #expect(try findings(VerdictRule.self, headlampsOnly).isEmpty)
    }

    @Test func wholeVehicleTotalOnlyAffectsTheConclusion() throws {
        let passing = Self.world(axles: [["axle": 1, "ratio": 68]], total: 59.9, items: ["B1": "pass"])
        let found = try findings(VerdictRule.self, passing)
        #expect(found.map(\.field) == ["conclusion"])
        #expect(found[0].message.contains("whole-vehicle brake force 59.9 %"))
        let failing = Self.world(axles: [["axle": 1, "ratio": 68]], total: 59.9, items: ["B1": "pass"], conclusion: "fail")
        #expect(try findings(VerdictRule.self, failing).isEmpty)
    }

    @Test(arguments: [
        (2, 14000.0, true), (2, 15000.0, false), (4, 14000.0, false), (4, 11999.0, true), (0, 14000.0, true),
    ])
    func headlampLimitBySystem(_ system: Int, _ candela: Double, _ fires: Bool) throws {
        var lamps: [String: JSONValue] = ["left_high_cd": JSONValue(candela), "right_high_cd": 18000]
        if system != 0 { lamps["system"] = JSONValue(system) } // 0: system not given, two-lamp assumed
        let context = Self.world(lamps: lamps, items: ["H1": "pass", "H4": "pass"])
        let found = try findings(VerdictRule.self, context)
        #expect(Self.items(found) == (fires ? ["H1"] : []))
        #expect((Self.conclusion(found) != nil) == fires)
    }

    /// New lamps (a registration inspection, category 00) need 18000 / 15000 cd; lamps in use 15000 / 12000.
    @Test(arguments: [
        ("00", 2, 16000.0, true), ("00", 2, 18000.0, false), ("01", 2, 16000.0, false),
        ("00", 4, 14000.0, true), ("00", 4, 15000.0, false), ("04", 4, 12000.0, false),
    ])
    func registrationUsesTheNewLampLimits(_ category: String, _ system: Int, _ candela: Double, _ fires: Bool) throws {
        var w = ExampleWorld()
        w.setMeasurements(.object(["headlamps": .object(["system": JSONValue(system), "left_high_cd": JSONValue(candela),
                                                          "right_high_cd": 20000])]))
        w.setItems(["H1": "pass", "H4": "pass"])
        w.record["category"] = .string(category)
        let found = try findings(VerdictRule.self, w.context())
        #expect(Self.items(found) == (fires ? ["H1"] : []))
        if fires {
            let key = system == 4 ? "headlamp_four_lamp_new_min_cd" : "headlamp_two_lamp_new_min_cd"
            #expect(found.first?.evidence[key] == JSONValue(system == 4 ? 15000 : 18000), "\(found.first?.evidence ?? [:])")
        }
    }

    @Test(arguments: [(5.0, false), (-5.0, false), (5.1, true), (-6.3, true)])
    func sideslipEitherWay(_ value: Double, _ fires: Bool) throws {
        let context = Self.world(sideslip: value, items: ["A1": "pass"])
        let found = try findings(VerdictRule.self, context)
        #expect(Self.items(found) == (fires ? ["A1"] : []))
    }

    @Test func limitsComeFromParameters() throws {
        // A truck rule set: rear axles need 50 %.
        let context = Self.world(axles: [["axle": 1, "ratio": 68], ["axle": 2, "ratio": 41]], items: ["B1": "pass", "B2": "pass"])
        #expect(try findings(VerdictRule.self, context).isEmpty)
        let found = try findings(VerdictRule.self, ["brake_rear_axle_min": 50], context)
        #expect(Self.items(found) == ["B2"])
        #expect(found.first?.evidence["limit"] == 50)
        #expect(throws: RuleConfigurationError.self) { try VerdictRule.configured(parameters: ["brake_rear_axle_min": ParameterValue(150)]) }
    }

    @Test func withoutMeasurementsNothingIsJudged() throws {
        var w = ExampleWorld()
        w.record["measurements"] = nil
        w.setItems(["B1": "fail", "H1": "pass"])
        #expect(try findings(VerdictRule.self, w.context()).isEmpty)
    }
}
