import Foundation
import GRDB
import Store
import VIACore

/// Fills a store with a large synthetic history straight through SQL — records, findings, queue items and
/// decisions, no photos — to measure the supervision figures at scale (a million records in about a minute,
/// where real submissions would take hours).
public enum SyntheticStore {
    static let rules = ["photo.time_window", "photo.duplicate", "photo.quality", "record.vin", "photo.device", "photo.edited",
                        "record.verdict", "photo.sequence"]

    /// Adds `count` records received over the `days` before `now`, spread over the registry's stations.
    public static func fill(_ store: ViaStore, registry: StationRegistry, count: Int, days: Double = 30, seed: UInt64 = 1,
                            now: Date = Date()) throws {
        var random = SeededRandom(seed: seed)
        let stations = registry.stations.map(\.code)
        let start = now.timeIntervalSince1970 - days * 86400
        try store.pool.write { db in
            let batch = try db.makeStatement(sql: """
                INSERT INTO batch (station_code, batch_id, content_sha256, manifest, receipt, record_count, submitted_at)
                VALUES (?, ?, ?, '{}', '{}', ?, ?)
                """)
            let record = try db.makeStatement(sql: """
                INSERT INTO record (batch_row, station_code, inspection_id, version, is_current, lane, plate, vin, vehicle_type,
                    use_type, category, started_at, started_offset, finished_at, finished_offset, odometer_km, status, sampled,
                    check_ms, raw, received_at)
                VALUES (?, ?, ?, 1, 1, '1', ?, ?, 'K33', 'A', '01', ?, 28800, ?, 28800, ?, ?, ?, 8, '{}', ?)
                """)
            let finding = try db.makeStatement(sql: """
                INSERT INTO finding (record_row, position, rule, severity, photo, message, evidence) VALUES (?, ?, ?, ?, '0111', 'synthetic', '{}')
                """)
            let queue = try db.makeStatement(sql: """
                INSERT INTO queue_item (record_row, station_code, inspection_id, priority, enqueued_at, state) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let decision = try db.makeStatement(sql: """
                INSERT INTO decision (record_row, reviewer, outcome, reason_code, claimed_at, decided_at, review_ms, audit_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // Decisions must name an audit entry; one shared synthetic entry is enough for figures.
            let entry = try AuditLog.append(db, actor: "system", action: "synthetic.fill", subject: nil, detail: ["records": JSONValue(count)])
            var batchRow: Int64 = 0
            for index in 0..<count {
                let station = stations[index % stations.count]
                let received = start + Double(index) / Double(count) * days * 86400
                if index % 1000 == 0 {
                    try batch.execute(arguments: [station, "synthetic-\(seed)-\(index / 1000)", String(repeating: "0", count: 64),
                                                  min(1000, count - index), received])
                    batchRow = db.lastInsertedRowID
                }
                let roll = random.unit()
                let status = roll < 0.70 ? "passed" : roll < 0.75 ? "returned" : "flagged"
                let sampled = status == "passed" && random.chance(0.02)
                let started = received - random.uniform(1200...2400)
                try record.execute(arguments: [batchRow, station, "S\(seed)-\(index)", "蒙K\(index % 100000)", "VIN\(index)",
                                               started, received - 60, Int(random.uniform(1000...200000)), status, sampled, received])
                let row = db.lastInsertedRowID
                guard status != "passed" || sampled else { continue }
                var severity = "warning"
                if status != "passed" {
                    for position in 0..<(random.chance(0.3) ? 2 : 1) {
                        let rule = status == "returned" ? "photo.missing" : rules[Int(random.next() % UInt64(rules.count))]
                        let level = random.chance(0.6) ? "error" : "warning"
                        if level == "error" { severity = "error" }
                        try finding.execute(arguments: [row, position, rule, level])
                    }
                }
                guard status == "flagged" || sampled else { continue }
                let waiting = received > now.timeIntervalSince1970 - 3600 && random.chance(0.5)
                try queue.execute(arguments: [row, station, "S\(seed)-\(index)", sampled ? 2 : (severity == "error" ? 0 : 1), received,
                                              waiting ? "waiting" : "decided"])
                guard !waiting else { continue }
                let reviewMs = min(120_000, max(2000, 11_000 * exp(random.gaussian() * 0.4)))
                let claimed = received + random.uniform(10...900)
                let reject = random.chance(0.3)
                try decision.execute(arguments: [row, "reviewer-\(index % 12)", reject ? "reject" : "approve", reject ? "R02" : nil,
                                                 claimed, claimed + reviewMs / 1000, reviewMs, entry.seq])
            }
        }
    }
}
