import Foundation
import VIACore

/// The time span in which a photo of one code may be taken: the inspection [started_at, finished_at] widened by
/// the rule's tolerance, or by the rule set's photo window for the code (documents before the start, the report
/// after the end). Shared by every rule that judges a photo's time.
struct PhotoTimeWindow {
    let start: Timestamp
    let end: Timestamp
    let low: Date
    let high: Date
    /// The rule set's window for the code, if it has one.
    let window: PhotoWindow?
    let tolerance: Double

    init(code: String?, start: Timestamp, end: Timestamp, requirements: RecordRequirements, tolerance: Double) {
        self.start = start
        self.end = end
        self.tolerance = tolerance
        window = requirements.window(for: code)
        low = start.date.addingTimeInterval(-(window?.beforeStartSeconds ?? tolerance))
        high = end.date.addingTimeInterval(window?.afterEndSeconds ?? tolerance)
    }

    func contains(_ date: Date) -> Bool { date >= low && date <= high }

    /// "2 d 3 h before", "14 min after".
    func distance(_ date: Date) -> String {
        Format.duration(date < low ? low.timeIntervalSince(date) : date.timeIntervalSince(high)) + (date < low ? " before" : " after")
    }

    /// What the span is, for messages: "the inspection window 09:59–10:21" or "the window for documents,
    /// photographed at reception (from 2 h before the start to 5 min after the end of the inspection 09:59–10:21)".
    var text: String {
        guard let window else { return "the inspection window \(start)–\(end)" }
        let before = window.beforeStartSeconds ?? tolerance, after = window.afterEndSeconds ?? tolerance
        let name = window.note.map { "the window for \($0)" } ?? "the window for \(window.codes.joined(separator: ", "))"
        return "\(name) (from \(Format.duration(before)) before the start to \(Format.duration(after)) after the end of the inspection \(start)–\(end))"
    }

    var evidence: [String: JSONValue] {
        var evidence: [String: JSONValue] = [
            "started_at": .string(start.description), "finished_at": .string(end.description),
            "tolerance_s": JSONValue(tolerance),
        ]
        if let window {
            evidence["window_codes"] = JSONValue(window.codes)
            evidence["before_start_s"] = JSONValue(window.beforeStartSeconds ?? tolerance)
            evidence["after_end_s"] = JSONValue(window.afterEndSeconds ?? tolerance)
        }
        return evidence
    }
}
