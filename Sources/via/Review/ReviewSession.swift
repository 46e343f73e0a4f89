import Foundation
import Store
import VIACore

/// Where the session reads keys and draws: the real terminal, or a script (tests, benchmarks).
protocol ReviewIO: AnyObject {
    /// The next key, or nil after a short wait without one.
    func readKey() -> String?
    func write(_ text: String)
    var size: (columns: Int, rows: Int) { get }
}

extension TerminalIO: ReviewIO {}

/// The interactive review loop: claim, show, decide with one key, show the next record at once.
///
/// While a record is on screen the next one is prepared in the background (peeked, not claimed), so a decision is
/// followed by a claim and, usually, an already rendered screen. The lease is renewed while the screen is open.
final class ReviewSession: @unchecked Sendable {
    let store: ViaStore
    let reviewer: String
    let lease: TimeInterval
    let io: ReviewIO
    let preparer: ReviewPreparer
    private var state = ScreenState()
    private var current: PreparedItem?
    private var lastRenewal = Date()
    private let prefetchLock = NSLock()
    private var prefetched: PreparedItem?
    private let prefetchQueue = DispatchQueue(label: "via.review.prefetch")
    /// Milliseconds from a decision key to the next screen written (for the benchmark).
    private(set) var decisionLatencies: [Double] = []

    init(store: ViaStore, reviewer: String, lease: TimeInterval, io: ReviewIO, trueColor: Bool) {
        self.store = store
        self.reviewer = reviewer
        self.lease = lease
        self.io = io
        preparer = ReviewPreparer(store: store, trueColor: trueColor)
        state.reviewer = reviewer
    }

    /// Runs until `q` (or, with `maxDecisions`, until that many decisions were made). Releases the claim on exit.
    func run(maxDecisions: Int? = nil) {
        advance()
        var decisions = 0
        while true {
            renewIfDue()
            guard let key = io.readKey() else { continue }
            let started = DispatchTime.now().uptimeNanoseconds
            let outcome = handle(key)
            switch outcome {
            case .quit:
                releaseCurrent()
                return
            case .decided:
                decisionLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                decisions += 1
                if let maxDecisions, decisions >= maxDecisions {
                    releaseCurrent()
                    return
                }
            case .stay:
                break
            }
        }
    }

    enum Outcome { case stay, decided, quit }

    func handle(_ key: String) -> Outcome {
        if case let .reasons(page) = state.mode { return handleReason(key, page: page) }
        if case .help = state.mode {
            state.mode = .normal
            draw()
            return .stay
        }
        switch key {
        case "a": return decide(.approve)
        case "r":
            guard let item = current?.item, !item.reasons.isEmpty else {
                state.message = current == nil ? "nothing to reject" : "this record's rule set lists no reasons"
                draw()
                return .stay
            }
            state.mode = .reasons(page: 0)
            draw()
        case "s":
            guard let claim = current?.item.claim else { return .stay }
            do {
                try store.skip(id: claim.id, token: claim.token)
                state.message = "skipped \(current?.item.inspectionId ?? "")"
                advance()
            } catch {
                fail(error)
            }
        case "u": undo()
        case "o": openPhoto()
        case "?":
            state.mode = .help
            draw()
        case "q", "\u{1B}": return key == "q" ? .quit : .stay
        default:
            state.message = "unknown key; ? shows the keys"
            draw()
        }
        return .stay
    }

    func handleReason(_ key: String, page: Int) -> Outcome {
        guard let item = current?.item else { return .stay }
        if key == "\u{1B}" || key == "r" {
            state.mode = .normal
            state.message = "rejection cancelled"
            draw()
            return .stay
        }
        if key == "+", item.reasons.count > (page + 1) * 10 {
            state.mode = .reasons(page: page + 1)
            draw()
            return .stay
        }
        guard key.count == 1, let digit = Int(key) else { return .stay }
        let index = page * 10 + (digit == 0 ? 9 : digit - 1)
        guard index < item.reasons.count else { return .stay }
        state.mode = .normal
        return decide(.reject(reason: item.reasons[index].code, note: nil))
    }

    func decide(_ verdict: ReviewVerdict) -> Outcome {
        guard let item = current?.item, let claim = item.claim else { return .stay }
        do {
            let receipt = try store.decide(id: claim.id, token: claim.token, verdict: verdict)
            state.message = "\(ReviewVerdict.pastTense(receipt.outcome)) \(item.inspectionId)" + (receipt.reasonCode.map { " (\($0))" } ?? "")
                + String(format: " in %.1f s · u undoes", receipt.reviewMs / 1000)
            advance()
            return .decided
        } catch {
            fail(error)
            if case .leaseExpired = error { advance() }
            return .stay
        }
    }

    func undo() {
        // The record on screen goes back to the queue first, then the undone one comes back to this reviewer.
        let held = current?.item.claim
        do {
            if let held { try store.release(id: held.id, token: held.token) }
            let item = try store.undo(reviewer: reviewer, lease: lease)
            show(preparer.prepare(item, columns: io.size.columns, rows: io.size.rows))
            state.message = "undone: \(item.inspectionId) is back"
            draw()
        } catch {
            fail(error)
            if held != nil { advance() }
        }
    }

    func openPhoto() {
        guard let path = current?.previews.first(where: { $0.path != nil })?.path ?? current?.thumbnails.first?.path else {
            state.message = "no photo file to open"
            draw()
            return
        }
        let viewers = ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open", "/usr/bin/open"]
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil || ProcessInfo.processInfo.environment["WAYLAND_DISPLAY"] != nil,
              let viewer = viewers.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            state.message = "no system viewer here; the photo is \(path)"
            draw()
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: viewer)
        process.arguments = [path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        state.message = "opened \(path)"
        draw()
    }

    /// Claims the next record and shows it, from the prefetched screen when it is the same record.
    func advance() {
        do {
            let item = try store.claimNext(reviewer: reviewer, lease: lease)
            lastRenewal = Date()
            guard let item else {
                show(nil)
                draw()
                return
            }
            let size = io.size
            prefetchLock.lock()
            let ready = prefetched
            prefetched = nil
            prefetchLock.unlock()
            if let ready, ready.item.id == item.id, ready.columns == size.columns, ready.rows == size.rows {
                var claimed = ready.item
                claimed.claim = item.claim
                show(PreparedItem(item: claimed, previews: ready.previews, thumbnails: ready.thumbnails, columns: ready.columns, rows: ready.rows))
            } else {
                show(preparer.prepare(item, columns: size.columns, rows: size.rows))
            }
            draw()
            prefetchNext()
        } catch {
            show(nil)
            fail(error)
        }
    }

    func show(_ prepared: PreparedItem?) {
        current = prepared
        state.mode = .normal
        state.queueDepth = try? store.queueOverview(limit: 0).depth
    }

    func prefetchNext() {
        let store = self.store, reviewer = self.reviewer, preparer = self.preparer, size = io.size
        let currentId = current?.item.id
        prefetchQueue.async { [weak self] in
            guard let next = try? store.peekNext(reviewer: reviewer), next.id != currentId else { return }
            let prepared = preparer.prepare(next, columns: size.columns, rows: size.rows)
            guard let self else { return }
            self.prefetchLock.lock()
            self.prefetched = prepared
            self.prefetchLock.unlock()
        }
    }

    func renewIfDue() {
        guard let claim = current?.item.claim, Date().timeIntervalSince(lastRenewal) > lease / 3 else { return }
        lastRenewal = Date()
        do {
            _ = try store.renew(id: claim.id, token: claim.token, lease: lease)
        } catch {
            fail(error)
            advance()
        }
    }

    func releaseCurrent() {
        guard let claim = current?.item.claim else { return }
        try? store.release(id: claim.id, token: claim.token)
        current = nil
    }

    func fail(_ error: ReviewError) {
        state.message = "\u{1B}[31m\(error)\u{1B}[0m"
        draw()
    }

    func fail(_ error: Error) {
        state.message = "\u{1B}[31m\(error)\u{1B}[0m"
        draw()
    }

    func draw() {
        let size = io.size
        io.write(ReviewScreenRenderer.render(current, state, columns: size.columns, rows: size.rows))
    }
}
