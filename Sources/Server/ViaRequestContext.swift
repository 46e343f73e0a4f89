import Foundation
import Hummingbird
import NIOCore

/// What the outer middleware learns from the inner ones (the context is a value; this box is shared).
final class RequestNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var _station: String?
    private var _outcome: String?

    /// The authenticated station, once known.
    var station: String? {
        get { lock.withLock { _station } }
        set { lock.withLock { _station = newValue } }
    }

    /// A short word on how a submission ended (for logs and metrics).
    var outcome: String? {
        get { lock.withLock { _outcome } }
        set { lock.withLock { _outcome = newValue } }
    }
}

/// The request context of `via serve`: the authenticated station (set by `AuthMiddleware`) and the request id
/// (the client's `X-Request-Id` when it is sane, else Hummingbird's).
public struct ViaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The station whose token authenticated the request; nil on public routes.
    public var station: String?
    /// Logged with every line about the request and returned in `X-Request-Id`.
    public var requestId: String
    let notes = RequestNotes()
    /// The connection, for the interim `100 Continue` response.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        requestId = ""
        requestId = logger[metadataKey: "hb.request.id"]?.description ?? UUID().uuidString
    }

    /// Bodies are streamed by the upload route with its own limits; nothing is collected whole.
    public var maxUploadSize: Int { 64 << 10 }

    /// The authenticated station (the auth middleware guarantees it on /v1 routes).
    func requireStation() throws -> String {
        guard let station else { throw APIError.unauthorized("a bearer token is required", invalidToken: false) }
        return station
    }
}
