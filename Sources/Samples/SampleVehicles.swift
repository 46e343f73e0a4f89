import Foundation
import VIACore

/// Kinds of vehicles the generator produces, with plausible codes and mix.
struct VehicleClass: Sendable {
    let name: String
    let vehicleTypes: [String]
    let useTypes: [String]
    let plateType: String
    /// Share of generated records.
    let weight: Double
    let axles: Int
    let hasHeadlamps: Bool
    let hasOdometer: Bool
    let hasSideslip: Bool
    let headlampSystem: Int
    let outline: Bool

    static let all: [VehicleClass] = [
        VehicleClass(name: "small private car", vehicleTypes: ["K33", "K31", "K32", "K43"], useTypes: ["A"], plateType: "02",
                     weight: 0.58, axles: 2, hasHeadlamps: true, hasOdometer: true, hasSideslip: true, headlampSystem: 2, outline: false),
        VehicleClass(name: "taxi", vehicleTypes: ["K33"], useTypes: ["D"], plateType: "02",
                     weight: 0.08, axles: 2, hasHeadlamps: true, hasOdometer: true, hasSideslip: true, headlampSystem: 2, outline: false),
        VehicleClass(name: "bus", vehicleTypes: ["K11", "K12"], useTypes: ["C", "B"], plateType: "01",
                     weight: 0.07, axles: 2, hasHeadlamps: true, hasOdometer: true, hasSideslip: true, headlampSystem: 4, outline: false),
        VehicleClass(name: "truck", vehicleTypes: ["H11", "H21", "H31"], useTypes: ["F"], plateType: "01",
                     weight: 0.13, axles: 3, hasHeadlamps: true, hasOdometer: true, hasSideslip: true, headlampSystem: 2, outline: true),
        VehicleClass(name: "tractor", vehicleTypes: ["Q11"], useTypes: ["F"], plateType: "01",
                     weight: 0.03, axles: 3, hasHeadlamps: true, hasOdometer: true, hasSideslip: true, headlampSystem: 2, outline: false),
        VehicleClass(name: "trailer", vehicleTypes: ["B11", "G11"], useTypes: ["F"], plateType: "15",
                     weight: 0.05, axles: 3, hasHeadlamps: false, hasOdometer: false, hasSideslip: false, headlampSystem: 0, outline: false),
        VehicleClass(name: "motorcycle", vehicleTypes: ["M21", "M22"], useTypes: ["A"], plateType: "07",
                     weight: 0.06, axles: 2, hasHeadlamps: true, hasOdometer: true, hasSideslip: false, headlampSystem: 2, outline: false),
    ]

    static func pick(_ random: inout SeededRandom) -> VehicleClass {
        let total = all.reduce(0) { $0 + $1.weight }
        var x = random.unit() * total
        for vehicle in all {
            x -= vehicle.weight
            if x < 0 { return vehicle }
        }
        return all[0]
    }
}

/// Plausible identifiers.
enum Identifiers {
    static let serial = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789".filter { $0 != "I" && $0 != "O" })
    static let digits = Array("0123456789")
    static let vinCharacters = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    static let manufacturers = ["LFV", "LSV", "LGB", "LHG", "LVS", "LZW", "LGW", "LSG", "LBV", "LDC", "LJD", "LNB"]
    static let years = Array("GHJKLMNPRS") // 2016...2025

    static func character(_ list: [Character], _ random: inout SeededRandom) -> Character {
        list[Int(random.next() % UInt64(list.count))]
    }

    /// A 17-character VIN with a correct check digit.
    static func vin(_ random: inout SeededRandom) -> String {
        var text = manufacturers[Int(random.next() % UInt64(manufacturers.count))]
        for _ in 0..<5 { text.append(character(vinCharacters, &random)) } // vehicle descriptor, positions 4-8
        text.append("0") // check digit placeholder
        text.append(character(years, &random))
        text.append(character(vinCharacters, &random))
        for _ in 0..<6 { text.append(character(digits, &random)) }
        return VIN.withCheckDigit(text)
    }

    /// A plate of the form the plate type requires, in Inner Mongolia (蒙), city letter K.
    static func plate(type: String, _ random: inout SeededRandom) -> String {
        var text = "蒙K"
        switch type {
        case "15":
            for _ in 0..<4 { text.append(character(serial, &random)) }
            text.append("挂")
        case "52":
            text.append(random.chance(0.5) ? "D" : "F")
            text.append(character(serial, &random))
            for _ in 0..<4 { text.append(character(digits, &random)) }
        case "51":
            for _ in 0..<5 { text.append(character(digits, &random)) }
            text.append(random.chance(0.5) ? "D" : "F")
        default:
            for _ in 0..<5 { text.append(character(serial, &random)) }
        }
        return text
    }

    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗")
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国", "志强"]

    static func name(_ random: inout SeededRandom) -> String {
        String(character(surnames, &random)) + givenNames[Int(random.next() % UInt64(givenNames.count))]
    }
}
