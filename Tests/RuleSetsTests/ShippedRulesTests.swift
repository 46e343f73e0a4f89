import Foundation
import RuleSets
import Testing
import VIACore

/// The rule sets shipped in `rules/`: they lint clean, and they pick and require what DOMAIN.md says.
@Suite struct ShippedRulesTests {
    let result = RuleSetLoader.load(directory: Fixture.rulesDirectory)

    func select(_ record: InspectionRecord) -> String? { result.catalog.select(for: record)?.id }

    func required(_ record: InspectionRecord) -> [String] {
        result.catalog.select(for: record)?.requirements(for: record).photoCodes ?? []
    }

    @Test func lintsClean() {
        // Parameters are fully validated for every rule in RuleRegistry; this must stay empty as rules are added.
        #expect(result.lines == [])
        #expect(Set(result.catalog.ruleSets.map(\.id)).isSuperset(of: [
            "defaults", "small-passenger", "operating-passenger", "buses", "trucks", "trailers", "motorcycles",
        ]))
        #expect(result.catalog["defaults"]?.abstract == true)
        #expect(result.catalog.ruleSets.allSatisfy { $0.sha256.count == 64 })
    }

    @Test func selectsTheSetForEachVehicleClass() {
        #expect(select(Fixture.record(vehicleType: "K33", useType: "A")) == "small-passenger")
        #expect(select(Fixture.record(vehicleType: "K43", useType: "A")) == "small-passenger")
        #expect(select(Fixture.record(vehicleType: "K33", useType: "D")) == "operating-passenger")
        #expect(select(Fixture.record(vehicleType: "K39", useType: "G")) == "operating-passenger")
        #expect(select(Fixture.record(vehicleType: "K11", useType: "B")) == "buses")
        #expect(select(Fixture.record(vehicleType: "H11", useType: "F")) == "trucks")
        #expect(select(Fixture.record(vehicleType: "Q11", useType: "R")) == "trucks")
        #expect(select(Fixture.record(vehicleType: "B11", useType: "F", plateType: "15")) == "trailers")
        #expect(select(Fixture.record(vehicleType: "G11", useType: "F", plateType: "15")) == "trailers")
        #expect(select(Fixture.record(vehicleType: "M21", useType: "A", plateType: "07")) == "motorcycles")
        #expect(select(Fixture.record(vehicleType: "M22", useType: "A", plateType: "08")) == "light-motorcycles")
        #expect(select(Fixture.record(vehicleType: "N11", useType: "F")) == "three-wheelers")
        #expect(select(Fixture.record(vehicleType: "X99", useType: "A")) == nil)
        #expect(select(Fixture.record(vehicleType: nil)) == nil)
        // A small car whose use is neither non-operating nor an operating passenger use has no set.
        #expect(select(Fixture.record(vehicleType: "K33", useType: "H")) == nil)
    }

    @Test func brakeAndChassisPhotosOnlyForSmallCarsOverTenYears() {
        let brakeAndChassis = ["0322", "0348", "0323", "0344", "0342", "0351"]
        let young = required(Fixture.record(vehicleType: "K33", useType: "A", ageYears: 8))
        #expect(young == ["0111", "0112", "0113", "0201", "0202", "0203", "0204", "0205", "0321", "0352"])
        let old = required(Fixture.record(vehicleType: "K33", useType: "A", ageYears: 12))
        #expect(old == young + brakeAndChassis)
        // The boundary: inspected 2026-10-18, first registered just over / just under ten years before.
        let justOver = required(Fixture.record(vehicleType: "K33", useType: "A", firstRegistered: "2016-10-17"))
        #expect(justOver == young + brakeAndChassis)
        let justUnder = required(Fixture.record(vehicleType: "K33", useType: "A", firstRegistered: "2016-10-19"))
        #expect(justUnder == young)
        // Without a first-registration date the car cannot be shown to be old.
        let unknown = required(Fixture.record(vehicleType: "K33", useType: "A", ageYears: nil))
        #expect(unknown == young)
    }

    @Test func operatingVehiclesAlwaysNeedBrakePhotos() {
        let taxi = required(Fixture.record(vehicleType: "K33", useType: "D", ageYears: 2))
        for code in ["0322", "0348", "0351", "0323", "0344", "0342", "0115", "0116", "0118", "0157", "0158"] {
            #expect(taxi.contains(code), "taxi lacks \(code)")
        }
        #expect(!taxi.contains("0117")) // emergency hammer only for buses
        let bus = required(Fixture.record(vehicleType: "K11", useType: "B", ageYears: 2))
        #expect(bus.contains("0117"))
        #expect(bus.contains("A110"))
        #expect(result.catalog["buses"]?.rules["record.verdict"]?.parameters["brake_rear_axle_min"] == 50)
        #expect(result.catalog["operating-passenger"]?.rules["record.verdict"]?.parameters["brake_rear_axle_min"] == 20)
    }

    @Test func trucksRequireConditionalPhotos() {
        let plain = required(Fixture.record(vehicleType: "H11", useType: "F", items: ["B1", "B2", "B0"]))
        #expect(plain.contains("0158"))
        #expect(plain.contains("A101") && plain.contains("A102"))
        #expect(!plain.contains("0360") && !plain.contains("0362") && !plain.contains("0163"))
        let measured = required(Fixture.record(vehicleType: "H11", useType: "F", items: ["M1", "Z1", "B3"]))
        #expect(measured.contains("0360") && measured.contains("0361") && measured.contains("0362") && measured.contains("0349"))
        let hazardous = required(Fixture.record(vehicleType: "H21", useType: "R"))
        #expect(hazardous.contains("0163"))
        let tractor = required(Fixture.record(vehicleType: "Q11", useType: "F"))
        #expect(!tractor.contains("A101"))
        #expect(result.catalog["trucks"]?.rules["record.verdict"]?.parameters["brake_rear_axle_min"] == 50)
    }

    @Test func trailersHaveNoOdometerNorHeadlamps() {
        let trailer = result.catalog["trailers"]!
        #expect(!trailer.requiredFields.contains("odometer_km"))
        let codes = required(Fixture.record(vehicleType: "B11", useType: "F", plateType: "15"))
        #expect(!codes.contains("0321") && !codes.contains("0352") && !codes.contains("0344"))
        #expect(trailer.rules["record.verdict"]?.parameters["brake_rear_axle_min"] == 55)
        for id in ["small-passenger", "operating-passenger", "trucks", "motorcycles"] {
            #expect(result.catalog[id]?.requiredFields.contains("odometer_km") == true, "\(id) must require odometer_km")
        }
    }

    @Test func motorcyclesHaveMotorcycleLimitsAndNoChassisDynamicPhotos() {
        let codes = required(Fixture.record(vehicleType: "M21", useType: "A", plateType: "07", ageYears: 15,
                                            items: ["B1", "B2", "H1"]))
        #expect(codes.contains("0322") && codes.contains("0348") && codes.contains("0321"))
        #expect(!codes.contains("0344") && !codes.contains("0342"))
        let verdict = result.catalog["motorcycles"]?.rules["record.verdict"]?.parameters
        #expect(verdict?["brake_front_axle_min"] == 60)
        #expect(verdict?["brake_rear_axle_min"] == 55)
        #expect(result.catalog["light-motorcycles"]?.rules["record.verdict"]?.parameters["brake_rear_axle_min"] == 50)
    }

    @Test func defaultsCarryTheWholeCatalogueAndReasons() {
        let defaults = result.catalog["defaults"]!
        let codes = ["0111", "0112", "0113", "0115", "0116", "0117", "0118", "0119", "0127", "0130", "0134", "0136",
                     "0154", "0155", "0156", "0157", "0158", "0163", "A101", "A102", "A110", "A111",
                     "0201", "0202", "0203", "0204", "0205", "0206", "0209", "0211",
                     "0321", "0352", "0322", "0348", "0349", "0350", "0354", "0355", "0351", "0353", "0323", "0344",
                     "0342", "0341", "0343", "0345", "0360", "0361", "0362", "0363"]
        #expect(Set(defaults.photoCodes.keys) == Set(codes))
        #expect(defaults.reasons.count >= 14)
        #expect(defaults.reasons.allSatisfy { $0.textZh?.isEmpty == false })
        #expect(defaults.sampling.rate == 0.02)
        for id in RuleSetLoader.contractRuleIdentifiers {
            #expect(defaults.rules[id]?.severity != nil, "defaults.yaml should tune \(id)")
        }
    }
}
