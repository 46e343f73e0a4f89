import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing
import VIACore
import VIATesting

/// Over a real socket: an upload end to end, `Expect: 100-continue`, chunked bodies over the limit, the body and
/// idle timeouts.
@Suite(.serialized) struct LiveServerTests {
    /// In-process servers share the test process's few cooperative threads with suites that block them (processes,
    /// pseudo-terminals), so a request may sit for a minute in a full parallel run on two cores: the socket tests allow
    /// that instead of mistaking it for a server fault (the timeout test sets its own short limits).
    static let patient = ServerLimits(idleTimeout: .seconds(600))

    @Test func anUploadOverARealSocket() async throws {
        let server = try TestServer(limits: Self.patient)
        defer { server.remove() }
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        // Plain sockets with generous timeouts (the test client's read timeout is a fixed 20 s, too short for a debug
        // build auditing beside the whole parallel test suite).
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            let token = server.tokenA
            let (first, second, record, health) = try await offloaded {
                func post() throws -> (status: Int, head: String, body: Data)? {
                    let connection = try RawHTTP(port: port)
                    // A client's own arrival stamp is replaced at the connection (trusted, 0 would mean "long overdue").
                    let head = RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: body.count)
                    try connection.send(String(head.dropLast()) + "X-Via-Arrived-Ns: 0\r\n\r\n") // "\r\n" is one Character
                    try connection.send(body)
                    return connection.response(timeout: 600)
                }
                func get(_ path: String, token: String?) throws -> (status: Int, head: String, body: Data)? {
                    let connection = try RawHTTP(port: port)
                    try connection.send(RawHTTP.head("GET", path, token: token, contentType: nil, length: 0))
                    return connection.response(timeout: 600)
                }
                return (try post(), try post(), try get("/v1/records/15060200126101800", token: token), try get("/healthz", token: nil))
            }
            let stored = try #require(first)
            #expect(stored.status == 201, "\(stored.head)")
            #expect(try JSONCoding.decoder().decode(Receipt.self, from: stored.body).summary.records == 1)
            #expect(second?.status == 200)
            let status = try #require(record)
            let json = try JSONDecoder().decode(JSONValue.self, from: status.body)
            #expect(status.status == 200 && json["status"]?.stringValue == "passed", "\(status.head)")
            #expect(health?.status == 200)
        }
        #expect(server.leftoverUploads().isEmpty)
    }

    @Test func uploadsBeyondTheReceivingLimitAre503UntilOneFinishes() async throws {
        var limits = Self.patient
        limits.maxReceivingUploads = 1
        let server = try TestServer(limits: limits)
        defer { server.remove() }
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        let metrics = server.server.metrics
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            let token = server.tokenA
            let (busy, stored) = try await offloaded {
                // The first upload sends half its body and pauses, holding the only receiving slot.
                let slow = try RawHTTP(port: port)
                try slow.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: body.count))
                try slow.send(body.prefix(body.count / 2))
                let deadline = Date().addingTimeInterval(600)
                while metrics.uploadsReceiving == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                let second = try RawHTTP(port: port)
                try second.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: body.count))
                try second.send(body)
                let busy = second.response(timeout: 600)
                try slow.send(body.suffix(from: body.count / 2))
                return (busy, slow.response(timeout: 600))
            }
            let refused = try #require(busy)
            #expect(refused.status == 503, "\(refused.head)")
            #expect(refused.head.lowercased().contains("retry-after: 2"), "\(refused.head)")
            let error = try JSONDecoder().decode(JSONValue.self, from: refused.body)["error"]
            #expect(error?["code"]?.stringValue == "server_busy")
            #expect(error?["message"]?.stringValue?.contains("at most 1 upload(s) at once") == true, "\(String(decoding: refused.body, as: UTF8.self))")
            #expect(stored?.status == 201, "the upload holding the slot finishes: \(stored?.head ?? "no answer")")
        }
        #expect(metrics.uploadsReceiving == 0)
        #expect(server.leftoverUploads().isEmpty)
    }

    @Test func expectContinueGetsA100BeforeTheBodyIsSent() async throws {
        let server = try TestServer(limits: Self.patient)
        defer { server.remove() }
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            let token = server.tokenA
            let (interim, response, unauthorized) = try await offloaded {
                // Accepted: 100 Continue within a fraction of a second, then the receipt.
                let connection = try RawHTTP(port: port)
                try connection.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType,
                                                 length: body.count, expectContinue: true))
                let interim = connection.receive(timeout: 600) { $0.range(of: Data("\r\n\r\n".utf8)) != nil }
                try connection.send(body)
                let response = connection.response(timeout: 600)
                // Refused up front: the final status at once, no 100, and the body never needs to be sent.
                let refused = try RawHTTP(port: port)
                try refused.send(RawHTTP.head("POST", "/v1/batches", token: nil, contentType: Multipart.contentType,
                                              length: body.count, expectContinue: true))
                return (String(decoding: interim.data, as: UTF8.self), response?.status, refused.response(timeout: 600))
            }
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"))
            #expect(response == 201)
            let refusal = try #require(unauthorized)
            #expect(refusal.status == 401)
            #expect(!refusal.head.contains("100 Continue"))
        }
    }

    @Test func aChunkedBodyOverTheLimitIsCutOffWith413() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        let server = try TestServer(limits: ServerLimits(maxBodyBytes: body.count / 2, idleTimeout: .seconds(600)))
        defer { server.remove() }
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            let token = server.tokenA
            let answer = try await offloaded {
                let connection = try RawHTTP(port: port)
                try connection.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: nil))
                // No Content-Length: the limit is found while streaming. Stop sending once refused.
                var offset = 0
                var refusedEarly = false
                while offset < body.count {
                    let piece = body[offset..<min(body.count, offset + 16384)]
                    do { try connection.send(RawHTTP.chunk(Data(piece))) } catch { refusedEarly = true; break }
                    offset += piece.count
                }
                if !refusedEarly { try? connection.send(RawHTTP.chunk(Data())) }
                let response = connection.response(timeout: 600)
                // Refused with `Connection: close`, the connection is closed: the server does not go on reading a
                // body it has refused, however long the client keeps sending.
                let afterwards = connection.receive(timeout: 60)
                // The same for a declared length over the limit, with the body still coming.
                let declared = try RawHTTP(port: port)
                try declared.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: body.count))
                try declared.send(body.prefix(1000))
                let early = declared.response(timeout: 600)
                try? declared.send(body.dropFirst(1000).prefix(1000))
                return (response, afterwards.closed, early?.status, declared.receive(timeout: 60).closed)
            }
            let response = try #require(answer.0)
            #expect(response.status == 413, "\(response.head)")
            #expect(String(decoding: response.body, as: UTF8.self).contains("body_too_large"))
            #expect(answer.1, "the connection is closed after the 413")
            #expect(answer.2 == 413)
            #expect(answer.3, "the connection is closed after a 413 for a declared length")
        }
        #expect(try server.batchCount() == 0)
        #expect(server.leftoverUploads().isEmpty)
    }

    @Test func aBodyThatTakesTooLongIs408AndASilentConnectionIsClosed() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        let server = try TestServer(limits: ServerLimits(idleTimeout: .seconds(2), bodyTimeout: .milliseconds(700)))
        defer { server.remove() }
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            let token = server.tokenA
            let (answer, closed, waited) = try await offloaded {
                // Slow body: half now, the rest after the body timeout.
                let slow = try RawHTTP(port: port)
                try slow.send(RawHTTP.head("POST", "/v1/batches", token: token, contentType: Multipart.contentType, length: body.count))
                try slow.send(body.prefix(body.count / 2))
                Thread.sleep(forTimeInterval: 1)
                try? slow.send(body.suffix(from: body.count / 2))
                let answer = slow.response(timeout: 600)
                // A request head that never completes: the connection is closed after the idle timeout.
                let silent = try RawHTTP(port: port)
                try silent.send("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                let started = Date()
                let result = silent.receive(timeout: 10)
                return (answer, result.closed, Date().timeIntervalSince(started))
            }
            let response = try #require(answer)
            #expect(response.status == 408, "\(response.head)")
            #expect(closed, "the server closes a connection that stops sending")
            #expect(waited < 6)
        }
        #expect(try server.batchCount() == 0)
        #expect(server.leftoverUploads().isEmpty)
    }
}
