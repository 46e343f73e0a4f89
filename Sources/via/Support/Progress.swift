import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on stderr, shown only on a terminal and only once an operation has run for more
/// than a second.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lock = NSLock()
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false
    private var lastDraw: UInt64 = 0

    init(_ label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        guard now - start > 1_000_000_000, now - lastDraw > 100_000_000 || done == total else { return }
        lastDraw = now
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(done)/\(total)".utf8))
    }

    /// Clears the line if it was shown.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
