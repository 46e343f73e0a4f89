import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Terminal facts and ANSI styling; styling is off when stdout is not a terminal or NO_COLOR is set.
struct Terminal: Sendable {
    let colour: Bool

    static let standardOutput = Terminal(colour: Terminal.isInteractive(STDOUT_FILENO)
        && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb")

    static func isInteractive(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    func green(_ text: String) -> String { style(text, "32") }
    func red(_ text: String) -> String { style(text, "31") }
    func yellow(_ text: String) -> String { style(text, "33") }
    func bold(_ text: String) -> String { style(text, "1") }
    func dim(_ text: String) -> String { style(text, "2") }

    private func style(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
