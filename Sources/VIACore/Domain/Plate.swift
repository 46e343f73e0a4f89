/// Chinese plate numbers and plate types (GA 36; DOMAIN.md "Identifiers").
public enum Plate {
    /// Province abbreviations that start a civilian plate.
    public static let provinces: Set<Character> = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    static let serialCharacters: Set<Character> = Set("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
    static let letters: Set<Character> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    public static let suffixes: Set<Character> = Set("挂学警港澳")

    public enum Form: String, Sendable {
        /// Province + letter + 5 characters.
        case ordinary
        /// Ordinary form ending in 挂 (trailer).
        case trailer
        /// Ordinary form ending in 学 (coach).
        case coach
        /// Ordinary form ending in 警 (police).
        case police
        /// Ordinary form ending in 港 or 澳.
        case crossBorder = "cross_border"
        /// Province + letter + [DF] + 5 characters (small new-energy).
        case newEnergySmall = "new_energy_small"
        /// Province + letter + 5 digits + [DF] (large new-energy).
        case newEnergyLarge = "new_energy_large"
    }

    /// The form of a plate number, or nil when it fits none.
    public static func form(_ plate: String) -> Form? {
        let c = Array(plate)
        guard c.count == 7 || c.count == 8, provinces.contains(c[0]), letters.contains(c[1]) else { return nil }
        if c.count == 8 {
            if "DF".contains(c[2]), serialCharacters.contains(c[3]), c[4...].allSatisfy(\.isASCIIDigit) {
                return .newEnergySmall
            }
            if c[2..<7].allSatisfy(\.isASCIIDigit), "DF".contains(c[7]) { return .newEnergyLarge }
            return nil
        }
        guard c[2..<6].allSatisfy({ serialCharacters.contains($0) }) else { return nil }
        switch c[6] {
        case "挂": return .trailer
        case "学": return .coach
        case "警": return .police
        case "港", "澳": return .crossBorder
        default: return serialCharacters.contains(c[6]) ? .ordinary : nil
        }
    }

    /// The forms a plate type allows (DOMAIN.md: 51/52 ↔ 8 characters, 15 ↔ 挂, 16 ↔ 学, 23 ↔ 警).
    public static func allowedForms(plateType: String) -> Set<Form>? {
        switch plateType {
        case "01", "02", "07", "08", "13", "14", "22": return [.ordinary, .crossBorder]
        case "03", "04", "05", "06", "99": return nil // embassy, consulate, foreign, other: not checked
        case "15": return [.trailer]
        case "16": return [.coach]
        case "23": return [.police]
        case "51": return [.newEnergyLarge]
        case "52": return [.newEnergySmall]
        default: return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
