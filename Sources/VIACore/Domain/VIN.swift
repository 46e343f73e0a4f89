/// Vehicle identification numbers (ISO 3779 / GB 16735).
public enum VIN {
    public static let allowed: Set<Character> = Set("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    static let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    static func value(_ character: Character) -> Int? {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        switch character {
        case "A", "J": return 1
        case "B", "K", "S": return 2
        case "C", "L", "T": return 3
        case "D", "M", "U": return 4
        case "E", "N", "V": return 5
        case "F", "W": return 6
        case "G", "P", "X": return 7
        case "H", "Y": return 8
        case "R", "Z": return 9
        default: return nil
        }
    }

    /// The check digit (position 9) a 17-character VIN must carry: "0"..."9" or "X"; nil when not computable.
    public static func checkDigit(_ vin: String) -> Character? {
        let characters = Array(vin)
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (index, character) in characters.enumerated() {
            guard let value = value(character) else { return nil }
            sum += value * weights[index]
        }
        let remainder = sum % 11
        return remainder == 10 ? "X" : Character(String(remainder))
    }

    public enum Problem: Equatable, Sendable {
        case length(Int)
        case characters([Character])
        case checkDigit(expected: Character, found: Character)
    }

    /// What is wrong with a VIN, or nil for a valid one.
    public static func problem(_ vin: String) -> Problem? {
        let characters = Array(vin)
        guard characters.count == 17 else { return .length(characters.count) }
        let bad = characters.filter { !allowed.contains($0) }
        guard bad.isEmpty else { return .characters(bad) }
        let expected = checkDigit(vin)!
        return characters[8] == expected ? nil : .checkDigit(expected: expected, found: characters[8])
    }

    /// Returns the VIN with its check digit set correctly (for generating valid VINs).
    public static func withCheckDigit(_ vin: String) -> String {
        var characters = Array(vin)
        guard characters.count == 17 else { return vin }
        characters[8] = "0"
        guard let digit = checkDigit(String(characters)) else { return vin }
        characters[8] = digit
        return String(characters)
    }
}
