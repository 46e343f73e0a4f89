import ArgumentParser
import Foundation
import Store
import VIACore

/// `via review`: the interactive queue, and the same operations for scripts.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review flagged records: interactively (keyboard-first), or step by step for scripts.",
        subcommands: [ReviewScreenCommand.self, ReviewNextCommand.self, ReviewDecideCommand.self, ReviewSkipCommand.self,
                      ReviewReleaseCommand.self, ReviewUndoCommand.self],
        defaultSubcommand: ReviewScreenCommand.self)
}

/// `--reviewer NAME` (default: $VIA_REVIEWER, else $USER).
struct ReviewerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reviewer name (default: $VIA_REVIEWER, else $USER).", valueName: "name"))
    var reviewer: String?

    var name: String {
        let environment = ProcessInfo.processInfo.environment
        return reviewer ?? environment["VIA_REVIEWER"] ?? environment["USER"] ?? "reviewer"
    }

    func validate() throws {
        if let reviewer, reviewer.trimmingCharacters(in: .whitespaces).isEmpty || reviewer.count > 64 {
            throw ValidationError("--reviewer must be 1 to 64 characters")
        }
    }
}

/// `--lease SECONDS`.
struct LeaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Claim lease in seconds (renewed while the screen is open).", valueName: "seconds"))
    var lease: Double = ViaStore.defaultLease

    func validate() throws {
        guard lease >= 1, lease <= 86400 else { throw ValidationError("--lease must lie in 1...86400 seconds, got \(lease)") }
    }
}

/// `via review next`: claim the next record.
struct ReviewNextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Claim the next record and print it with its claim token.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var reviewerOptions: ReviewerOptions
    @OptionGroup var leaseOptions: LeaseOptions

    @Flag(help: "Print as JSON (the claim, the record, findings, photos and the reasons to pick from).")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let item: ReviewItem?
        do {
            item = try store.claimNext(reviewer: reviewerOptions.name, lease: leaseOptions.lease)
        } catch {
            throw ReviewFailureReport(error).report()
        }
        guard let item, let claim = item.claim else {
            print(json ? #"{"claim": null, "message": "the queue is empty"}"# : "the queue is empty")
            return
        }
        if json {
            print(try JSONCoding.string(item))
            return
        }
        print("claimed item \(item.id): \(item.station) \(item.inspectionId) (\(item.record["plate"]?.stringValue ?? "no plate"))")
        print("token \(claim.token), lease until \(StoreErrorFormat.time(claim.leaseUntil))")
        for finding in item.findings where finding.severity >= .warning {
            print("  \(finding.severity.rawValue) \(finding.rule): \(finding.message)")
        }
        print("reasons: " + item.reasons.map { "\($0.code) \($0.text)" }.joined(separator: " · "))
    }
}

/// The claim a scripted review command acts on: the queue item and the token `via review next` gave with it.
struct ClaimOptions: ParsableArguments {
    @Argument(help: "Queue item id (from `via review next`).")
    var id: Int64

    @Option(help: "The claim token.")
    var token: String

    /// Runs an action on the claim; a refusal (stale token, expired lease, …) becomes the review failure report.
    func act(_ action: () throws -> Void) throws {
        do {
            try action()
        } catch let error as ReviewError {
            throw ReviewFailureReport(error).report()
        }
    }
}

/// `via review decide ID --token T (--approve | --reject CODE [--note TEXT])`.
struct ReviewDecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide", abstract: "Approve or reject a claimed record (reject needs a reason code from its rule set).")

    @OptionGroup var claim: ClaimOptions

    @Flag(help: "Approve the record.")
    var approve = false

    @Option(help: ArgumentHelp("Reject with this reason code (sent back to the station).", valueName: "code"))
    var reject: String?

    @Option(help: "A note to the station with a rejection.")
    var note: String?

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the decision as JSON.")
    var json = false

    func validate() throws {
        guard approve != (reject != nil) else { throw ValidationError("give exactly one of --approve and --reject CODE") }
        if note != nil && reject == nil { throw ValidationError("--note goes with --reject") }
    }

    func run() throws {
        let store = try storeOptions.open()
        let verdict: ReviewVerdict = reject.map { .reject(reason: $0, note: note) } ?? .approve
        let receipt: DecisionReceipt
        do {
            receipt = try store.decide(id: claim.id, token: claim.token, verdict: verdict)
        } catch {
            throw ReviewFailureReport(error).report()
        }
        if json {
            print(try JSONCoding.string(receipt))
        } else {
            print("\(ReviewVerdict.pastTense(receipt.outcome)) \(receipt.station) \(receipt.inspectionId)" + (receipt.reasonCode.map { " (reason \($0))" } ?? "")
                  + String(format: " after %.1f s", receipt.reviewMs / 1000))
        }
    }
}

/// `via review skip ID --token T`.
struct ReviewSkipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip", abstract: "Give a claimed record back without a decision; it goes behind the others for you.")

    @OptionGroup var claim: ClaimOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try claim.act { try storeOptions.open().skip(id: claim.id, token: claim.token) }
        print(json ? try JSONCoding.string(JSONValue.object(["action": "skipped", "id": JSONValue(Int(claim.id))])) : "skipped item \(claim.id)")
    }
}

/// `via review release ID --token T`.
struct ReviewReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Give a claimed record back to the queue as it was.")

    @OptionGroup var claim: ClaimOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try claim.act { try storeOptions.open().release(id: claim.id, token: claim.token) }
        print(json ? try JSONCoding.string(JSONValue.object(["action": "released", "id": JSONValue(Int(claim.id))])) : "released item \(claim.id)")
    }
}

/// `via review undo --reviewer NAME`.
struct ReviewUndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo your last decision (within 60 s): the record is yours again with a new token.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var reviewerOptions: ReviewerOptions
    @OptionGroup var leaseOptions: LeaseOptions

    @Flag(help: "Print the reclaimed item as JSON.")
    var json = false

    func run() throws {
        let item: ReviewItem
        do {
            item = try storeOptions.open().undo(reviewer: reviewerOptions.name, lease: leaseOptions.lease)
        } catch let error as ReviewError {
            throw ReviewFailureReport(error).report()
        }
        if json {
            print(try JSONCoding.string(item))
        } else {
            print("undone: item \(item.id) (\(item.station) \(item.inspectionId)) is yours again, token \(item.claim?.token ?? "?")")
        }
    }
}

enum StoreErrorFormat {
    static func time(_ date: Date) -> String {
        Timestamp(date: date, offsetSeconds: TimeZone.current.secondsFromGMT(for: date)).description
    }
}
