import Foundation
import Hummingbird
import Logging
import Store
import VIACore

/// Outermost: the request id (the client's `X-Request-Id` when sane), timing, the access log line, metrics, and the
/// `X-Request-Id` response header.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ViaRequestContext
    let metrics: ServerMetrics

    static let requestIdHeader = HTTPFields.Element.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        if let given = request.headers[Self.requestIdHeader], Self.isSane(given) { context.requestId = given }
        context.logger[metadataKey: "request_id"] = "\(context.requestId)"
        context.logger[metadataKey: "hb.request.id"] = nil
        metrics.requestStarted()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = error.response()
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            response = APIError.internalFailure(requestId: context.requestId).response()
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = context.endpointPath ?? "NotFound"
        metrics.requestFinished(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        response.headers[Self.requestIdHeader] = context.requestId
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "route": "\(route)",
            "status": "\(response.status.code)", "duration_ms": "\(String(format: "%.1f", seconds * 1000))",
        ]
        if let station = context.notes.station { metadata["station"] = "\(station)" }
        if let outcome = context.notes.outcome { metadata["outcome"] = "\(outcome)" }
        context.logger.info("request", metadata: metadata)
        return response
    }

    /// 1 to 128 characters of letters, digits and `-_.:`.
    static func isSane(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
    }
}

/// Every error below it becomes the JSON error body with its status: `APIError` as it is, Hummingbird's own
/// `HTTPError` (404 for unknown routes, …) translated, anything else a logged 500 that names the request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ViaRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return APIError.notFound().response()
            case .contentTooLarge: return APIError.tooLarge("body_too_large", error.body ?? "the request body is too large").response()
            default:
                let code = error.status.code < 500 ? "bad_request" : "internal"
                return APIError(error.status, code, error.body ?? error.status.reasonPhrase, headers: error.headers).response()
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            return APIError.internalFailure(requestId: context.requestId).response()
        }
    }
}

/// Bearer tokens: everything except the public paths needs `Authorization: Bearer <station token>`; the station
/// it belongs to goes into the context. A missing, unknown or revoked token is 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ViaRequestContext
    let store: ViaStore
    let publicPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let token = Self.bearer(request) else {
            throw APIError.unauthorized("this API needs Authorization: Bearer <station token> (issued by `via stations token`)",
                                        invalidToken: false).closing(unreadBodyOf: request)
        }
        let station: String?
        do {
            // A database read: off the cooperative threads, which the uploads' analysis needs.
            station = try await onBlockingThread { [store] () throws(StoreError) -> String? in try store.station(forToken: token) }
        } catch {
            throw APIError.from(error, requestId: context.requestId)
        }
        guard let station else {
            throw APIError.unauthorized("the bearer token is not valid (unknown or revoked)", invalidToken: true)
                .closing(unreadBodyOf: request)
        }
        var context = context
        context.station = station
        context.notes.station = station
        context.logger[metadataKey: "station"] = "\(station)"
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingHTTPWhitespace
        return token.isEmpty ? nil : token
    }
}

/// 405 with `Allow` for any method a known path does not answer, including methods the router has never heard of
/// (`QUERY`, `PROPFIND`, …), which Hummingbird would answer 404. Runs after authentication (a request without a
/// valid token learns nothing, not even the methods); the answer depends only on the path's shape.
struct MethodGuardMiddleware: RouterMiddleware {
    typealias Context = ViaRequestContext

    /// Path templates (`*` matches one segment) and the methods they answer; the one list of the API's routes.
    static let routes: [(template: [String], allowed: [HTTPRequest.Method])] = [
        (["healthz"], [.get]), (["metrics"], [.get]), (["openapi.yaml"], [.get]),
        (["v1", "batches"], [.post]), (["v1", "batches", "*"], [.get]), (["v1", "records", "*"], [.get]),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let allowed = Self.allowedMethods(path: request.uri.path), !allowed.contains(request.method) {
            throw APIError.methodNotAllowed(allowed)
        }
        return try await next(request, context)
    }

    /// The methods the path answers, nil when no route has its shape.
    static func allowedMethods(path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return routes.first { route in
            route.template.count == segments.count
                && zip(route.template, segments).allSatisfy { template, segment in
                    template == "*" ? !segment.isEmpty : template == segment
                }
        }?.allowed
    }
}
