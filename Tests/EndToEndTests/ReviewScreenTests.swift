import Foundation
import GRDB
import Store
import Testing
import VIATesting

/// The interactive screen driven in a real pseudo-terminal (tmux): approve, reject with a reason, skip, undo,
/// help, quit — and the terminal settings are exactly as before.
@Suite(.serialized) struct ReviewScreenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    struct Tmux {
        let socket: String

        /// Runs a tmux command through system(3). Foundation's Process would wait forever: the tmux server that
        /// the first command starts inherits the descriptor Process watches to notice the child's exit.
        @discardableResult
        func callAsFunction(_ arguments: [String]) throws -> String {
            let output = socket + ".out"
            let command = (["/usr/bin/tmux", "-S", socket] + arguments).map(Self.quote).joined(separator: " ")
                + " > " + Self.quote(output) + " 2>/dev/null < /dev/null"
            _ = system(command)
            return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }

        static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

        func screen() throws -> String { try self(["capture-pane", "-p", "-t", "review"]) }

        /// Waits until the screen contains `text` (or fails after a few seconds).
        func waitFor(_ text: String, timeout: TimeInterval = 15) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                usleep(100_000)
            }
            Issue.record("screen never showed \"\(text)\":\n\(last)")
            return last
        }

        func keys(_ keys: String...) throws { try self(["send-keys", "-t", "review"] + keys) }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed (make deps)"))
    func approveRejectSkipUndoQuitInARealTerminal() throws {
        let work = try TestPhotos.temporaryFolder("via-tui")
        defer { try? FileManager.default.removeItem(at: work) }
        let store = work.appendingPathComponent("store").path
        #expect(try ViaBinary.run(["stations", "import", "samples/stations.yaml", "--store", store], directory: Self.root).status == 0)
        #expect(try ViaBinary.run(["submit", "samples/batch-20261018", "--store", store], directory: Self.root).status == 0)

        let tmux = Tmux(socket: work.appendingPathComponent("tmux.sock").path)
        defer { _ = try? tmux(["kill-server"]) }
        try tmux(["new-session", "-d", "-s", "review", "-x", "160", "-y", "50", "env", "-i", "PATH=/usr/bin:/bin", "TERM=xterm-256color",
                  "COLORTERM=truecolor", "HOME=\(work.path)", "bash", "--noprofile", "--norc"])
        let before = work.appendingPathComponent("before.txt").path, after = work.appendingPathComponent("after.txt").path
        try tmux.keys("stty -g > \(before); cd \(Self.root.path) && \(ViaBinary.url.path) review --store \(store) --reviewer tui; stty -g > \(after); echo FINISHED-$((40+2))", "Enter")

        var screen = try tmux.waitFor("a approve · r reject")
        #expect(screen.contains("5 in queue"))
        #expect(screen.contains("1506020012610180002") && screen.contains("photo.time_window"), "\(screen)")
        #expect(screen.contains("▀"), "photo previews are drawn with half blocks")

        try tmux.keys("a")
        screen = try tmux.waitFor("approved 1506020012610180002")
        #expect(screen.contains("1506020012610180003"), "the next record is on screen")

        try tmux.keys("r")
        screen = try tmux.waitFor("Reject: pick the reason")
        #expect(screen.contains("R02"))
        try tmux.keys("2")
        screen = try tmux.waitFor("rejected 1506020012610180003 (R02)")

        try tmux.keys("s")
        screen = try tmux.waitFor("skipped")

        try tmux.keys("u")
        screen = try tmux.waitFor("undone: 1506020012610180003 is back")

        try tmux.keys("?")
        screen = try tmux.waitFor("Keys")
        #expect(screen.contains("undo your last decision"))
        try tmux.keys("x")
        try tmux.keys("q")
        screen = try tmux.waitFor("FINISHED-42")

        let saved = try String(contentsOfFile: before, encoding: .utf8), restored = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!saved.isEmpty && saved == restored, "terminal settings restored")

        let opened = try ViaStore(directory: URL(fileURLWithPath: store))
        let decisions = try opened.read { db in
            try Row.fetchAll(db, sql: "SELECT outcome, reason_code, undone_at IS NOT NULL FROM decision ORDER BY id")
        }
        #expect(decisions.map { $0[0] as String } == ["approve", "reject"])
        #expect(decisions.map { $0[2] as Bool } == [false, true], "the rejection was undone")
        let overview = try opened.queueOverview()
        #expect(overview.depth == 4 && overview.claimed == 0, "quitting released the claim")
        #expect(try opened.verifyAuditLog().firstBroken == nil)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed (make deps)"))
    func ctrlCRestoresTheTerminal() throws {
        let work = try TestPhotos.temporaryFolder("via-tui")
        defer { try? FileManager.default.removeItem(at: work) }
        let store = work.appendingPathComponent("store").path
        #expect(try ViaBinary.run(["stations", "import", "samples/stations.yaml", "--store", store], directory: Self.root).status == 0)
        #expect(try ViaBinary.run(["submit", "samples/batch-20261018", "--store", store], directory: Self.root).status == 0)
        let tmux = Tmux(socket: work.appendingPathComponent("tmux.sock").path)
        defer { _ = try? tmux(["kill-server"]) }
        try tmux(["new-session", "-d", "-s", "review", "-x", "120", "-y", "40", "env", "-i", "PATH=/usr/bin:/bin", "TERM=xterm-256color",
                  "HOME=\(work.path)", "bash", "--noprofile", "--norc"])
        let before = work.appendingPathComponent("before.txt").path, after = work.appendingPathComponent("after.txt").path
        try tmux.keys("stty -g > \(before); cd \(Self.root.path) && \(ViaBinary.url.path) review --store \(store) --reviewer tui; echo status=$?; stty -g > \(after)", "Enter")
        let screen = try tmux.waitFor("a approve · r reject")
        #expect(!screen.contains("▀"), "without COLORTERM=truecolor photos are listed by path")
        #expect(screen.contains("blobs/"), "\(screen)")
        try tmux.keys("C-c")
        _ = try tmux.waitFor("status=130")
        usleep(300_000)
        let saved = try String(contentsOfFile: before, encoding: .utf8), restored = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!saved.isEmpty && saved == restored, "terminal settings restored after Ctrl-C")
    }
}
