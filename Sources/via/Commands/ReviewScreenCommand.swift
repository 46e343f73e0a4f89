import ArgumentParser
import Foundation
import Store

/// `via review [--reviewer NAME]`: the interactive, keyboard-first review screen.
struct ReviewScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Review flagged records one screen at a time: a approve, r reject, s skip, u undo, o open, ? help, q quit.",
        discussion: "Needs a terminal; scripts use `via review next`, `decide`, `skip`, `release` and `undo`.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var reviewerOptions: ReviewerOptions
    @OptionGroup var leaseOptions: LeaseOptions

    func run() throws {
        guard TerminalIO.isAvailable else {
            printError("via: `via review` needs a terminal; in scripts use `via review next --json`, `via review decide ID --token T --approve` (or --reject CODE), `via review release` and `via review undo`")
            throw ExitCode(64)
        }
        let store = try storeOptions.open()
        let terminal = TerminalIO()
        terminal.enterRawMode()
        defer { terminal.restore() }
        let session = ReviewSession(store: store, reviewer: reviewerOptions.name, lease: leaseOptions.lease, io: terminal,
                                    trueColor: TerminalIO.supportsTrueColor)
        session.run()
    }
}
