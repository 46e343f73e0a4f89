import VIACore

/// `record.verdict`: the station's item verdicts and conclusion agree with its own measurements and the legal limits.
public struct VerdictRule: Rule {
    public struct Configuration: RuleConfiguration {
        public var brakeTotalMin = 60.0
        public var brakeFrontAxleMin = 60.0
        public var brakeRearAxleMin = 20.0
        public var imbalanceFrontMax = 20.0
        public var imbalanceRearMax = 24.0
        public var imbalanceRearFullForceMin = 60.0
        public var imbalanceRearLowForceMax = 8.0
        public var imbalanceFrontInUseMax = 24.0
        public var imbalanceRearInUseMax = 30.0
        public var imbalanceRearLowForceInUseMax = 10.0
        public var parkingMin = 20.0
        public var headlampTwoLampMinCd = 15000.0
        public var headlampFourLampMinCd = 12000.0
        public var headlampTwoLampNewMinCd = 18000.0
        public var headlampFourLampNewMinCd = 15000.0
        public var sideslipMaxMPerKm = 5.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            brakeTotalMin = try parameters.double(
                "brake_total_min", brakeTotalMin, "whole-vehicle service brake force, minimum % of weight", in: 0...100)
            brakeFrontAxleMin = try parameters.double(
                "brake_front_axle_min", brakeFrontAxleMin, "front axle (B1) brake force, minimum % of axle load", in: 0...100)
            brakeRearAxleMin = try parameters.double(
                "brake_rear_axle_min", brakeRearAxleMin, "other axles (B2–B6) brake force, minimum % of axle load", in: 0...100)
            imbalanceFrontMax = try parameters.double(
                "imbalance_front_max", imbalanceFrontMax,
                "registration inspections (category 00): front axle left-right brake imbalance, maximum %", in: 0...100)
            imbalanceRearMax = try parameters.double(
                "imbalance_rear_max", imbalanceRearMax,
                "registration inspections (category 00): other axles' left-right brake imbalance, maximum % (axles braking at imbalance_rear_full_force_min or more)",
                in: 0...100)
            imbalanceRearFullForceMin = try parameters.double(
                "imbalance_rear_full_force_min", imbalanceRearFullForceMin,
                "axle brake force (% of axle load) from which imbalance_rear_max applies; below it the difference is judged against the axle load",
                in: 0...100)
            imbalanceRearLowForceMax = try parameters.double(
                "imbalance_rear_low_force_max", imbalanceRearLowForceMax,
                "registration inspections (category 00), other axles braking below imbalance_rear_full_force_min: left-right difference, maximum % of axle load",
                in: 0...100)
            imbalanceFrontInUseMax = try parameters.double(
                "imbalance_front_in_use_max", imbalanceFrontInUseMax,
                "vehicles in use (every category but 00): front axle left-right brake imbalance, maximum %", in: 0...100)
            imbalanceRearInUseMax = try parameters.double(
                "imbalance_rear_in_use_max", imbalanceRearInUseMax,
                "vehicles in use: other axles' left-right brake imbalance, maximum % (axles braking at imbalance_rear_full_force_min or more)",
                in: 0...100)
            imbalanceRearLowForceInUseMax = try parameters.double(
                "imbalance_rear_low_force_in_use_max", imbalanceRearLowForceInUseMax,
                "vehicles in use, other axles braking below imbalance_rear_full_force_min: left-right difference, maximum % of axle load",
                in: 0...100)
            parkingMin = try parameters.double(
                "parking_min", parkingMin, "parking brake (B0) force, minimum % of test mass", in: 0...100)
            headlampTwoLampMinCd = try parameters.double(
                "headlamp_two_lamp_min_cd", headlampTwoLampMinCd, "high-beam intensity of each lamp in a two-lamp system, minimum cd",
                in: 0...200_000)
            headlampFourLampMinCd = try parameters.double(
                "headlamp_four_lamp_min_cd", headlampFourLampMinCd, "high-beam intensity of each outer lamp in a four-lamp system, minimum cd",
                in: 0...200_000)
            headlampTwoLampNewMinCd = try parameters.double(
                "headlamp_two_lamp_new_min_cd", headlampTwoLampNewMinCd,
                "registration inspections (category 00): high-beam intensity of each lamp in a two-lamp system, minimum cd",
                in: 0...200_000)
            headlampFourLampNewMinCd = try parameters.double(
                "headlamp_four_lamp_new_min_cd", headlampFourLampNewMinCd,
                "registration inspections (category 00): high-beam intensity of each outer lamp in a four-lamp system, minimum cd",
                in: 0...200_000)
            sideslipMaxMPerKm = try parameters.double(
                "sideslip_max_m_per_km", sideslipMaxMPerKm, "largest accepted sideslip (A1) either way, m/km", in: 0...100)
        }
    }

    public static let description = RuleDescription(
        identifier: "record.verdict",
        name: "Verdicts agree with the measurements",
        description: "An item the station marked pass whose own measurements fail the legal limit (B1–B6 axle brake, B0 parking brake, H1/H4 headlamps, A1 sideslip), an item marked fail whose measurements pass, or an overall conclusion of pass while a recomputed item or the whole-vehicle brake force fails. A rear axle's imbalance is judged as a share of the larger side when the axle brakes at 60 % of its load or more, and otherwise as the left-right difference in % of the axle load (difference = force × imbalance ÷ (200 − imbalance)).",
        rationale: "A verdict that disagrees with the station's own numbers is the strongest fraud signal there is: a vehicle with failing brakes passed on paper. Limits default to GB 7258-2017 in-use values for passenger cars up to 3500 kg; rule sets for other vehicles set their own.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("every measurement within the limits, every verdict pass"),
            RuleExample("rear axle at 22 %: above the 20 % rear minimum",
                        .set("measurements.brake.axles[1].ratio", 22.0)),
            RuleExample("left headlamp at 13800 cd honestly marked fail, conclusion fail",
                        .set("measurements.headlamps.left_high_cd", 13800), .set("items.H1", "fail"),
                        .record(["conclusion": "fail"])),
            RuleExample("a four-lamp system at 13000 cd per outer lamp (four-lamp minimum 12000 cd)",
                        .set("measurements.headlamps", ["system": 4, "left_high_cd": 13000, "right_high_cd": 13200])),
            RuleExample("rear axle braking at 25 % with 30 % imbalance: a difference of at most 4.41 % of axle load, within 10 %",
                        .set("measurements.brake.axles[1].ratio", 25.0), .set("measurements.brake.axles[1].imbalance", 30.0)),
            RuleExample("the lane reported sideslip −7.4 m/km but item A1 was not tested for this vehicle: not judged",
                        .set("measurements.sideslip_m_per_km", -7.4)),
            RuleExample("a parking brake reading of 12 % with B0 marked not tested: not judged",
                        .set("measurements.brake.parking_ratio", 12.0), .set("items.B0", "not_tested")),
            RuleExample("a car in use with a front-axle imbalance of 22 %: within the 24 % in-use limit",
                        .set("measurements.brake.axles[0].imbalance", 22.0)),
        ],
        triggeringExamples: [
            RuleExample("front axle brake 52 % marked pass",
                        .set("measurements.brake.axles[0].ratio", 52.0)),
            RuleExample("right headlamp marked fail though it measured 17900 cd",
                        .set("items.H4", "fail"), .record(["conclusion": "fail"])),
            RuleExample("whole-vehicle brake force 55 % with conclusion pass",
                        .set("measurements.brake.total_ratio", 55.0)),
            RuleExample("sideslip −7.4 m/km with item A1 tested and marked pass",
                        .set("measurements.sideslip_m_per_km", -7.4), .set("items.A1", "pass")),
            RuleExample("a registration inspection (category 00) with a front-axle imbalance of 22 %: new vehicles must stay within 20 %",
                        .record(["category": "00"]), .set("measurements.headlamps.right_high_cd", 18200),
                        .set("measurements.brake.axles[0].imbalance", 22.0)),
            RuleExample("a registration inspection (category 00) with a 16000 cd lamp marked pass: new lamps need 18000 cd",
                        .record(["category": "00"]), .set("measurements.headlamps.left_high_cd", 16000)),
            RuleExample("rear axle braking at 50 % with 45 % imbalance marked pass: a difference of at least 11.25 % of axle load, above the 10 % in-use maximum",
                        .set("measurements.brake.axles[1].ratio", 50.0), .set("measurements.brake.axles[1].imbalance", 45.0)),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// One measured quantity judged against its limit.
    struct Criterion: Equatable {
        /// Measurement name as in the batch ("ratio", "left_high_cd", …).
        var key: String
        /// JSON path of the measurement inside the record.
        var path: String
        var label: String
        var value: Double
        /// The value compared with the limit (the magnitude for sideslip).
        var judged: Double
        var limitKey: String
        var limit: Double
        var isMinimum: Bool
        var unit: String

        var fails: Bool { isMinimum ? judged < limit : judged > limit }

        /// What the unit is a share of, e.g. " of axle load".
        var basis = ""
        /// A limit either way (sideslip: the magnitude is judged).
        var symmetric = false
        /// When the measurement only bounds the judged quantity: its largest possible value (`judged` is the smallest).
        /// Between the two the verdict cannot be recomputed either way.
        var largest: Double?

        /// The quantity may exceed a maximum without being shown to: neither verdict is contradicted.
        var undetermined: Bool { !fails && !isMinimum && (largest.map { $0 > limit } ?? false) }

        var text: String {
            let shown = "\(label) \(Format.number(value))\(unit)\(basis)"
            let bound = symmetric
                ? "the ±\(Format.number(limit))\(unit) limit"
                : "the \(Format.number(limit))\(unit) \(isMinimum ? "minimum" : "maximum")"
            if fails { return "\(shown) is \(isMinimum ? "below" : symmetric ? "beyond" : "above") \(bound)" }
            return "\(shown) \(isMinimum ? "meets" : "is within") \(bound)"
        }
    }

    /// A station item (or the whole-vehicle brake force, item nil) recomputed from measurements.
    struct Check: Equatable {
        var item: String?
        var subject: String
        var criteria: [Criterion]
        var extra: [String: JSONValue] = [:]

        var fails: Bool { criteria.contains(where: \.fails) }
        var undetermined: Bool { !fails && criteria.contains(where: \.undetermined) }
        var deciding: Criterion { criteria.first(where: \.fails) ?? criteria[0] }
    }

    /// Every check the record's measurements allow, in item order.
    func checks(_ record: InspectionRecord) -> [Check] {
        guard let measurements = record.measurements else { return [] }
        let c = configuration
        // GB 7258 asks more of a vehicle registered for the first time than of one in use.
        let registration = record.isRegistration
        let suffix = registration ? "" : "_in_use"
        let frontImbalance = registration ? c.imbalanceFrontMax : c.imbalanceFrontInUseMax
        let rearImbalance = registration ? c.imbalanceRearMax : c.imbalanceRearInUseMax
        let rearLowForce = registration ? c.imbalanceRearLowForceMax : c.imbalanceRearLowForceInUseMax
        var checks: [Check] = []
        if let brake = measurements.brake {
            var seen: Set<Int> = []
            for (position, axle) in brake.axles.enumerated() where (1...6).contains(axle.axle) && seen.insert(axle.axle).inserted {
                let front = axle.axle == 1
                let index = Self.rawAxlePosition(record, axle: axle.axle) ?? position
                let base = "measurements.brake.axles[\(index)]"
                var criteria: [Criterion] = []
                var extra: [String: JSONValue] = ["axle": JSONValue(axle.axle)]
                if let ratio = axle.ratio {
                    criteria.append(Criterion(key: "ratio", path: base + ".ratio", label: "brake force", value: ratio, judged: ratio,
                                              limitKey: front ? "brake_front_axle_min" : "brake_rear_axle_min",
                                              limit: front ? c.brakeFrontAxleMin : c.brakeRearAxleMin, isMinimum: true,
                                              unit: " %", basis: " of axle load"))
                }
                if let imbalance = axle.imbalance {
                    if !front, let ratio = axle.ratio, ratio < c.imbalanceRearFullForceMin, imbalance < 200 {
                        // Imbalance is the largest left-right difference during build-up over the larger side's
                        // largest force M; the two sides' largest forces sum to `ratio` % of the axle load, so M lies
                        // between half of that and ratio ÷ (2 − imbalance), and the difference in % of the load
                        // between ratio × imbalance ÷ 200 and ratio × imbalance ÷ (200 − imbalance).
                        let least = ratio * imbalance / 200, most = ratio * imbalance / (200 - imbalance)
                        criteria.append(Criterion(key: "difference_of_axle_load", path: base + ".imbalance",
                                                  label: "left-right difference (imbalance \(Format.number(imbalance)) %) at least",
                                                  value: (least * 100).rounded() / 100, judged: least,
                                                  limitKey: "imbalance_rear_low_force\(suffix)_max", limit: rearLowForce,
                                                  isMinimum: false, unit: " %", basis: " of axle load", largest: most))
                        extra["difference_of_axle_load_max"] = JSONValue((most * 100).rounded() / 100)
                    } else {
                        criteria.append(Criterion(key: "imbalance", path: base + ".imbalance", label: "left-right imbalance",
                                                  value: imbalance, judged: imbalance,
                                                  limitKey: front ? "imbalance_front\(suffix)_max" : "imbalance_rear\(suffix)_max",
                                                  limit: front ? frontImbalance : rearImbalance, isMinimum: false, unit: " %"))
                    }
                }
                if !criteria.isEmpty {
                    checks.append(Check(item: "B\(axle.axle)", subject: "axle \(axle.axle) service brake", criteria: criteria,
                                        extra: extra))
                }
            }
            if let parking = brake.parkingRatio {
                checks.append(Check(item: "B0", subject: "parking brake", criteria: [
                    Criterion(key: "parking_ratio", path: "measurements.brake.parking_ratio", label: "parking brake force",
                              value: parking, judged: parking, limitKey: "parking_min", limit: c.parkingMin, isMinimum: true,
                              unit: " %", basis: " of test mass"),
                ]))
            }
            if let total = brake.totalRatio {
                checks.append(Check(item: nil, subject: "whole-vehicle service brake", criteria: [
                    Criterion(key: "total_ratio", path: "measurements.brake.total_ratio", label: "whole-vehicle brake force",
                              value: total, judged: total, limitKey: "brake_total_min", limit: c.brakeTotalMin, isMinimum: true,
                              unit: " %", basis: " of vehicle weight"),
                ]))
            }
        }
        if let lamps = measurements.headlamps {
            let four = lamps.system == 4
            let limitKey = "headlamp_\(four ? "four" : "two")_lamp_\(registration ? "new_" : "")min_cd"
            let limit = registration ? (four ? c.headlampFourLampNewMinCd : c.headlampTwoLampNewMinCd)
                : (four ? c.headlampFourLampMinCd : c.headlampTwoLampMinCd)
            let system = "\(four ? "four" : "two")-lamp system"
            for (item, side, key, value) in [("H1", "left", "left_high_cd", lamps.leftHighCd), ("H4", "right", "right_high_cd", lamps.rightHighCd)] {
                guard let value else { continue }
                checks.append(Check(item: item, subject: "\(side) high beam, \(system)", criteria: [
                    Criterion(key: key, path: "measurements.headlamps.\(key)", label: "intensity", value: value, judged: value,
                              limitKey: limitKey, limit: limit, isMinimum: true, unit: " cd"),
                ], extra: ["lamp_system": JSONValue(four ? 4 : 2)]))
            }
        }
        if let sideslip = measurements.sideslipMPerKm {
            checks.append(Check(item: "A1", subject: "sideslip", criteria: [
                Criterion(key: "sideslip_m_per_km", path: "measurements.sideslip_m_per_km", label: "sideslip", value: sideslip,
                          judged: abs(sideslip), limitKey: "sideslip_max_m_per_km", limit: c.sideslipMaxMPerKm, isMinimum: false,
                          unit: " m/km", symmetric: true),
            ]))
        }
        return checks.filter { Self.isTested($0, in: record) }
    }

    /// Only items the station tested are judged: instruments may report a value (sideslip, say) for an item not
    /// tested on this vehicle. A record listing no items at all does not say what was tested, so all its
    /// measurements count; the whole-vehicle brake force counts when an axle's service brake (B1–B6) was tested.
    static func isTested(_ check: Check, in record: InspectionRecord) -> Bool {
        guard !record.items.isEmpty else { return true }
        func tested(_ item: String) -> Bool { record.items[item].map { $0 != .notTested } ?? false }
        if let item = check.item { return tested(item) }
        return (1...6).contains { tested("B\($0)") }
    }

    public func validate(_ context: RecordContext) -> [Violation] {
        let record = context.record
        let checks = checks(record)
        var violations: [Violation] = []
        for check in checks {
            guard let item = check.item, let verdict = record.items[item], verdict != .notTested else { continue }
            let recomputed: Verdict = check.fails ? .fail : .pass
            guard verdict != recomputed, !check.undetermined else { continue }
            var evidence = check.extra
            evidence["item"] = .string(item)
            evidence["station_verdict"] = .string(verdict.rawValue)
            evidence["recomputed_verdict"] = .string(recomputed.rawValue)
            evidence["measured"] = JSONValue(check.deciding.value)
            evidence["limit"] = JSONValue(check.deciding.limit)
            for criterion in check.criteria {
                evidence[criterion.key] = JSONValue(criterion.value)
                evidence[criterion.limitKey] = JSONValue(criterion.limit)
            }
            let details = recomputed == .fail
                ? check.criteria.filter(\.fails).map(\.text).joined(separator: "; ")
                : check.criteria.map(\.text).joined(separator: "; ")
            violations.append(Violation(
                field: check.deciding.path,
                message: "item \(item) (\(check.subject)) is marked \(verdict.rawValue) but its measurements \(recomputed == .fail ? "fail" : "pass"): \(details); expected \(recomputed.rawValue)",
                evidence: evidence))
        }
        if record.conclusion == .pass {
            let failing = checks.filter(\.fails)
            if !failing.isEmpty {
                var evidence: [String: JSONValue] = [
                    "conclusion": "pass",
                    "failing_items": JSONValue(failing.compactMap(\.item)),
                ]
                evidence["failures"] = .array(failing.flatMap { check in
                    check.criteria.filter(\.fails).map { criterion in
                        var failure: [String: JSONValue] = [
                            "quantity": .string(criterion.key), "measured": JSONValue(criterion.value),
                            "limit": JSONValue(criterion.limit), "limit_parameter": .string(criterion.limitKey),
                        ]
                        if let item = check.item { failure["item"] = .string(item) }
                        return JSONValue.object(failure)
                    }
                })
                let details = failing.map { check in
                    (check.item.map { "\($0) " } ?? "") + check.criteria.filter(\.fails).map(\.text).joined(separator: ", ")
                }
                violations.append(Violation(
                    field: "conclusion",
                    message: "conclusion is pass but the measurements fail: \(details.joined(separator: "; ")); expected fail",
                    evidence: evidence))
            }
        }
        return violations
    }

    /// The position of an axle's object in the record's JSON (which may hold skipped, malformed entries).
    static func rawAxlePosition(_ record: InspectionRecord, axle: Int) -> Int? {
        guard let list = record.raw["measurements"]?["brake"]?["axles"]?.arrayValue else { return nil }
        return list.firstIndex { $0["axle"]?.numberValue.map { Int($0) } == axle }
    }
}
