import ArgumentParser
import Foundation
import Store
import Supervision
import VIACore

/// `via stats`: supervisor figures.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Supervisor figures: intake, auto-pass rate, queue, review times, staffing; by station, reviewer, rule or hour.",
        discussion: """
            Without --by: the overview. --json prints the same figures as JSON (an object for the overview, an array \
            for --by); --csv prints a table with a fixed header per view.
            """)

    enum Breakdown: String, ExpressibleByArgument, CaseIterable {
        case station, reviewer, rule, hour
    }

    @Option(help: ArgumentHelp("Only the last DURATION: a positive number and a unit s, m, h, d or w (e.g. 90m, 24h, 7d); default: everything.", valueName: "duration"))
    var since: DurationArgument?

    @Option(help: "Break the figures down by station, reviewer, rule or hour.")
    var by: Breakdown?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print CSV.")
    var csv = false

    @Option(help: ArgumentHelp("Queue wait the staffing figure aims to stay under, in seconds.", valueName: "seconds"))
    var waitTarget: Double = 300

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        guard waitTarget > 0 else { throw ValidationError("--wait-target must be positive") }
    }

    func run() throws {
        let store = try storeOptions.open()
        var supervisor = Supervisor(store: store)
        supervisor.queueWaitTargetSeconds = waitTarget
        let now = Date()
        let window = StatsWindow(since: since.map { now.addingTimeInterval(-$0.seconds) }, until: now)
        func figures<T>(_ body: () throws(StoreError) -> T) throws -> T {
            do {
                return try body()
            } catch {
                throw StoreFailure(error).report()
            }
        }
        // CSV ends its own lines.
        func emit(_ text: String) { print(text, terminator: csv ? "" : "\n") }
        switch by {
        case nil:
            let overview = try figures { () throws(StoreError) in try supervisor.overview(window) }
            emit(json ? try JSONCoding.string(overview) : csv ? CSVTable.overview(overview) : StatsReport.overview(overview, since: since?.text))
        case .station:
            let list = try figures { () throws(StoreError) in try supervisor.stations(window) }
            emit(json ? try JSONCoding.string(list) : csv ? CSVTable.stations(list) : StatsReport.stations(list))
        case .rule:
            let list = try figures { () throws(StoreError) in try supervisor.rules(window) }
            emit(json ? try JSONCoding.string(list) : csv ? CSVTable.rules(list) : StatsReport.rules(list))
        case .reviewer:
            let list = try figures { () throws(StoreError) in try supervisor.reviewers(window) }
            emit(json ? try JSONCoding.string(list) : csv ? CSVTable.reviewers(list) : StatsReport.reviewers(list))
        case .hour:
            let list = try figures { () throws(StoreError) in try supervisor.hours(window) }
            emit(json ? try JSONCoding.string(list) : csv ? CSVTable.hours(list) : StatsReport.hours(list))
        }
    }
}
