import Audit
import Foundation
import Synchronization
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PhotoAnalysis
import VIACore
import Store
import Supervision

/// What the routes share: the store, the submitter (the same audit as `via submit`), the limits, the upload
/// folder, the audit gate and the metrics.
final class ServerServices: Sendable {
    let store: ViaStore
    let submitter: Submitter
    let supervisor: Supervisor
    let limits: ServerLimits
    let uploads: UploadArea
    let gate: AuditGate
    /// Orders the analysis of single photos as they arrive (`EarlyAnalysis`): one per core at a time.
    let photoGate = AuditGate(width: ProcessInfo.processInfo.activeProcessorCount, maxWaiting: Int.max)
    let metrics: ServerMetrics
    let metricsToken: String?
    /// Uploads being received now (see `ServerLimits.maxReceivingUploads`).
    let receiving: Mutex<Int> = Mutex(0)

    init(store: ViaStore, submitter: Submitter, limits: ServerLimits, uploads: UploadArea, metrics: ServerMetrics, metricsToken: String?) {
        self.store = store
        self.submitter = submitter
        supervisor = Supervisor(store: store)
        self.limits = limits
        self.uploads = uploads
        self.metrics = metrics
        self.metricsToken = metricsToken
        gate = AuditGate(width: limits.maxConcurrentAudits, maxWaiting: limits.maxWaitingAudits, metrics: metrics)
    }

    /// Counts an upload as being received; false when `maxReceivingUploads` are already.
    func startReceiving() -> Bool {
        receiving.withLock { count in
            guard count < limits.maxReceivingUploads else { return false }
            count += 1
            metrics.uploadsReceiving(count)
            return true
        }
    }

    func endReceiving() {
        receiving.withLock { count in
            count -= 1
            metrics.uploadsReceiving(count)
        }
    }
}

/// `via serve`: the HTTP intake and status API for stations on Hummingbird 2.
///
/// Routes (see openapi.yaml): `POST /v1/batches`, `GET /v1/batches/{batch_id}`, `GET /v1/records/{inspection_id}`
/// with a station's bearer token; `GET /healthz`, `GET /metrics`, `GET /openapi.yaml` without one. Middleware, outermost
/// first: request id, access log and metrics; errors to JSON; authentication (401 before anything else); 405 for methods a path does not answer.
public struct ViaServer: Sendable {
    public let configuration: ServerConfiguration
    public let logger: Logger
    let services: ServerServices

    public var metrics: ServerMetrics { services.metrics }
    /// Where this server assembles uploads.
    public var uploadFolder: URL { services.uploads.directory }

    public init(store: ViaStore, catalog: RuleSetCatalog, analyzer: PhotoAnalyzer = PhotoAnalyzer(),
                configuration: ServerConfiguration = ServerConfiguration(), logger: Logger = Logger(label: "via.serve")) throws {
        self.configuration = configuration
        self.logger = logger
        let uploads = try UploadArea(root: configuration.uploadRoot)
        services = ServerServices(store: store, submitter: Submitter(store: store, catalog: catalog, analyzer: analyzer),
                                  limits: configuration.limits, uploads: uploads, metrics: ServerMetrics(),
                                  metricsToken: configuration.metricsToken)
    }

    /// The router with every route and middleware.
    public func router() -> Router<ViaRequestContext> {
        let router = Router(context: ViaRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: services.metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(store: services.store, publicPaths: OperationsRoutes.publicPaths))
        router.add(middleware: MethodGuardMiddleware())
        router.addRoutes(OperationsRoutes(services: services).collection())
        router.addRoutes(IntakeRoutes(services: services).collection(), atPath: "/v1")
        return router
    }

    /// The Hummingbird application: HTTP/1.1 with the idle timeout and header limits of `configuration.limits`.
    /// `onListening` gets the bound host and port (useful with port 0).
    public func application(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        let limits = configuration.limits
        let idle = limits.idleTimeout.components
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuardHandler()],
            idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                                            maxHeaderFieldCount: 100))
        let host = configuration.host, port = configuration.port
        return Application(
            router: router(),
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "via"),
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT. Then it stops accepting connections, lets requests in flight finish
    /// (an upload being received or audited completes and commits, or fails and leaves nothing), and returns.
    public func run(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        defer { services.uploads.removeAll() }
        try await application(onListening: onListening).runService()
        logger.info("stopped")
    }
}
