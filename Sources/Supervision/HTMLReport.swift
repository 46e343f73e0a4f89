import Foundation
import VIACore

/// A single self-contained HTML page (inline CSS and SVG, no network) with the supervision figures and charts.
public enum HTMLReport {
    public static func render(_ report: SupervisionReport, title: String = "via supervision report", generatedAt: Date = Date()) -> String {
        let o = report.overview
        var body = ""
        body += "<header><h1>\(escape(title))</h1><p>" + escape(windowText(o.window)) + " · generated "
            + escape(CSVTable.time(generatedAt)) + "</p></header>\n"
        body += cards(o)
        body += section("Throughput per hour", stackedBars(report.hours))
        body += section("Queue depth at the end of each hour", line(report.hours.map { (label: hourLabel($0.hour), value: Double($0.queueDepth)) }))
        body += section("Review time (seconds; target \(Int(o.reviewTargetSeconds)) s)",
                        histogram(report.reviewTimes, target: o.reviewTargetSeconds))
        body += section("Flag rate by station", bars(report.stations.map { (label: $0.station, value: $0.flagRate) }, percent: true))
        body += section("Rule override rate (approved although the rule flagged)",
                        bars(report.rules.compactMap { rule in rule.overrideRate.map { (label: rule.rule, value: $0) } }, percent: true))
        body += section("Stations", stationTable(report.stations))
        body += section("Rules", ruleTable(report.rules))
        body += section("Reviewers", reviewerTable(report.reviewers))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
            h1{font-size:1.6rem;margin:0}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #d8dde6;padding-bottom:.3rem}
            header p{color:#5b6576;margin:.3rem 0 1rem}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.8rem}
            .card{background:#f4f6fa;border-radius:8px;padding:.8rem 1rem}.card b{display:block;font-size:1.5rem;margin-top:.2rem}
            .card span{color:#5b6576;font-size:.85rem}
            table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e5e9f0}
            th{background:#f4f6fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
            svg{width:100%;height:auto;background:#fbfcfe;border:1px solid #e5e9f0;border-radius:6px}
            .legend span{display:inline-block;margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
            .empty{color:#5b6576;font-style:italic}
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    static func windowText(_ window: StatsWindow) -> String {
        (window.since.map { "from \(CSVTable.time($0))" } ?? "since the store began") + " until \(CSVTable.time(window.until))"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func section(_ title: String, _ content: String) -> String { "<section><h2>\(escape(title))</h2>\n\(content)\n</section>\n" }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f s", $0) } ?? "–" }
    static func hourLabel(_ date: Date) -> String { String(CSVTable.time(date).dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ") }

    static func cards(_ o: Overview) -> String {
        let items: [(String, String)] = [
            ("Records received", "\(o.recordsReceived)"),
            ("Passed automatically", "\(o.autoPassed) · \(percent(o.autoPassRate))"),
            ("Returned to stations", "\(o.returned)"),
            ("Flagged for review", "\(o.flagged) (+\(o.sampled) sampled)"),
            ("Queue now", "\(o.queueDepth)" + (o.oldestQueuedAgeSeconds.map { String(format: " · oldest %.0f min", $0 / 60) } ?? "")),
            ("Decisions", "\(o.decisions) (\(o.rejections) rejected)"),
            ("Review time p50 / p90", "\(seconds(o.reviewTime.p50)) / \(seconds(o.reviewTime.p90))"),
            ("Within \(Int(o.reviewTargetSeconds)) s", percent(o.withinTargetRate)),
            ("Reviewers active", "\(o.reviewersActive)"),
            ("Reviewers needed", o.staffing.reviewersNeeded.map { "\($0) (wait ≤ \(Int(o.staffing.targetWaitSeconds / 60)) min)" } ?? "–"),
        ]
        return "<div class=\"cards\">" + items.map { "<div class=\"card\"><span>\(escape($0.0))</span><b>\(escape($0.1))</b></div>" }.joined() + "</div>\n"
    }

    static let palette = ["#3b6fd8", "#2ca58d", "#e0a100", "#d6453d"]

    /// Stacked bars per hour: automatic decisions, then human decisions, with arrivals as a marker line.
    static func stackedBars(_ hours: [HourFigures]) -> String {
        guard !hours.isEmpty else { return "<p class=\"empty\">No activity in this period.</p>" }
        let width = 1000.0, height = 260.0, left = 50.0, bottom = 30.0
        let maximum = max(1, hours.map { max($0.arrivals, $0.autoDecisions + $0.humanDecisions) }.max() ?? 1)
        let step = (width - left - 10) / Double(hours.count)
        var svg = axes(width: width, height: height, left: left, bottom: bottom, maximum: Double(maximum), percent: false)
        var points: [String] = []
        for (index, hour) in hours.enumerated() {
            let x = left + Double(index) * step
            let scale = (height - bottom - 10) / Double(maximum)
            let auto = Double(hour.autoDecisions) * scale, human = Double(hour.humanDecisions) * scale
            svg += rect(x + step * 0.1, height - bottom - auto, step * 0.8, auto, palette[1], "\(hourLabel(hour.hour)): \(hour.autoDecisions) automatic")
            svg += rect(x + step * 0.1, height - bottom - auto - human, step * 0.8, human, palette[0], "\(hourLabel(hour.hour)): \(hour.humanDecisions) reviewed")
            let point = (x: x + step / 2, y: height - bottom - Double(hour.arrivals) * scale)
            points.append(String(format: "%.1f,%.1f", point.x, point.y))
            // A dot per hour: one hour alone draws no line.
            svg += dot(point.x, point.y, palette[3], "\(hourLabel(hour.hour)): \(hour.arrivals) arrivals")
            if hours.count <= 24 || index % max(1, hours.count / 12) == 0 {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6576\">",
                              x + step / 2, height - 10) + escape(hourLabel(hour.hour)) + "</text>"
            }
        }
        svg += "<polyline fill=\"none\" stroke=\"\(palette[3])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        return "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\(svg)</svg>"
            + legend([("automatic decisions", palette[1]), ("reviewed", palette[0]), ("arrivals", palette[3])])
    }

    static func line(_ points: [(label: String, value: Double)]) -> String {
        guard !points.isEmpty else { return "<p class=\"empty\">No activity in this period.</p>" }
        let width = 1000.0, height = 220.0, left = 50.0, bottom = 30.0
        let maximum = max(1, points.map(\.value).max() ?? 1)
        let step = (width - left - 10) / Double(max(1, points.count - 1))
        var svg = axes(width: width, height: height, left: left, bottom: bottom, maximum: maximum, percent: false)
        // One point alone sits in the middle; more spread across the width.
        func x(_ index: Int) -> Double { points.count == 1 ? (left + width - 10) / 2 : left + Double(index) * step }
        var coordinates: [String] = []
        for (index, point) in points.enumerated() {
            let y = height - bottom - point.value / maximum * (height - bottom - 10)
            coordinates.append(String(format: "%.1f,%.1f", x(index), y))
            svg += dot(x(index), y, palette[0], "\(point.label): \(Int(point.value))")
            if points.count <= 24 || index % max(1, points.count / 12) == 0 {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6576\">",
                              x(index), height - 10) + escape(point.label) + "</text>"
            }
        }
        svg += "<polyline fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>"
        return "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\(svg)</svg>"
    }

    static func dot(_ x: Double, _ y: Double, _ colour: String, _ title: String) -> String {
        String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" ", x, y) + "fill=\"\(colour)\"><title>" + escape(title) + "</title></circle>"
    }

    static func histogram(_ values: [Double], target: Double) -> String {
        guard !values.isEmpty else { return "<p class=\"empty\">No decisions in this period.</p>" }
        let binWidth = 5.0
        let top = min(120, (values.max() ?? 0) + binWidth)
        let binCount = max(1, Int((top / binWidth).rounded(.up)))
        var bins = [Int](repeating: 0, count: binCount)
        for value in values { bins[min(binCount - 1, Int(value / binWidth))] += 1 }
        let width = 1000.0, height = 220.0, left = 50.0, bottom = 30.0
        let maximum = Double(max(1, bins.max() ?? 1))
        let step = (width - left - 10) / Double(binCount)
        var svg = axes(width: width, height: height, left: left, bottom: bottom, maximum: maximum, percent: false)
        for (index, count) in bins.enumerated() {
            let h = Double(count) / maximum * (height - bottom - 10)
            let from = Double(index) * binWidth
            svg += rect(left + Double(index) * step + 1, height - bottom - h, step - 2, h, from < target ? palette[1] : palette[2],
                        String(format: "%.0f–%.0f s: %d", from, from + binWidth, count))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6576\">%.0f</text>",
                          left + Double(index) * step + step / 2, height - 10, from)
        }
        let targetX = left + target / binWidth * step
        svg += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"%.1f\" stroke=\"", targetX, targetX, height - bottom)
            + palette[3] + "\" stroke-dasharray=\"4 3\"/>"
        return "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\(svg)</svg>"
            + legend([("within target", palette[1]), ("over target", palette[2]), ("target", palette[3])])
    }

    static func bars(_ items: [(label: String, value: Double)], percent asPercent: Bool) -> String {
        guard !items.isEmpty else { return "<p class=\"empty\">Nothing to show for this period.</p>" }
        let rowHeight = 24.0, labelWidth = 220.0, width = 1000.0
        let height = Double(items.count) * rowHeight + 20
        let maximum = asPercent ? 1 : max(1e-9, items.map(\.value).max() ?? 1)
        var svg = ""
        for (index, item) in items.enumerated() {
            let y = 10 + Double(index) * rowHeight
            let w = item.value / maximum * (width - labelWidth - 80)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" fill=\"#1d2430\">", labelWidth - 8, y + 15)
                + escape(item.label) + "</text>"
            svg += rect(labelWidth, y + 3, w, rowHeight - 8, palette[0], "\(item.label): \(percent(item.value))")
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#5b6576\">", labelWidth + w + 6, y + 15)
                + escape(asPercent ? percent(item.value) : String(format: "%.2f", item.value)) + "</text>"
        }
        return "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\(svg)</svg>"
    }

    static func axes(width: Double, height: Double, left: Double, bottom: Double, maximum: Double, percent: Bool) -> String {
        var svg = String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#9aa3b2\"/>", left, width - 10, height - bottom, height - bottom)
        for fraction in [0.0, 0.5, 1.0] {
            let y = height - bottom - fraction * (height - bottom - 10)
            svg += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e9f0\"/>", left, width - 10, y, y)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6576\">%.0f</text>", left - 6, y + 3, maximum * fraction)
        }
        return svg
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ colour: String, _ title: String) -> String {
        String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"", x, y, max(0, w), max(0, h))
            + colour + "\"><title>" + escape(title) + "</title></rect>"
    }

    static func legend(_ entries: [(String, String)]) -> String {
        "<p class=\"legend\">" + entries.map { "<span><i style=\"background:\($0.1)\"></i>\(escape($0.0))</span>" }.joined() + "</p>"
    }

    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">Nothing in this period.</p>" }
        return "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { row in
                "<tr>" + row.enumerated().map { index, cell in
                    "<td\(numeric.contains(index) ? " class=\"n\"" : "")>\(escape(cell))</td>"
                }.joined() + "</tr>"
            }.joined() + "</tbody></table>"
    }

    static func stationTable(_ list: [StationFigures]) -> String {
        table(["Station", "Name", "Records", "Flagged", "Returned", "Rejected after review", "Median inspection", "Outlier score", "Top rules"],
              list.map { s in
                  [s.station, s.name ?? "", String(s.records), percent(s.flagRate), percent(s.returnRate), percent(s.rejectionRate),
                   s.medianInspectionMinutes.map { String(format: "%.0f min", $0) } ?? "–",
                   String(format: "%.2f", s.outlierScore) + (s.outlierDriver.map { " (\($0))" } ?? ""),
                   s.topRules.map { "\($0.rule) \($0.records)" }.joined(separator: ", ")]
              }, numeric: [2, 3, 4, 5, 6, 7])
    }

    static func ruleTable(_ list: [RuleFigures]) -> String {
        table(["Rule", "Records", "Rate", "Reviewed", "Approved", "Rejected", "Override rate"],
              list.map { [$0.rule, String($0.records), percent($0.rate), String($0.decided), String($0.approvals), String($0.rejections),
                          percent($0.overrideRate)] }, numeric: [1, 2, 3, 4, 5, 6])
    }

    static func reviewerTable(_ list: [ReviewerFigures]) -> String {
        table(["Reviewer", "Decisions", "Approved", "Rejected", "p50", "p90", "p99"],
              list.map { [$0.reviewer, String($0.decisions), String($0.approvals), String($0.rejections), seconds($0.reviewTime.p50),
                          seconds($0.reviewTime.p90), seconds($0.reviewTime.p99)] }, numeric: [1, 2, 3, 4, 5, 6])
    }
}
