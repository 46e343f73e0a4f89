import Foundation
import GRDB
import Store
import Testing
import VIATesting

/// `via queue`, `via review …` and `via audit verify` through the built binary.
@Suite(.serialized) struct ReviewCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func run(_ arguments: [String]) throws -> ViaBinary.Result { try ViaBinary.run(arguments, directory: Self.root) }

    @Test func eightReviewerProcessesDrainAThousandRecordsExactlyOnce() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try TestQueue.fill(temporary.store, count: 1000)
        let storePath = temporary.directory.path
        let lock = NSLock()
        nonisolated(unsafe) var decided: [String: [Int64]] = [:]
        nonisolated(unsafe) var failures: [String] = []
        let threads = (0..<8).map { index in
            Thread {
                let reviewer = "reviewer-\(index)"
                var mine: [Int64] = []
                while true {
                    guard let next = try? ViaBinary.run(["review", "next", "--reviewer", reviewer, "--store", storePath, "--json"]),
                          next.status == 0,
                          let object = try? JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any] else {
                        lock.lock(); failures.append("next failed"); lock.unlock()
                        break
                    }
                    guard let claim = object["claim"] as? [String: Any], let id = (claim["id"] as? NSNumber)?.int64Value,
                          let token = claim["token"] as? String else { break } // the queue is empty
                    let verdict = id % 3 == 0 ? ["--reject", "R01", "--note", "plate differs"] : ["--approve"]
                    let decision = try? ViaBinary.run(["review", "decide", String(id), "--token", token, "--store", storePath] + verdict)
                    if decision?.status != 0 {
                        lock.lock(); failures.append("decide \(id): \(decision?.stderr ?? "")"); lock.unlock()
                    }
                    mine.append(id)
                }
                lock.lock(); decided[reviewer] = mine; lock.unlock()
            }
        }
        for thread in threads { thread.start() }
        while threads.contains(where: { !$0.isFinished }) { usleep(50_000) }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let all = decided.values.flatMap { $0 }
        #expect(all.count == 1000 && Set(all).count == 1000, "every record decided exactly once")
        #expect(decided.values.filter { !$0.isEmpty }.count >= 4, "the work was shared")
        let rows = try temporary.store.read { db in
            try Row.fetchOne(db, sql: "SELECT count(*), count(DISTINCT record_row), sum(outcome = 'reject') FROM decision")!
        }
        #expect(rows[0] as Int == 1000 && rows[1] as Int == 1000)
        #expect(rows[2] as Int == all.filter { $0 % 3 == 0 }.count)
        let queue = try run(["queue", "--store", storePath, "--json"])
        #expect(queue.stdout.contains("\"depth\" : 0"))
        let verify = try run(["audit", "verify", "--store", storePath])
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)")
    }

    @Test func staleTokensUnknownReasonsAndTamperingAreRefused() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        try TestQueue.fill(temporary.store, count: 2)
        let store = temporary.directory.path
        let next = try run(["review", "next", "--reviewer", "li", "--store", store, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any])
        let claim = try #require(object["claim"] as? [String: Any])
        let id = try #require((claim["id"] as? NSNumber)?.int64Value)
        let token = try #require(claim["token"] as? String)
        #expect((object["reasons"] as? [[String: Any]])?.count == 2)

        let stale = try run(["review", "decide", String(id), "--token", "0000", "--approve", "--store", store])
        #expect(stale.status == 65 && stale.stderr.contains("no longer valid"), "\(stale.stderr)")
        let unknown = try run(["review", "decide", String(id), "--token", token, "--reject", "R99", "--store", store])
        #expect(unknown.status == 65 && unknown.stderr.contains("R01, R02"), "\(unknown.stderr)")
        #expect(try run(["review", "decide", String(id), "--token", token, "--store", store]).status == 64, "approve or reject is required")
        let decided = try run(["review", "decide", String(id), "--token", token, "--approve", "--store", store])
        #expect(decided.status == 0 && decided.stdout.contains("approved"))
        let undone = try run(["review", "undo", "--reviewer", "li", "--store", store, "--json"])
        let reclaimed = try #require(try JSONSerialization.jsonObject(with: Data(undone.stdout.utf8)) as? [String: Any], "\(undone.stderr)")
        let again = try #require((reclaimed["claim"] as? [String: Any])?["token"] as? String)
        let released = try run(["review", "release", String(id), "--token", again, "--store", store, "--json"])
        let release = try #require(try JSONSerialization.jsonObject(with: Data(released.stdout.utf8)) as? [String: Any], "\(released.stderr)")
        #expect(release["action"] as? String == "released" && (release["id"] as? NSNumber)?.int64Value == id)
        let next2 = try run(["review", "next", "--reviewer", "li", "--store", store, "--json"])
        let claim2 = try #require((try JSONSerialization.jsonObject(with: Data(next2.stdout.utf8)) as? [String: Any])?["claim"] as? [String: Any])
        let skipped = try run(["review", "skip", String((claim2["id"] as? NSNumber)?.int64Value ?? -1), "--token",
                               claim2["token"] as? String ?? "", "--store", store, "--json"])
        #expect(skipped.status == 0 && skipped.stdout.contains("\"skipped\""), "\(skipped.stderr)")
        #expect(try run(["review", "undo", "--reviewer", "nobody", "--store", store]).status == 65)

        // Tamper with the log behind via's back.
        try temporary.store.pool.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'reviewer:mallory' WHERE action = 'claim'") }
        let verify = try run(["audit", "verify", "--store", store])
        #expect(verify.status == 65 && verify.stderr.contains("BROKEN"), "\(verify.stderr)")
        let verifyJSON = try run(["audit", "verify", "--store", store, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verifyJSON.stdout.utf8)) as? [String: Any])
        #expect(verifyJSON.status == 65 && report["intact"] as? Bool == false && report["broken_at"] is NSNumber, "\(report)")
    }

    @Test func theScreenNeedsATerminal() throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let result = try run(["review", "--store", temporary.directory.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("needs a terminal"))
    }
}
