import ArgumentParser
import Foundation
import Store
import VIACore

/// `via queue`: the review queue at a glance.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "The review queue: depth, oldest age, counts by station and by rule, and the items.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Items to list.")
    var limit = 50

    @Flag(help: "Print as JSON.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let overview: QueueOverview
        do {
            overview = try store.queueOverview(limit: limit)
        } catch {
            throw ReviewFailureReport(error).report()
        }
        if json {
            print(try JSONCoding.string(overview))
            return
        }
        let terminal = Terminal.standardOutput
        print(terminal.bold("queue: \(overview.depth) record(s)") + " (\(overview.waiting) waiting, \(overview.claimed) claimed)"
              + (overview.oldestAgeSeconds.map { ", oldest \(Self.age($0))" } ?? ""))
        if overview.depth == 0 { return }
        print("by station: " + overview.byStation.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        print("by rule:    " + overview.byRule.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        print("")
        for item in overview.items {
            let priority = ["error", "warning", "sample"][item.priority.rawValue]
            let holder = item.claimedBy.map { "  claimed by \($0)" } ?? ""
            print("  \(String(item.id).padding(toLength: 7, withPad: " ", startingAt: 0)) \(priority.padding(toLength: 8, withPad: " ", startingAt: 0))"
                  + "\(item.station) \(item.inspectionId)  \(item.plate ?? "-")  \(Self.age(item.ageSeconds))  "
                  + item.rules.joined(separator: ", ") + holder)
        }
        if overview.depth > overview.items.count { print(terminal.dim("  … \(overview.depth - overview.items.count) more (--limit)")) }
    }

    static func age(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s >= 86400 { return "\(s / 86400) d \(s % 86400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        if s >= 60 { return "\(s / 60) min" }
        return "\(s) s"
    }
}

/// Prints a review error and picks the exit code: 75 when the store was busy, 65 for refused operations.
struct ReviewFailureReport {
    let error: ReviewError

    init(_ error: ReviewError) { self.error = error }

    func report() -> ExitCode {
        if case let .store(storeError) = error { return StoreFailure(storeError).report() }
        printError("via: \(error)")
        return ViaExit.dataError
    }
}
