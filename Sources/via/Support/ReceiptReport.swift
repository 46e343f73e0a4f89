import Audit
import Foundation
import VIACore

/// Human-readable receipt: one line per record with its status and top findings, then a summary.
struct ReceiptReport {
    let terminal: Terminal
    var findingsPerRecord = 3

    func render(_ outcome: AuditOutcome, registry: StationRegistry) -> String {
        let receipt = outcome.receipt
        var lines: [String] = []
        let stationName = registry[receipt.station].map { " (\($0.name))" } ?? ""
        lines.append(terminal.bold("batch \(receipt.batchId) from station \(receipt.station)\(stationName): \(receipt.records.count) record(s)"))
        for audited in outcome.records {
            let result = audited.result
            let record = audited.record
            let vehicle = [record.vehicleType, record.useType, record.category].map { $0 ?? "?" }.joined(separator: "/")
            var line = "  \(status(result.status)) \(result.inspectionId)  \(record.plate ?? "no plate")  \(vehicle)"
            line += "  " + terminal.dim((result.ruleset?.id ?? "no rule set") + String(format: "  %.1f ms", result.checkMs))
            if result.sampled { line += "  " + terminal.yellow("sampled for QA review") }
            lines.append(line)
            let significant = result.findings.filter { $0.severity >= .warning }
            for finding in significant.prefix(findingsPerRecord) {
                lines.append("             \(severity(finding.severity)) \(finding.rule): \(finding.message)")
            }
            if significant.count > findingsPerRecord {
                lines.append(terminal.dim("             + \(significant.count - findingsPerRecord) more finding(s); --json shows all"))
            }
        }
        let summary = receipt.summary
        let sampled = receipt.records.filter(\.sampled).count
        lines.append("")
        lines.append("summary: \(summary.records) record(s): \(terminal.green("\(summary.passed) passed"))"
            + (sampled > 0 ? " (\(sampled) sampled for QA)" : "")
            + ", \(terminal.yellow("\(summary.returned) returned")), \(terminal.red("\(summary.flagged) flagged"))")
        return lines.joined(separator: "\n")
    }

    func status(_ status: RecordStatus) -> String {
        let text = status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
        switch status {
        case .passed: return terminal.green(text)
        case .returned: return terminal.yellow(text)
        case .flagged: return terminal.red(text)
        }
    }

    func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: return terminal.red("error")
        case .warning: return terminal.yellow("warn ")
        case .info: return terminal.dim("info ")
        }
    }
}
