import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing
import VIACore
import VIATesting

/// Limits, malformed multipart, path tricks and content types: each refused with its status and a message, nothing
/// stored, no upload folder left behind.
@Suite struct LimitsTests {
    func post(_ client: any TestClientProtocol, _ server: TestServer, body: Data, contentType: String? = Multipart.contentType,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        return try await client.call(.post, "/v1/batches", token: server.tokenA, headers: headers, body: body, sourceLocation: sourceLocation)
    }

    func expectNothingStored(_ server: TestServer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try server.batchCount() == 0, sourceLocation: sourceLocation)
        #expect(server.leftoverUploads().isEmpty, sourceLocation: sourceLocation)
        #expect(try server.store.integrityProblems().isEmpty, sourceLocation: sourceLocation)
    }

    @Test func sizeAndCountLimitsAre413() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        let largest = upload.photos.map(\.data.count).max() ?? 0

        // Whole body over the limit (declared length).
        try await TestServer.withRouter(limits: ServerLimits(maxBodyBytes: body.count - 1)) { server, client in
            let response = try await post(client, server, body: body)
            #expect(response.status == .contentTooLarge && response.errorCode == "body_too_large")
            #expect(response.errorMessage?.contains("\(body.count - 1)") == true)
            try expectNothingStored(server)
        }
        // One photo over the part limit.
        try await TestServer.withRouter(limits: ServerLimits(maxPartBytes: largest - 1)) { server, client in
            let response = try await post(client, server, body: body)
            #expect(response.status == .contentTooLarge && response.errorCode == "photo_too_large")
            #expect(response.errorMessage?.contains("photos/15060200126101800/") == true)
            try expectNothingStored(server)
        }
        // More photos than allowed.
        try await TestServer.withRouter(limits: ServerLimits(maxPhotos: 3)) { server, client in
            let response = try await post(client, server, body: body)
            #expect(response.status == .contentTooLarge && response.errorCode == "too_many_photos")
            #expect(response.errorMessage == "more than 3 photo parts in one upload")
            try expectNothingStored(server)
        }
        // batch.json over its limit.
        try await TestServer.withRouter(limits: ServerLimits(maxManifestBytes: 100)) { server, client in
            let response = try await post(client, server, body: body)
            #expect(response.status == .contentTooLarge && response.errorCode == "batch_too_large")
            try expectNothingStored(server)
        }
        // Exactly at the limits everything passes.
        try await TestServer.withRouter(limits: ServerLimits(maxBodyBytes: body.count, maxPhotos: upload.photos.count, maxPartBytes: largest,
                                                             maxManifestBytes: upload.manifest.count)) { server, client in
            let response = try await post(client, server, body: body)
            #expect(response.status == .created)
        }
    }

    @Test func pathTricksInPartFilenamesAre400() async throws {
        let photo = Data(TestPhotos.jpeg(seed: 3))
        let manifest = TestUpload.minimalManifest
        try await TestServer.withRouter { server, client in
            let tricks: [(String, String)] = [
                ("/etc/passwd", "absolute"), ("../outside.jpg", ".."), ("photos/../../x.jpg", ".."), ("photos/a\u{0}.jpg", "NUL"),
                ("photos\\0111.jpg", "backslash"), ("C:/photos/0111.jpg", "absolute"), ("~/x.jpg", "absolute"), ("photos/", "folder"),
                ("batch.json", "batch.json"), ("a\u{7}b.jpg", "control"),
            ]
            for (filename, word) in tricks {
                let body = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: manifest),
                                             Multipart.Part(name: "photo", filename: filename, data: photo)])
                let response = try await post(client, server, body: body)
                #expect(response.status == .badRequest, "\(filename.debugDescription): \(response.status)")
                #expect(response.errorCode == "invalid_filename", "\(filename.debugDescription): \(response.text)")
                #expect(response.errorMessage?.contains(word) == true, "\(filename.debugDescription): \(response.text)")
            }
            // A backslash cannot be smuggled through a quoted-string escape either.
            let escaped = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: manifest),
                                            Multipart.Part(name: nil, filename: nil, data: photo,
                                                           disposition: #"form-data; name="photo"; filename="..\..\x.jpg""#)])
            #expect(try await post(client, server, body: escaped).errorCode == "invalid_filename")
            // RFC 5987 filenames are decoded first, then checked.
            let extended = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: manifest),
                                             Multipart.Part(name: nil, filename: nil, data: photo,
                                                            disposition: "form-data; name=\"photo\"; filename*=UTF-8''..%2F..%2Fx.jpg")])
            #expect(try await post(client, server, body: extended).errorCode == "invalid_filename")
            let twice = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: manifest),
                                          Multipart.Part(name: "photo", filename: "p/a.jpg", data: photo),
                                          Multipart.Part(name: "photo", filename: "p/./a.jpg", data: photo)])
            #expect(try await post(client, server, body: twice).errorCode == "duplicate_filename")
            // A path that is a file in one part and a folder in another cannot be a batch directory, in either order.
            for (first, second) in [("p/a.jpg", "p/a.jpg/b.jpg"), ("p/a.jpg/b.jpg", "./p//a.jpg")] {
                let clash = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: manifest),
                                              Multipart.Part(name: "photo", filename: first, data: photo),
                                              Multipart.Part(name: "photo", filename: second, data: photo)])
                let response = try await post(client, server, body: clash)
                #expect(response.errorCode == "invalid_filename" && response.errorMessage?.contains("clashes") == true,
                        "\(first) + \(second): \(response.text)")
            }
            try expectNothingStored(server)
        }
    }

    @Test func malformedMultipartIs400() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        let body = upload.multipart()
        try await TestServer.withRouter { server, client in
            // Cut short: no closing boundary.
            let cut = try await post(client, server, body: body.prefix(body.count / 2))
            #expect(cut.status == .badRequest && cut.errorCode == "bad_multipart", "\(cut.text)")
            #expect(cut.errorMessage?.contains("closing boundary") == true)
            let cutAtEnd = try await post(client, server, body: body.prefix(body.count - 8))
            #expect(cutAtEnd.status == .badRequest, "\(cutAtEnd.text)")
            // Not multipart at all, but declared as such.
            let garbage = try await post(client, server, body: Data("hello world, no boundary here".utf8))
            #expect(garbage.status == .badRequest)
            // A part header line without a colon.
            var broken = Data("--\(Multipart.boundary)\r\nthis is not a header\r\n\r\nxx\r\n--\(Multipart.boundary)--\r\n".utf8)
            #expect(try await post(client, server, body: broken).errorCode == "bad_multipart")
            // A part without Content-Disposition.
            broken = Data("--\(Multipart.boundary)\r\nContent-Type: text/plain\r\n\r\nxx\r\n--\(Multipart.boundary)--\r\n".utf8)
            #expect(try await post(client, server, body: broken).errorCode == "bad_multipart")
            // A boundary that is not the declared one: no parts, no close.
            let other = try await post(client, server, body: upload.multipart(boundary: "something-else"))
            #expect(other.status == .badRequest)
            // No batch part.
            let noBatch = Multipart.encode([Multipart.Part(name: "photo", filename: "a.jpg", data: Data([0xFF, 0xD8]))])
            let missing = try await post(client, server, body: noBatch)
            #expect(missing.errorCode == "missing_batch" && missing.errorMessage?.contains("\"batch\"") == true)
            // Two batch parts.
            let two = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: upload.manifest),
                                        Multipart.Part(name: "batch", filename: nil, data: upload.manifest)])
            #expect(try await post(client, server, body: two).errorCode == "bad_multipart")
            // A field that is neither the batch nor a file.
            let field = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: upload.manifest),
                                          Multipart.Part(name: "comment", filename: nil, data: Data("hi".utf8))])
            #expect(try await post(client, server, body: field).errorCode == "bad_multipart")
            // Bytes ≥ 0x80 in a header name (they crashed the multipart library via used before: a table lookup past its end) and a
            // header line that never ends: 400, the server keeps serving.
            var highBytes = Data("--\(Multipart.boundary)\r\n".utf8)
            highBytes.append(contentsOf: [0xC3, 0xA9, 0xFF])
            highBytes.append(Data(": x\r\n\r\nxx\r\n--\(Multipart.boundary)--\r\n".utf8))
            let high = try await post(client, server, body: highBytes)
            #expect(high.status == .badRequest, "\(high.text)")
            let endless = Data(("--\(Multipart.boundary)\r\nX-Long: " + String(repeating: "a", count: 100_000)).utf8)
            let long = try await post(client, server, body: endless)
            #expect(long.errorCode == "bad_multipart" && long.errorMessage?.contains("longer than") == true, "\(long.text)")
            // A photo path through a folder named batch.json (where batch.json itself must go).
            let shadow = Multipart.encode([Multipart.Part(name: "batch", filename: "batch.json", data: upload.manifest),
                                           Multipart.Part(name: "photo", filename: "batch.json/x.jpg", data: Data([0xFF, 0xD8]))])
            let shadowed = try await post(client, server, body: shadow)
            #expect(shadowed.errorCode == "invalid_filename", "\(shadowed.text)")
            // An empty body.
            #expect(try await post(client, server, body: Data()).status == .badRequest)
            try expectNothingStored(server)
        }
    }

    @Test func wrongContentTypesAre415Or400() async throws {
        let upload = try TestUpload.make()
        defer { upload.remove() }
        try await TestServer.withRouter { server, client in
            for type in ["application/json", "text/plain", "multipart/mixed; boundary=x", "application/x-www-form-urlencoded"] {
                let response = try await post(client, server, body: upload.manifest, contentType: type)
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.errorCode == "unsupported_media_type")
            }
            #expect(try await post(client, server, body: upload.manifest, contentType: nil).status == .unsupportedMediaType)
            let noBoundary = try await post(client, server, body: upload.multipart(), contentType: "multipart/form-data")
            #expect(noBoundary.status == .badRequest && noBoundary.errorMessage?.contains("boundary") == true)
            let longBoundary = try await post(client, server, body: upload.multipart(),
                                              contentType: "multipart/form-data; boundary=" + String(repeating: "b", count: 71))
            #expect(longBoundary.status == .badRequest)
            // Case and quoting of the media type do not matter.
            let quoted = try await post(client, server, body: upload.multipart(),
                                        contentType: "Multipart/Form-Data; charset=utf-8; Boundary=\"\(Multipart.boundary)\"")
            #expect(quoted.status == .created, "\(quoted.text)")
        }
    }

    @Test func unsupportedMethodsAre405WithAllow() async throws {
        try await TestServer.withRouter { server, client in
            for (method, uri, allow) in [(HTTPRequest.Method.get, "/v1/batches", "POST"), (.delete, "/v1/batches/x", "GET"),
                                         (.put, "/v1/records/x", "GET"), (.post, "/healthz", "GET"), (.patch, "/metrics", "GET"),
                                         (.options, "/openapi.yaml", "GET"), (HTTPRequest.Method("QUERY")!, "/healthz", "GET"),
                                         (HTTPRequest.Method("PROPFIND")!, "/v1/records/x", "GET")] {
                let response = try await client.call(method, uri, token: server.tokenA)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow)
            }
            // Without a token a station route answers 401 whatever the method: nothing is revealed, not even the methods.
            let anonymous = try await client.executeRequest(uri: "/v1/batches/x", method: .delete, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized && anonymous.headers[.allow] == nil)
            // A path of no route's shape stays 404, whatever the method.
            let unknown = try await client.executeRequest(uri: "/v1/nothing", method: HTTPRequest.Method("QUERY")!,
                                                          headers: [.authorization: "Bearer \(server.tokenA)"], body: nil)
            #expect(unknown.status == .notFound)
        }
    }
}

extension TestUpload {
    /// A valid batch.json of one record (its photos are not part of the upload).
    static var minimalManifest: Data {
        let batch: JSONValue = ["format": "via-batch/1", "station": .string(TestServer.stationA), "batch_id": "tricks",
                                "records": [TestBatches.record("T1")]]
        return (try? JSONCoding.encoder().encode(batch)) ?? Data()
    }
}
