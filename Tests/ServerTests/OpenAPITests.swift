import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import VIACore
import Yams

/// openapi.yaml: served verbatim, complete, and real responses match it (every `call` in these tests checks its
/// response against the document; these tests check the document and the checker).
@Suite struct OpenAPITests {
    @Test func theServedDocumentIsTheCommittedFile() throws {
        let file = try String(contentsOf: OpenAPISpec.fileURL, encoding: .utf8)
        #expect(OpenAPIDocument.yaml == file, "the served document is compiled from the committed openapi.yaml")
        #expect(OpenAPIDocument.yaml.hasPrefix("openapi: 3.1.0\n"))
    }

    @Test func theDocumentIsOpenAPI31AndDescribesEveryRoute() throws {
        let spec = OpenAPISpec.shared
        #expect(spec.root["openapi"] as? String == "3.1.0")
        let operations = spec.paths.flatMap { path, item in
            ((item as? [String: Any]) ?? [:]).keys.map { "\($0.uppercased()) \(path)" }
        }
        #expect(Set(operations) == ["POST /v1/batches", "GET /v1/batches/{batch_id}", "GET /v1/records/{inspection_id}",
                                    "GET /healthz", "GET /metrics", "GET /openapi.yaml"])
        let schemas = (spec.root["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        for name in ["Receipt", "RecordResult", "Finding", "RecordStatus", "Decision", "Error", "Health"] {
            #expect(schemas[name] != nil, "schema \(name)")
        }
        // Every $ref resolves.
        func refs(_ node: Any) -> [String] {
            if let object = node as? [String: Any] {
                let own = (object["$ref"] as? String).map { [$0] } ?? []
                return own + object.values.flatMap(refs)
            }
            if let array = node as? [Any] { return array.flatMap(refs) }
            return []
        }
        for ref in refs(spec.root) { #expect(spec.resolve(["$ref": ref]) != nil, "unresolved \(ref)") }
    }

    @Test func everyDocumentedOperationIsServed() async throws {
        try await TestServer.withRouter { server, client in
            for (method, uri) in [(HTTPRequest.Method.post, "/v1/batches"), (.get, "/v1/batches/x"), (.get, "/v1/records/x"),
                                  (.get, "/healthz"), (.get, "/metrics"), (.get, "/openapi.yaml")] {
                let response = try await client.call(method, uri, token: server.tokenA)
                #expect(response.status != .methodNotAllowed)
                // 404 here must be the route's own "not for this station" answer, not an unknown route.
                if response.status == .notFound { #expect(response.errorMessage?.contains("from this station") == true) }
            }
        }
    }

    @Test func theCheckerCatchesResponsesThatDoNotMatch() {
        let spec = OpenAPISpec.shared
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPFields.Element.Name("X-Request-Id")!] = "r1"
        let good = Data(#"{"batch_id":"b","station":"s","records":[],"summary":{"records":0,"passed":0,"returned":0,"flagged":0}}"#.utf8)
        #expect(spec.check(method: "GET", uri: "/v1/batches/b", status: 200, headers: headers, body: good).isEmpty)
        let missing = Data(#"{"batch_id":"b","station":"s","records":[]}"#.utf8)
        #expect(spec.check(method: "GET", uri: "/v1/batches/b", status: 200, headers: headers, body: missing)
            .contains { $0.contains("summary") })
        let wrongType = Data(#"{"batch_id":"b","station":"s","records":[{"inspection_id":"i","status":"odd","sampled":"no","ruleset":null,"findings":[],"check_ms":1}],"summary":{"records":0,"passed":0,"returned":0,"flagged":0}}"#.utf8)
        let problems = spec.check(method: "GET", uri: "/v1/batches/b", status: 200, headers: headers, body: wrongType)
        #expect(problems.contains { $0.contains("sampled") } && problems.contains { $0.contains("odd") })
        #expect(!spec.check(method: "GET", uri: "/v1/batches/b", status: 418, headers: headers, body: good).isEmpty)
        var noId = headers
        noId[HTTPFields.Element.Name("X-Request-Id")!] = nil
        #expect(spec.check(method: "GET", uri: "/v1/batches/b", status: 200, headers: noId, body: good).contains { $0.contains("X-Request-Id") })
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await TestServer.withRouter { server, client in
            _ = try await client.call(.get, "/v1/batches/a", token: server.tokenA)
            _ = try await client.call(.get, "/v1/batches/b", token: server.tokenA)
            _ = try await client.call(.get, "/v1/batches/b")
            let metrics = try await client.call(.get, "/metrics").text
            #expect(metrics.contains(#"via_http_requests_total{method="GET",route="/v1/batches/{batch_id}",status="404"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"via_http_request_duration_seconds_bucket{le="+Inf",route="/v1/batches/{batch_id}"} 3"#))
            #expect(metrics.contains("# TYPE via_http_request_duration_seconds histogram"))
            #expect(metrics.contains("via_queue_depth"), "the supervision figures are there too")
            // Every sample line is `name{labels} value`.
            for line in metrics.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.split(separator: " ").count == 2 && Double(line.split(separator: " ").last ?? "") != nil, "\(line)")
            }
        }
    }

    @Test func requestIdsAreEchoedAndLogged() async throws {
        try await TestServer.withRouter { server, client in
            var headers = HTTPFields()
            headers[HTTPFields.Element.Name("X-Request-Id")!] = "lane-7.vehicle-42"
            let response = try await client.call(.get, "/healthz", headers: headers)
            #expect(response.headers[HTTPFields.Element.Name("X-Request-Id")!] == "lane-7.vehicle-42")
            headers[HTTPFields.Element.Name("X-Request-Id")!] = "bad id with spaces"
            let generated = try await client.call(.get, "/healthz", headers: headers)
            let id = try #require(generated.headers[HTTPFields.Element.Name("X-Request-Id")!])
            #expect(id != "bad id with spaces" && !id.isEmpty)
            let lines = server.logs.lines
            let entry = try #require(lines.first { $0.contains("lane-7.vehicle-42") })
            let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(entry.utf8))
            #expect(parsed["msg"]?.stringValue == "request" && parsed["route"]?.stringValue == "/healthz")
            #expect(parsed["status"]?.stringValue == "200" && parsed["level"]?.stringValue == "info")
            #expect(lines.contains { $0.contains(id) })
        }
    }
}
