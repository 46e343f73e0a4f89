import ArgumentParser
import VIACore
import Foundation
import Store
import Supervision

/// `via report --html FILE`: the supervision figures as a self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline CSS and SVG charts, no network) of the supervision figures.")

    @Option(help: ArgumentHelp("Where to write the report.", valueName: "file"))
    var html: String

    @Option(help: ArgumentHelp("Only the last DURATION: a positive number and a unit s, m, h, d or w (e.g. 90m, 24h, 7d); default: everything.", valueName: "duration"))
    var since: DurationArgument?

    @Option(help: "Title of the report.")
    var title = "via supervision report"

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let now = Date()
        let report: SupervisionReport
        do {
            report = try Supervisor(store: store).report(StatsWindow(since: since.map { now.addingTimeInterval(-$0.seconds) }, until: now))
        } catch {
            throw StoreFailure(error).report()
        }
        let page = HTMLReport.render(report, title: title, generatedAt: now)
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: html))
        } catch {
            printError("via: cannot write \(html): \(error.localizedDescription)")
            throw ViaExit.dataError
        }
        if json {
            print(try JSONCoding.string(JSONValue.object([
                "file": .string(html), "bytes": JSONValue(page.utf8.count), "records": JSONValue(report.overview.recordsReceived),
                "decisions": JSONValue(report.overview.decisions), "stations": JSONValue(report.stations.count),
            ])))
            return
        }
        print("wrote \(html) (\(page.utf8.count / 1024) kB): \(report.overview.recordsReceived) records, "
              + "\(report.overview.decisions) decisions, \(report.stations.count) stations")
    }
}
