import ArgumentParser
import Foundation
import Logging
import PhotoAnalysis
import Server
import Store

/// `via serve`: the HTTP intake and status API for stations.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP intake and status API for stations (upload a batch, get the receipt at once).",
        discussion: """
            POST /v1/batches takes a batch as multipart/form-data (a part named batch holding batch.json, one part per \
            photo whose filename is its path in batch.json) and answers the receipt: the same audit as `via submit`. \
            GET /v1/batches/{batch_id} and GET /v1/records/{inspection_id} read the station's own results. Every /v1 \
            route needs a station token (`via stations token STATION`); /healthz, /metrics and /openapi.yaml do not \
            (/metrics does with --metrics-token). SIGTERM or SIGINT stops accepting connections and lets the requests \
            in flight finish. Logs go to standard error, one JSON object per line by default.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one; the bound address is printed).")
    var port = 8080

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var limitOptions: PhotoLimitOptions

    @Option(help: "Largest request body in bytes (413 beyond).")
    var maxBodyBytes = ServerLimits().maxBodyBytes

    @Option(help: "Most photo parts in one upload (413 beyond).")
    var maxPhotos = ServerLimits().maxPhotos

    @Option(help: "Largest photo part in bytes (413 beyond; photos over --max-bytes but under this are audited as unreadable, as `via submit` does).")
    var maxPartBytes = ServerLimits().maxPartBytes

    @Option(help: "Largest batch part (batch.json) in bytes (413 beyond).")
    var maxManifestBytes = ServerLimits().maxManifestBytes

    @Option(help: "Largest HTTP header block in bytes.")
    var maxHeaderBytes = ServerLimits().maxHeaderBytes

    @Option(help: "Seconds a connection may stay silent (sending its request head, pausing in a body, idle keep-alive) before it is closed.")
    var idleTimeout: Double = 30

    @Option(help: "Seconds a whole request body may take to arrive (408 beyond).")
    var bodyTimeout: Double = 300

    @Option(help: "Uploads whose photos are analysed at once (default: twice the number of cores); the rest wait in order. Flushing photos and committing, which wait on the disk, happen outside this limit.")
    var maxConcurrentAudits = ServerLimits().maxConcurrentAudits

    @Option(help: "Complete uploads that may wait for an audit slot (503 with Retry-After beyond).")
    var maxWaitingAudits = ServerLimits().maxWaitingAudits

    @Option(help: "Uploads received at once, each writing up to --max-body-bytes to disk (503 with Retry-After beyond).")
    var maxReceivingUploads = ServerLimits().maxReceivingUploads

    @Option(help: ArgumentHelp("Folder for receiving uploads' photos (default: uploads/ in the store; on another filesystem every photo is copied into the store instead of moved).", valueName: "dir"))
    var uploadDir: String?

    @Option(help: "When set (or $VIA_METRICS_TOKEN), GET /metrics needs `Authorization: Bearer <this>`.")
    var metricsToken: String?

    @Option(help: "Log format: json (one object per line) or text.")
    var logFormat = "json"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        for (name, value) in [("--max-body-bytes", maxBodyBytes), ("--max-photos", maxPhotos), ("--max-part-bytes", maxPartBytes),
                              ("--max-manifest-bytes", maxManifestBytes), ("--max-header-bytes", maxHeaderBytes),
                              ("--max-concurrent-audits", maxConcurrentAudits),
                              ("--max-receiving-uploads", maxReceivingUploads)] where value <= 0 {
            throw ValidationError("\(name) must be positive, got \(value)")
        }
        guard maxWaitingAudits >= 0 else { throw ValidationError("--max-waiting-audits must not be negative") }
        for (name, value) in [("--idle-timeout", idleTimeout), ("--body-timeout", bodyTimeout)] where !(value > 0 && value <= 86400) {
            throw ValidationError("\(name) must be more than 0 and at most 86400 seconds, got \(value)")
        }
        guard ["json", "text"].contains(logFormat) else { throw ValidationError("--log-format is json or text, got \(logFormat)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let catalog = try rulesOptions.load()
        let store = try storeOptions.open()
        let limits = ServerLimits(
            maxBodyBytes: maxBodyBytes, maxPhotos: maxPhotos, maxPartBytes: maxPartBytes, maxManifestBytes: maxManifestBytes,
            maxHeaderBytes: maxHeaderBytes, idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
            bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)), maxConcurrentAudits: maxConcurrentAudits,
            maxWaitingAudits: maxWaitingAudits, maxReceivingUploads: maxReceivingUploads)
        let configuration = ServerConfiguration(
            host: host, port: port, limits: limits,
            // Inside the store by default: on the same filesystem as blobs/, a received photo becomes a blob by a rename.
            uploadRoot: uploadDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? store.directory.appendingPathComponent("uploads"),
            metricsToken: metricsToken ?? ProcessInfo.processInfo.environment["VIA_METRICS_TOKEN"])
        let logger = Logger(label: "via.serve")
        let server: ViaServer
        do {
            server = try ViaServer(store: store, catalog: catalog, analyzer: PhotoAnalyzer(limits: limitOptions.limits),
                                   configuration: configuration, logger: logger)
        } catch {
            printError("via: cannot prepare the upload folder: \(error.localizedDescription)")
            throw ViaExit.internalFailure
        }
        let storePath = store.directory.path
        try await server.run { host, port in
            // The one line on standard output: scripts and tests read the bound port from it.
            FileHandle.standardOutput.write(Data("via serve listening on http://\(host):\(port) (store \(storePath))\n".utf8))
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port)", "store": "\(storePath)"])
        }
    }
}
