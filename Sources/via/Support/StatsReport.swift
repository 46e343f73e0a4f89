import Foundation
import Supervision
import VIACore

/// Human-readable tables for `via stats`.
enum StatsReport {
    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "-" }
    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f s", $0) } ?? "-" }
    static func pad(_ text: String, _ width: Int) -> String {
        let cells = text.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
        return text + String(repeating: " ", count: max(0, width - cells))
    }

    static func overview(_ o: Overview, since: String?) -> String {
        var lines: [String] = []
        lines.append("via stats · " + (since.map { "last \($0)" } ?? "since the store began") + " · until \(CSVTable.time(o.window.until))")
        lines.append("records received  \(o.recordsReceived): auto-passed \(o.autoPassed) (\(percent(o.autoPassRate))) · returned \(o.returned)"
                     + " · flagged \(o.flagged) · sampled for QA \(o.sampled)")
        lines.append("queue             \(o.queueDepth) waiting or claimed" + (o.oldestQueuedAgeSeconds.map { " · oldest \(QueueCommand.age($0))" } ?? ""))
        lines.append("decisions         \(o.decisions) (\(o.approvals) approved, \(o.rejections) rejected) by \(o.reviewersActive) reviewer(s)")
        lines.append("review time       p50 \(seconds(o.reviewTime.p50)) · p90 \(seconds(o.reviewTime.p90)) · p99 \(seconds(o.reviewTime.p99))"
                     + " (target \(Int(o.reviewTargetSeconds)) s: \(percent(o.withinTargetRate)) within)")
        let staffing = o.staffing
        var need = String(format: "%.1f records/h enter the queue", staffing.arrivalsPerHour)
        if let s = staffing.meanReviewSeconds, let c = staffing.reviewersNeeded, let a = staffing.offeredLoad {
            need += String(format: "; mean review %.1f s, load a = λ·s = %.2f → %d reviewer(s) keep the wait under %d s (expected %.1f s)",
                           s, a, c, Int(staffing.targetWaitSeconds), staffing.expectedWaitSeconds ?? 0)
        } else {
            need += "; no review times yet"
        }
        lines.append("staffing          " + need)
        lines.append("                  Erlang C: " + Staffing.formula)
        return lines.joined(separator: "\n")
    }

    static func stations(_ list: [StationFigures]) -> String {
        var lines = [pad("station", 11) + pad("records", 9) + pad("flagged", 9) + pad("returned", 10) + pad("rejected", 10)
                     + pad("median", 9) + pad("outlier", 13) + "top rules"]
        for s in list {
            lines.append(pad(s.station, 11) + pad(String(s.records), 9) + pad(percent(s.flagRate), 9) + pad(percent(s.returnRate), 10)
                         + pad(percent(s.rejectionRate), 10) + pad(s.medianInspectionMinutes.map { String(format: "%.0f min", $0) } ?? "-", 9)
                         + pad(String(format: "%.2f", s.outlierScore) + (s.outlierDriver.map { " \($0)" } ?? ""), 13)
                         + s.topRules.map { "\($0.rule) \($0.records)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func rules(_ list: [RuleFigures]) -> String {
        var lines = [pad("rule", 20) + pad("records", 9) + pad("rate", 9) + pad("reviewed", 10) + pad("approved", 10) + "override rate"]
        for r in list {
            lines.append(pad(r.rule, 20) + pad(String(r.records), 9) + pad(percent(r.rate), 9) + pad(String(r.decided), 10)
                         + pad(String(r.approvals), 10) + percent(r.overrideRate))
        }
        return lines.joined(separator: "\n")
    }

    static func reviewers(_ list: [ReviewerFigures]) -> String {
        var lines = [pad("reviewer", 16) + pad("decisions", 11) + pad("approved", 10) + pad("rejected", 10) + "review p50 / p90 / p99"]
        for r in list {
            lines.append(pad(r.reviewer, 16) + pad(String(r.decisions), 11) + pad(String(r.approvals), 10) + pad(String(r.rejections), 10)
                         + "\(seconds(r.reviewTime.p50)) / \(seconds(r.reviewTime.p90)) / \(seconds(r.reviewTime.p99))")
        }
        return lines.joined(separator: "\n")
    }

    static func hours(_ list: [HourFigures]) -> String {
        var lines = [pad("hour (UTC)", 22) + pad("arrivals", 10) + pad("automatic", 11) + pad("reviewed", 10) + "queue"]
        for h in list {
            lines.append(pad(CSVTable.time(h.hour), 22) + pad(String(h.arrivals), 10) + pad(String(h.autoDecisions), 11)
                         + pad(String(h.humanDecisions), 10) + String(h.queueDepth))
        }
        return lines.joined(separator: "\n")
    }
}
