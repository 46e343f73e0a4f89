import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Raw-mode keyboard input and full-screen output on the controlling terminal, restored on exit, on Ctrl-C and on
/// SIGTERM.
final class TerminalIO: @unchecked Sendable {
    private var original = termios()
    private var active = false
    private let lock = NSLock()
    nonisolated(unsafe) private static var restoreOnSignal: TerminalIO?

    static var isAvailable: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Whether the terminal says it can show 24-bit colour.
    static var supportsTrueColor: Bool {
        let environment = ProcessInfo.processInfo.environment
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        return colorTerm.contains("truecolor") || colorTerm.contains("24bit")
    }

    /// Columns and rows.
    var size: (columns: Int, rows: Int) {
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        return (100, 40)
    }

    func enterRawMode() {
        lock.lock()
        defer { lock.unlock() }
        guard !active else { return }
        tcgetattr(STDIN_FILENO, &original)
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        // ISIG stays on: Ctrl-C arrives as SIGINT, whose handler restores the terminal.
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 0
            bytes[Int(VTIME)] = 1 // read() returns after 100 ms without input
        }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        active = true
        Self.restoreOnSignal = self
        signal(SIGINT) { _ in TerminalIO.restoreOnSignal?.restore(); _exit(130) }
        signal(SIGTERM) { _ in TerminalIO.restoreOnSignal?.restore(); _exit(143) }
        write("\u{1B}[?1049h\u{1B}[?25l") // alternate screen, hide cursor
    }

    /// Puts the terminal back exactly as it was. Safe to call more than once and from a signal handler.
    func restore() {
        guard active else { return }
        active = false
        let reset = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
        _ = reset.withCString { Glibc.write(STDOUT_FILENO, $0, strlen($0)) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
    }

    /// The next key, or nil after about 100 ms without one. Escape sequences (arrows) come back whole.
    func readKey() -> String? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
