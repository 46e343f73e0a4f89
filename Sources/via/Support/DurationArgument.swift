import ArgumentParser
import Foundation

/// A duration like `90s`, `30m`, `24h`, `7d` or `2w` (for `--since`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: TimeInterval
    let text: String

    init?(argument: String) {
        let trimmed = argument.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let value = Double(trimmed.dropLast()), value > 0, value.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        case "w": scale = 7 * 86400
        default: return nil
        }
        seconds = value * scale
        text = argument
    }

    static var defaultValueDescription: String { "e.g. 24h, 7d, 30m" }
}
