import Foundation

/// What one request may cost the server. Each limit is refused with a status and a message (413 for sizes and
/// counts, 408 for a body that takes too long), never with a crash or a half-stored batch.
public struct ServerLimits: Sendable, Equatable {
    /// The whole request body (multipart encoding included).
    public var maxBodyBytes: Int
    /// Photo parts in one upload.
    public var maxPhotos: Int
    /// One photo part. Photos over the analyser's own byte limit but under this one are stored as `via submit`
    /// does: audited as unreadable (`too_large`), not refused.
    public var maxPartBytes: Int
    /// The `batch` part (batch.json).
    public var maxManifestBytes: Int
    /// Headers of one part (their number), a guard against endless part headers.
    public var maxPartHeaders: Int
    /// The whole HTTP header block of a request.
    public var maxHeaderBytes: Int
    /// A connection that sends nothing for this long is closed: it bounds the time to send the request head and
    /// every pause while a body is being sent (and idle keep-alive connections).
    public var idleTimeout: Duration
    /// The whole request body must arrive within this time (408 otherwise).
    public var bodyTimeout: Duration
    /// Uploads whose photos are analysed at once; further complete uploads wait in order.
    public var maxConcurrentAudits: Int
    /// Complete uploads allowed to wait for an audit slot; past that the server answers 503 with Retry-After.
    public var maxWaitingAudits: Int
    /// Uploads being received at once (each may write up to `maxBodyBytes` to the upload area); past that the
    /// server answers 503 with Retry-After before reading the body, so the disk the uploads may fill is bounded.
    public var maxReceivingUploads: Int

    public init(maxBodyBytes: Int = 256 << 20, maxPhotos: Int = 1_000, maxPartBytes: Int = 32 << 20,
                maxManifestBytes: Int = 16 << 20, maxPartHeaders: Int = 16, maxHeaderBytes: Int = 32 << 10,
                idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(300),
                maxConcurrentAudits: Int = 2 * max(1, ProcessInfo.processInfo.activeProcessorCount), maxWaitingAudits: Int = 256,
                maxReceivingUploads: Int = 256) {
        self.maxBodyBytes = maxBodyBytes
        self.maxPhotos = maxPhotos
        self.maxPartBytes = maxPartBytes
        self.maxManifestBytes = maxManifestBytes
        self.maxPartHeaders = maxPartHeaders
        self.maxHeaderBytes = maxHeaderBytes
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConcurrentAudits = maxConcurrentAudits
        self.maxWaitingAudits = maxWaitingAudits
        self.maxReceivingUploads = maxReceivingUploads
    }
}

/// How `via serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (reported through `onListening`).
    public var port: Int
    public var limits: ServerLimits
    /// Where uploads' photos are received (`via serve` passes `uploads/` in the store, so that photos become blobs by a
    /// rename). The server keeps its uploads in a folder of its own below it and removes leftovers of servers that died.
    public var uploadRoot: URL
    /// When set, `GET /metrics` requires `Authorization: Bearer <this>`; otherwise it is open (see the README).
    public var metricsToken: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, limits: ServerLimits = ServerLimits(),
                uploadRoot: URL = FileManager.default.temporaryDirectory, metricsToken: String? = nil) {
        self.host = host
        self.port = port
        self.limits = limits
        self.uploadRoot = uploadRoot
        self.metricsToken = metricsToken
    }
}
