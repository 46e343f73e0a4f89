import Foundation

/// CSV with a fixed header per view (RFC 4180 quoting), so supervisors' scripts can rely on the columns.
public enum CSVTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4f", value)
    }

    public static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public static func overview(_ o: Overview) -> String {
        render(header: ["since", "until", "records_received", "auto_passed", "returned", "flagged", "sampled", "auto_pass_rate",
                        "queue_depth", "oldest_queued_age_s", "decisions", "approvals", "rejections", "review_p50_s",
                        "review_p90_s", "review_p99_s", "within_target_rate", "reviewers_active", "queue_arrivals_per_hour",
                        "reviewers_needed"],
               rows: [[o.window.since.map(time) ?? "", time(o.window.until), String(o.recordsReceived), String(o.autoPassed),
                       String(o.returned), String(o.flagged), String(o.sampled), number(o.autoPassRate), String(o.queueDepth),
                       number(o.oldestQueuedAgeSeconds), String(o.decisions), String(o.approvals), String(o.rejections),
                       number(o.reviewTime.p50), number(o.reviewTime.p90), number(o.reviewTime.p99), number(o.withinTargetRate),
                       String(o.reviewersActive), number(o.staffing.arrivalsPerHour), o.staffing.reviewersNeeded.map(String.init) ?? ""]])
    }

    public static func stations(_ list: [StationFigures]) -> String {
        render(header: ["station", "name", "records", "flagged", "returned", "flag_rate", "return_rate", "top_rules", "decisions",
                        "rejections", "rejection_rate", "median_inspection_min", "outlier_score", "outlier_driver"],
               rows: list.map { s in
                   [s.station, s.name ?? "", String(s.records), String(s.flagged), String(s.returned), number(s.flagRate),
                    number(s.returnRate), s.topRules.map { "\($0.rule):\($0.records)" }.joined(separator: " "), String(s.decisions),
                    String(s.rejections), number(s.rejectionRate), number(s.medianInspectionMinutes), number(s.outlierScore),
                    s.outlierDriver ?? ""]
               })
    }

    public static func rules(_ list: [RuleFigures]) -> String {
        render(header: ["rule", "records", "rate", "decided", "approvals", "rejections", "override_rate"],
               rows: list.map { [$0.rule, String($0.records), number($0.rate), String($0.decided), String($0.approvals),
                                 String($0.rejections), number($0.overrideRate)] })
    }

    public static func reviewers(_ list: [ReviewerFigures]) -> String {
        render(header: ["reviewer", "decisions", "approvals", "rejections", "review_p50_s", "review_p90_s", "review_p99_s"],
               rows: list.map { [$0.reviewer, String($0.decisions), String($0.approvals), String($0.rejections),
                                 number($0.reviewTime.p50), number($0.reviewTime.p90), number($0.reviewTime.p99)] })
    }

    public static func hours(_ list: [HourFigures]) -> String {
        render(header: ["hour", "arrivals", "auto_decisions", "human_decisions", "queue_depth"],
               rows: list.map { [time($0.hour), String($0.arrivals), String($0.autoDecisions), String($0.humanDecisions),
                                 String($0.queueDepth)] })
    }
}
