import Foundation
import GRDB
import Store
import Testing
import VIATesting
#if canImport(Glibc)
import Glibc
#endif

/// `via serve` and `via stations token` through the built binary: tokens, kill -9 in the middle of uploads (the
/// store stays whole, the retry succeeds), and SIGTERM letting an upload in flight finish.
@Suite(.serialized) struct ServeCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func run(_ arguments: [String]) throws -> ViaBinary.Result {
        try ViaBinary.run(arguments, directory: Self.root)
    }

    func freshStore() throws -> URL {
        let store = try TestPhotos.temporaryFolder("via-e2e-serve")
        let imported = try run(["stations", "import", "samples/stations.yaml", "--store", store.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    func issueToken(_ store: URL, station: String = "150602001") throws -> String {
        let issued = try run(["stations", "token", station, "--store", store.path])
        #expect(issued.status == 0, "\(issued.stderr)")
        return issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh store with a token for station 150602001, an empty upload folder, and the multipart body of a
    /// generated batch of `records` (320×240 photos).
    func scenario(records: Int, seed: Int, batchId: String, defectRate: Double) throws -> (store: URL, uploads: URL, body: Data, token: String) {
        let store = try freshStore()
        let batch = try TestPhotos.temporaryFolder("via-e2e-serve-batch")
        defer { try? FileManager.default.removeItem(at: batch) }
        let generated = try run(["samples", "generate", batch.path, "--records", "\(records)", "--seed", "\(seed)", "--batch-id", batchId,
                                 "--station", "150602001", "--photo-size", "320x240", "--defect-rate", "\(defectRate)"])
        #expect(generated.status == 0, "\(generated.stderr)")
        return (store, try TestPhotos.temporaryFolder("via-e2e-serve-uploads"), try Self.multipart(batch, boundary: Self.boundary),
                try issueToken(store))
    }

    /// A running `via serve` on a free port.
    final class Server {
        let process = Process()
        let port: Int
        private let output = Pipe()

        init(store: URL, uploads: URL, extra: [String] = []) throws {
            process.executableURL = ViaBinary.url
            process.arguments = ["serve", "--store", store.path, "--port", "0", "--upload-dir", uploads.path, "--log-level", "warning"] + extra
            process.currentDirectoryURL = ServeCommandTests.root
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // The one stdout line: "via serve listening on http://127.0.0.1:PORT (store …)".
            var text = ""
            let deadline = Date().addingTimeInterval(60)
            while !text.contains("\n"), Date() < deadline, process.isRunning {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                  let port = Int(text[range].split(separator: ":").last ?? "") else {
                process.terminate()
                throw ServerError.didNotStart(text)
            }
            self.port = port
        }

        enum ServerError: Error { case didNotStart(String) }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
        }
    }

    /// The multipart body of a batch folder: the batch part, then every photo under its relative path.
    static func multipart(_ folder: URL, boundary: String) throws -> Data {
        var body = Data()
        func part(_ name: String, _ filename: String, _ data: Data) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n\r\n".utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        part("batch", "batch.json", try Data(contentsOf: folder.appendingPathComponent("batch.json")))
        let base = folder.standardizedFileURL.path
        let paths = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".jpg") }.sorted()
        for path in paths { part("photo", path, try Data(contentsOf: URL(fileURLWithPath: base).appendingPathComponent(path))) }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    static let boundary = "e2e-boundary-3b1f"

    func post(_ body: Data, port: Int, token: String) throws -> (status: Int, body: String)? {
        let connection = try RawHTTP(port: port)
        try connection.send(RawHTTP.head("POST", "/v1/batches", token: token,
                                         contentType: "multipart/form-data; boundary=\(Self.boundary)", length: body.count))
        try connection.send(body)
        return connection.response(timeout: 120).map { ($0.status, String(decoding: $0.body, as: UTF8.self)) }
    }

    @Test func stationTokensAreIssuedListedAndRevoked() throws {
        let store = try freshStore()
        defer { try? FileManager.default.removeItem(at: store) }
        let first = try issueToken(store)
        #expect(first.hasPrefix("via_") && first.count == 68)
        let second = try run(["stations", "token", "150602001", "--label", "lane 2 PC", "--store", store.path, "--json"])
        #expect(second.status == 0 && second.stdout.contains("\"token\" : \"via_"))
        let list = try run(["stations", "token", "150602001", "--list", "--store", store.path])
        #expect(list.stdout.contains("token 1") && list.stdout.contains("lane 2 PC") && !list.stdout.contains(first))
        let revoked = try run(["stations", "token", "150602001", "--revoke", "--store", store.path])
        #expect(revoked.status == 0 && revoked.stdout.contains("revoked 2 token(s)"))
        let unknown = try run(["stations", "token", "999999999", "--store", store.path])
        #expect(unknown.status == 65 && unknown.stderr.contains("not in the store's registry"))
        let opened = try ViaStore(directory: store)
        #expect(try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM station_token WHERE revoked_at IS NULL") } == 0)
        #expect(try opened.verifyAuditLog().firstBroken == nil)
    }

    @Test func killingTheServerMidUploadLeavesNothingHalfStoredAndTheRetrySucceeds() throws {
        let (store, uploads, body, token) = try scenario(records: 20, seed: 91, batchId: "serve-kill", defectRate: 0.2)
        defer {
            for folder in [store, uploads] { try? FileManager.default.removeItem(at: folder) }
        }

        // 1. Killed while the body is still arriving.
        var server = try Server(store: store, uploads: uploads)
        let connection = try RawHTTP(port: server.port)
        try connection.send(RawHTTP.head("POST", "/v1/batches", token: token,
                                         contentType: "multipart/form-data; boundary=\(Self.boundary)", length: body.count))
        try connection.send(body.prefix(body.count / 2))
        usleep(300_000)
        server.kill9()
        try StoreCommandTests.assertConsistent(store, allowing: "serve-kill")
        #expect(try batchCount(store) == 0)
        let abandoned = try FileManager.default.contentsOfDirectory(atPath: uploads.path)
        #expect(abandoned.count == 1, "the killed server's upload folder is still there: \(abandoned)")

        // 2. Killed at spread-out moments after the whole body was sent (receiving, analysing, committing).
        server = try Server(store: store, uploads: uploads)
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).count == 1,
                "the new server removed the dead one's folder and made its own")
        let started = Date()
        let full = try #require(try post(body, port: server.port, token: token))
        let duration = Date().timeIntervalSince(started)
        #expect(full.status == 201, "\(full.body)")
        // That stored it; measure on a second store from now on.
        server.stop()
        let second = try freshStore()
        defer { try? FileManager.default.removeItem(at: second) }
        let secondToken = try issueToken(second)
        var random = SeededRandomNumbers(seed: 5)
        for attempt in 0..<4 {
            let server = try Server(store: second, uploads: uploads)
            let connection = try RawHTTP(port: server.port)
            try connection.send(RawHTTP.head("POST", "/v1/batches", token: secondToken,
                                             contentType: "multipart/form-data; boundary=\(Self.boundary)", length: body.count))
            try connection.send(body)
            usleep(useconds_t(duration * (0.1 + 0.9 * (Double(attempt) + random.unit()) / 4) * 1_000_000))
            server.kill9()
            try StoreCommandTests.assertConsistent(second, allowing: "serve-kill")
            let stored = try batchCount(second)
            #expect(stored == 0 || stored == 1)
        }
        // 3. The station retries on a restarted server: stored (or recognised as stored), once.
        let final = try Server(store: second, uploads: uploads)
        defer { final.stop() }
        let retry = try #require(try post(body, port: final.port, token: secondToken))
        #expect(retry.status == 201 || retry.status == 200, "\(retry.body)")
        let again = try #require(try post(body, port: final.port, token: secondToken))
        #expect(again.status == 200)
        try StoreCommandTests.assertConsistent(second, allowing: "serve-kill")
        let opened = try ViaStore(directory: second)
        #expect(try opened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM record") } == 20)
    }

    @Test func sigtermLetsTheUploadInFlightFinish() throws {
        let (store, uploads, body, token) = try scenario(records: 3, seed: 92, batchId: "serve-term", defectRate: 0)
        defer {
            for folder in [store, uploads] { try? FileManager.default.removeItem(at: folder) }
        }
        let server = try Server(store: store, uploads: uploads)
        let connection = try RawHTTP(port: server.port)
        try connection.send(RawHTTP.head("POST", "/v1/batches", token: token,
                                         contentType: "multipart/form-data; boundary=\(Self.boundary)", length: body.count))
        try connection.send(body.prefix(body.count / 2))
        usleep(200_000)
        kill(server.process.processIdentifier, SIGTERM)
        usleep(300_000)
        #expect(server.process.isRunning, "the server waits for the upload in flight")
        // New connections are no longer accepted.
        #expect((try? RawHTTP(port: server.port)) == nil)
        try connection.send(body.suffix(from: body.count / 2))
        let response = try #require(connection.response(timeout: 60))
        #expect(response.status == 201, "\(response.head)")
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(try batchCount(store) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty, "the server removed its upload folder")
    }

    func batchCount(_ store: URL) throws -> Int {
        try ViaStore(directory: store).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") ?? -1 }
    }
}
