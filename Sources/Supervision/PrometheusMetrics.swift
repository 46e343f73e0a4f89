import Foundation
import Store
import VIACore

/// The supervision figures in the Prometheus text exposition format (for `GET /metrics`).
public enum PrometheusMetrics {
    /// Current figures: totals since the store began, and the queue as it is now.
    public static func render(supervisor: Supervisor, now: Date = Date()) throws(StoreError) -> String {
        let window = StatsWindow(since: nil, until: now)
        let overview = try supervisor.overview(window)
        let stations = try supervisor.stations(window)
        let rules = try supervisor.rules(window)
        var out = MetricWriter()
        out.family("via_records_received_total", "counter", "Inspection records received (every version).")
        out.sample("via_records_received_total", value: Double(overview.recordsReceived))
        out.family("via_records_total", "counter", "Records by audit status.")
        out.sample("via_records_total", ["status": "passed"], value: Double(overview.autoPassed))
        out.sample("via_records_total", ["status": "returned"], value: Double(overview.returned))
        out.sample("via_records_total", ["status": "flagged"], value: Double(overview.flagged))
        out.family("via_records_sampled_total", "counter", "Passed records sent to review by QA sampling.")
        out.sample("via_records_sampled_total", value: Double(overview.sampled))
        out.family("via_queue_depth", "gauge", "Records waiting for review or claimed.")
        out.sample("via_queue_depth", value: Double(overview.queueDepth))
        out.family("via_queue_oldest_age_seconds", "gauge", "Age of the oldest queued record.")
        out.sample("via_queue_oldest_age_seconds", value: overview.oldestQueuedAgeSeconds ?? 0)
        out.family("via_decisions_total", "counter", "Review decisions (undone ones excluded).")
        out.sample("via_decisions_total", ["outcome": "approve"], value: Double(overview.approvals))
        out.sample("via_decisions_total", ["outcome": "reject"], value: Double(overview.rejections))
        out.family("via_review_seconds", "summary", "Review time, claim to decision.")
        for (quantile, value) in [("0.5", overview.reviewTime.p50), ("0.9", overview.reviewTime.p90), ("0.99", overview.reviewTime.p99)] {
            if let value { out.sample("via_review_seconds", ["quantile": quantile], value: value) }
        }
        out.sample("via_review_seconds_count", value: Double(overview.reviewTime.count))
        out.sample("via_review_seconds_sum", value: (overview.reviewTime.mean ?? 0) * Double(overview.reviewTime.count))
        out.family("via_reviewers_needed", "gauge", "Reviewers needed to keep the queue wait under target (Erlang C).")
        out.sample("via_reviewers_needed", value: Double(overview.staffing.reviewersNeeded ?? 0))
        out.family("via_station_records_total", "counter", "Records per station.")
        for station in stations { out.sample("via_station_records_total", ["station": station.station], value: Double(station.records)) }
        out.family("via_station_flag_rate", "gauge", "Share of a station's records flagged.")
        for station in stations { out.sample("via_station_flag_rate", ["station": station.station], value: station.flagRate) }
        out.family("via_station_outlier_score", "gauge", "How far a station's rates sit from its peers (RMS of z-scores).")
        for station in stations { out.sample("via_station_outlier_score", ["station": station.station], value: station.outlierScore) }
        out.family("via_rule_records_total", "counter", "Records a rule reported.")
        for rule in rules { out.sample("via_rule_records_total", ["rule": rule.rule], value: Double(rule.records)) }
        out.family("via_rule_override_rate", "gauge", "Share of reviewed records a rule flagged that reviewers approved.")
        for rule in rules { if let rate = rule.overrideRate { out.sample("via_rule_override_rate", ["rule": rule.rule], value: rate) } }
        return out.text
    }
}

/// Builds Prometheus text: HELP/TYPE headers and samples with escaped labels.
public struct MetricWriter: Sendable {
    public private(set) var text = ""

    public init() {}

    public mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    public mutating func sample(_ name: String, _ labels: [String: String] = [:], value: Double) {
        let rendered = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        text += name + (rendered.isEmpty ? "" : "{" + rendered.joined(separator: ",") + "}") + " " + number + "\n"
    }
}
