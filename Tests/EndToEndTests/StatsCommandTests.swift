import Foundation
import Testing
import VIATesting

/// `via stats` and `via report` through the built binary, on a store holding the committed sample batch.
@Suite struct StatsCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func run(_ arguments: [String]) throws -> ViaBinary.Result {
        try ViaBinary.run(arguments, directory: Self.root)
    }

    @Test func statsViewsFormatsAndErrors() throws {
        let store = try TestPhotos.temporaryFolder("via-e2e-stats")
        defer { try? FileManager.default.removeItem(at: store) }
        #expect(try run(["stations", "import", "samples/stations.yaml", "--store", store.path]).status == 0)
        #expect(try run(["submit", "samples/batch-20261018", "--store", store.path]).status == 0)

        let overview = try run(["stats", "--store", store.path])
        #expect(overview.status == 0, "\(overview.stderr)")
        #expect(overview.stdout.contains("records received  12: auto-passed 5 (41.7 %) · returned 2 · flagged 5"))
        #expect(overview.stdout.contains("Erlang C"))

        let json = try run(["stats", "--json", "--store", store.path])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["records_received"] as? Int == 12 && object?["queue_depth"] as? Int == 5)

        let stations = try run(["stats", "--by", "station", "--csv", "--store", store.path])
        #expect(stations.stdout.hasPrefix("station,name,records,flagged,returned,flag_rate,return_rate"))
        #expect(stations.stdout.contains("150602001,"))
        let rules = try run(["stats", "--by", "rule", "--store", store.path])
        #expect(rules.stdout.contains("photo.time_window") && rules.stdout.contains("override rate"))

        // A window before the batch arrived holds nothing; a malformed duration is a usage error naming the units.
        let empty = try run(["stats", "--since", "1s", "--json", "--store", store.path])
        #expect(empty.status == 0)
        let bad = try run(["stats", "--since", "2x", "--store", store.path])
        #expect(bad.status == 64 && bad.stderr.contains("--since") && bad.stderr.contains("s, m, h, d or w"))
        let both = try run(["stats", "--json", "--csv", "--store", store.path])
        #expect(both.status == 64)

        let html = store.appendingPathComponent("report.html")
        let report = try run(["report", "--html", html.path, "--store", store.path])
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("150602001") && !page.contains("http://") && !page.contains("https://"))
        let again = try run(["report", "--html", html.path, "--store", store.path, "--json"])
        let written = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any], "\(again.stderr)")
        #expect(written["file"] as? String == html.path && (written["bytes"] as? NSNumber)?.intValue == page.utf8.count)
    }
}
