import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import Store
import Testing
import VIACore
import VIATesting

/// A server over a fresh store holding two stations (the canonical example station and a copy of it with another
/// code), with a token for each.
struct TestServer: Sendable {
    static let stationA = ExampleWorld.stationCode
    static let stationB = "150602099"

    let temporary: TemporaryStore
    let server: ViaServer
    let tokenA: String
    let tokenB: String
    let logs: LogOutput
    let uploadRoot: URL

    var store: ViaStore { temporary.store }

    static var registry: StationRegistry {
        var other = ExampleWorld().station
        other.code = stationB
        other.name = "另一个示例检测站"
        return StationRegistry(stations: [ExampleWorld().station, other])
    }

    init(limits: ServerLimits = ServerLimits(), metricsToken: String? = nil) throws {
        temporary = try TemporaryStore(stations: Self.registry)
        tokenA = try temporary.store.issueToken(station: Self.stationA, label: "tests").secret
        tokenB = try temporary.store.issueToken(station: Self.stationB).secret
        uploadRoot = try TestPhotos.temporaryFolder("via-uploads")
        let logs = LogOutput.memory()
        self.logs = logs
        var logger = Logger(label: "via.serve.test") { label in JSONLogHandler(label: label, output: logs) }
        logger.logLevel = .info
        server = try ViaServer(store: temporary.store, catalog: TestBatches.catalog,
                               configuration: ServerConfiguration(host: "127.0.0.1", port: 0, limits: limits, uploadRoot: uploadRoot,
                                                                  metricsToken: metricsToken),
                               logger: logger)
    }

    func remove() {
        temporary.remove()
        try? FileManager.default.removeItem(at: uploadRoot)
    }

    /// Runs `body` against the router (no sockets) and removes everything afterwards.
    static func withRouter<T>(limits: ServerLimits = ServerLimits(), metricsToken: String? = nil,
                              _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> T) async throws -> T {
        let server = try TestServer(limits: limits, metricsToken: metricsToken)
        defer { server.remove() }
        return try await server.server.application().test(.router) { client in try await body(server, client) }
    }

    /// Batches stored so far (for "nothing half-stored" checks).
    func batchCount() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") ?? 0 }
    }

    /// Upload folders left behind by finished requests (should be none).
    func leftoverUploads() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: server.uploadFolder.path)) ?? []
    }
}

/// A batch folder written by `TestBatches.write`, and its multipart encoding.
struct TestUpload {
    let folder: URL

    /// A batch of `records` (canonical records with their own inspection ids) for `station`.
    static func make(_ records: [JSONValue]? = nil, batchId: String = "20261018-0001", station: String = TestServer.stationA,
                     photoSeed: UInt64 = 1) throws -> TestUpload {
        let folder = try TestPhotos.temporaryFolder("via-upload-batch")
        try TestBatches.write(records ?? [TestBatches.record("15060200126101800")], batchId: batchId, station: station,
                              into: folder, photoSeed: photoSeed)
        return TestUpload(folder: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    var manifest: Data { (try? Data(contentsOf: folder.appendingPathComponent("batch.json"))) ?? Data() }

    /// Every photo file, by relative path, sorted.
    var photos: [(path: String, data: Data)] {
        let root = folder.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [(String, Data)] = []
        while let path = enumerator?.nextObject() as? String {
            guard path != "batch.json", let data = try? Data(contentsOf: URL(fileURLWithPath: root).appendingPathComponent(path)) else { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: URL(fileURLWithPath: root).appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append((path, data)) }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The upload as `multipart/form-data`: the batch part first, then one part per photo.
    func multipart(boundary: String = Multipart.boundary) -> Data {
        var parts = [Multipart.Part(name: "batch", filename: "batch.json", contentType: "application/json", data: manifest)]
        parts += photos.map { Multipart.Part(name: "photo", filename: $0.path, contentType: "image/jpeg", data: $0.data) }
        return Multipart.encode(parts, boundary: boundary)
    }
}

/// Builds multipart/form-data bodies, including malformed ones.
enum Multipart {
    static let boundary = "via-test-boundary-7MA4YWxkTrZu0gW"

    struct Part {
        var name: String?
        var filename: String?
        var contentType: String? = nil
        var data: Data
        /// Replaces the Content-Disposition header when set (for malformed parts).
        var disposition: String? = nil
    }

    static func encode(_ parts: [Part], boundary: String = boundary, close: Bool = true) -> Data {
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\n".utf8))
            if let disposition = part.disposition {
                body.append(Data("Content-Disposition: \(disposition)\r\n".utf8))
            } else {
                var disposition = "form-data"
                if let name = part.name { disposition += "; name=\"\(name)\"" }
                if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
                body.append(Data("Content-Disposition: \(disposition)\r\n".utf8))
            }
            if let type = part.contentType { body.append(Data("Content-Type: \(type)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        if close { body.append(Data("--\(boundary)--\r\n".utf8)) }
        return body
    }

    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

extension TestClientProtocol {
    /// Sends a request with the station token (when given) and checks the response against openapi.yaml.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, headers: HTTPFields = [:], body: Data? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        let problems = OpenAPISpec.shared.check(method: method.rawValue, uri: uri, status: Int(response.status.code),
                                                headers: response.headers, body: Data(buffer: response.body))
        #expect(problems.isEmpty, "\(method) \(uri) → \(response.status.code) does not match openapi.yaml: \(problems)",
                sourceLocation: sourceLocation)
        return response
    }

    /// Uploads a batch folder as multipart.
    func upload(_ upload: TestUpload, token: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = Multipart.contentType
        return try await call(.post, "/v1/batches", token: token, headers: headers, body: upload.multipart(), sourceLocation: sourceLocation)
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) }
    var text: String { String(buffer: body) }
    var errorCode: String? { json?["error"]?["code"]?.stringValue }
    var errorMessage: String? { json?["error"]?["message"]?.stringValue }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONCoding.decoder().decode(type, from: Data(buffer: body)) }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
