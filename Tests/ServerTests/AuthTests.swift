import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing
import VIACore
import VIATesting

/// Tokens: 401 without a valid one, binding to the station, revocation, and the public routes.
@Suite struct AuthTests {
    @Test func everyStationRouteNeedsAToken() async throws {
        try await TestServer.withRouter { server, client in
            for (method, uri) in [(HTTPRequest.Method.post, "/v1/batches"), (.get, "/v1/batches/20261018-0001"),
                                  (.get, "/v1/records/15060200126101800")] {
                let missing = try await client.call(method, uri)
                #expect(missing.status == .unauthorized)
                #expect(missing.errorCode == "unauthorized")
                #expect(missing.headers[.wwwAuthenticate] == "Bearer realm=\"via\"")
                let wrong = try await client.call(method, uri, token: "via_" + String(repeating: "0", count: 64))
                #expect(wrong.status == .unauthorized)
                #expect(wrong.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
                var basic = HTTPFields()
                basic[.authorization] = "Basic dXNlcjpwYXNz"
                #expect(try await client.call(method, uri, headers: basic).status == .unauthorized)
            }
            // A token is not a password: a near miss of a real one is refused too.
            let nearMiss = String(server.tokenA.dropLast()) + (server.tokenA.hasSuffix("0") ? "1" : "0")
            #expect(try await client.call(.get, "/v1/batches/x", token: nearMiss).status == .unauthorized)
            // Unknown paths are 401 without a token and 404 with one.
            #expect(try await client.execute(uri: "/v2/whatever", method: .get).status == .unauthorized)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(server.tokenA)"
            let unknown = try await client.execute(uri: "/v2/whatever", method: .get, headers: headers)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
        }
    }

    @Test func publicRoutesNeedNoToken() async throws {
        try await TestServer.withRouter { _, client in
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == .ok && health.json?["status"]?.stringValue == "ok")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok && metrics.text.contains("via_records_received_total"))
            let document = try await client.call(.get, "/openapi.yaml")
            #expect(document.status == .ok && document.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test func metricsCanRequireTheirOwnToken() async throws {
        try await TestServer.withRouter(metricsToken: "scrape-secret") { server, client in
            let anonymous = try await client.call(.get, "/metrics")
            #expect(anonymous.status == .unauthorized)
            // A station token does not open /metrics.
            let station = try await client.call(.get, "/metrics", token: server.tokenA)
            #expect(station.status == .unauthorized)
            let scraper = try await client.call(.get, "/metrics", token: "scrape-secret")
            #expect(scraper.status == .ok)
        }
    }

    @Test func aRevokedTokenIsRefusedFromTheNextRequestOn() async throws {
        try await TestServer.withRouter { server, client in
            let upload = try TestUpload.make()
            defer { upload.remove() }
            #expect(try await client.upload(upload, token: server.tokenA).status == .created)
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenA).status == .ok)
            // SQLite would read an id up to a NUL: "20261018-0001%00x" must not find "20261018-0001".
            #expect(try await client.call(.get, "/v1/batches/20261018-0001%00x", token: server.tokenA).status == .notFound)
            #expect(try await client.call(.get, "/v1/records/15060200126101800%00", token: server.tokenA).status == .notFound)
            #expect(try await client.call(.get, "/v1/records/15060200126101800", token: server.tokenA).status == .ok)
            // A second token of the same station works alongside the first.
            let second = try server.store.issueToken(station: TestServer.stationA).secret
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: second).status == .ok)
            #expect(try server.store.revokeTokens(station: TestServer.stationA) == 2)
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenA).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: second).status == .unauthorized)
            #expect(try await client.upload(upload, token: server.tokenA).status == .unauthorized)
            // The other station's token is untouched, and a new token for the station works again.
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenB).status == .notFound)
            let fresh = try server.store.issueToken(station: TestServer.stationA).secret
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: fresh).status == .ok)
            #expect(try server.store.tokens(station: TestServer.stationA).map { $0.revokedAt == nil } == [false, false, true])
            // Issuing and revoking are in the audit log, and the chain still verifies.
            let log = try server.store.verifyAuditLog()
            #expect(log.firstBroken == nil)
        }
    }

    @Test func tokensAreStoredOnlyAsHashes() throws {
        let temporary = try TemporaryStore(stations: TestServer.registry)
        defer { temporary.remove() }
        let issued = try temporary.store.issueToken(station: TestServer.stationA)
        #expect(issued.secret.hasPrefix("via_") && issued.secret.count == 68)
        let stored = try temporary.store.read { db in try String.fetchAll(db, sql: "SELECT token_sha256 FROM station_token") }
        #expect(stored.count == 1 && stored[0] != issued.secret && !stored[0].contains(issued.secret.dropFirst(4)))
        #expect(try temporary.store.station(forToken: issued.secret) == TestServer.stationA)
        #expect(throws: TokenError.unknownStation("999")) { try temporary.store.issueToken(station: "999") }
    }

    @Test func aTokenSeesOnlyItsOwnStation() async throws {
        try await TestServer.withRouter { server, client in
            let upload = try TestUpload.make()
            defer { upload.remove() }
            #expect(try await client.upload(upload, token: server.tokenA).status == .created)
            // Station B cannot read station A's batch or record: 404, exactly like something that does not exist.
            let foreign = try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenB)
            let missing = try await client.call(.get, "/v1/batches/20261018-9999", token: server.tokenB)
            #expect(foreign.status == .notFound && missing.status == .notFound)
            #expect(foreign.errorCode == missing.errorCode)
            #expect(foreign.errorMessage?.contains("from this station") == true)
            let record = try await client.call(.get, "/v1/records/15060200126101800", token: server.tokenB)
            #expect(record.status == .notFound)
            // Station B cannot submit a batch that names station A: 404, and nothing is stored.
            let other = try TestUpload.make(batchId: "B-sends-A")
            defer { other.remove() }
            let refused = try await client.upload(other, token: server.tokenB)
            #expect(refused.status == .notFound)
            #expect(try server.batchCount() == 1)
            // A batch.json naming station A in its first "station" key and B in a duplicate one: readers disagree on
            // which wins, so the station is checked again on the batch exactly as it would be stored.
            let manifest = String(decoding: other.manifest, as: UTF8.self)
            let spoofed = manifest.replacingOccurrences(of: "{", with: "{\"station\": \"\(TestServer.stationA)\", ", options: [], range: manifest.range(of: "{"))
                .replacingOccurrences(of: "\"station\" : \"\(TestServer.stationA)\"", with: "\"station\" : \"\(TestServer.stationB)\"")
            try Data(spoofed.utf8).write(to: other.folder.appendingPathComponent("batch.json"))
            #expect(spoofed.components(separatedBy: "\"station\"").count == 3, "\(spoofed.prefix(200))")
            let duplicateKeys = try await client.upload(other, token: server.tokenB)
            #expect(duplicateKeys.status == .notFound, "\(duplicateKeys.text)")
            #expect(try server.batchCount() == 1)
            // Station B may use the same batch id for its own batch: batch ids are per station.
            let own = try TestUpload.make(station: TestServer.stationB, photoSeed: 500)
            defer { own.remove() }
            let stored = try await client.upload(own, token: server.tokenB)
            #expect(stored.status == .created, "\(stored.text)")
            #expect(try stored.decode(Receipt.self).station == TestServer.stationB)
            #expect(try await client.call(.get, "/v1/batches/20261018-0001", token: server.tokenA).decode(Receipt.self).station
                    == TestServer.stationA)
        }
    }

    @Test func findingsAboutAnotherStationsRecordsHideItsIdentifiers() async throws {
        try await TestServer.withRouter { server, client in
            let first = try TestUpload.make(batchId: "a-original", photoSeed: 77)
            defer { first.remove() }
            #expect(try await client.upload(first, token: server.tokenA).status == .created)
            // Station B sends the very same photos for a vehicle of its own.
            let copy = try TestUpload.make([TestBatches.record("B-COPY-1")], batchId: "b-copy", station: TestServer.stationB, photoSeed: 77)
            defer { copy.remove() }
            let response = try await client.upload(copy, token: server.tokenB)
            #expect(response.status == .created, "\(response.text)")
            let receipt = try response.decode(Receipt.self)
            let duplicates = receipt.records.flatMap(\.findings).filter { $0.rule == "photo.duplicate" }
            #expect(!duplicates.isEmpty)
            for text in [response.text, try await client.call(.get, "/v1/batches/b-copy", token: server.tokenB).text,
                         try await client.call(.get, "/v1/records/B-COPY-1", token: server.tokenB).text] {
                #expect(!text.contains(TestServer.stationA) && !text.contains("a-original") && !text.contains("15060200126101800"),
                        "station B sees station A's identifiers: \(text.prefix(400))")
                #expect(text.contains("another station"))
            }
            // The store (and so the reviewers) keep the whole finding.
            let stored = try #require(try server.store.storedBatch(station: TestServer.stationB, batchId: "b-copy"))
            #expect(stored.receipt.records.flatMap(\.findings).contains { $0.evidence["other_station"] == .string(TestServer.stationA) })
        }
    }
}
