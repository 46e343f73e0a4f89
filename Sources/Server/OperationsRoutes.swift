import Foundation
import Hummingbird
import Store
import Supervision
import VIACore

/// The routes without a station token: `/healthz`, `/metrics` (open unless `--metrics-token` is set) and
/// `/openapi.yaml`.
struct OperationsRoutes {
    let services: ServerServices

    static let publicPaths: Set<String> = ["/healthz", "/metrics", "/openapi.yaml"]

    func collection() -> RouteCollection<ViaRequestContext> {
        let routes = RouteCollection(context: ViaRequestContext.self)
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        routes.get("openapi.yaml", use: openAPI)
        return routes
    }

    struct Health: Encodable {
        var status: String
        var uptimeSeconds: Double
    }

    /// 200 when the store answers a query, 503 otherwise.
    @Sendable func health(_ request: Request, context: ViaRequestContext) async throws -> Response {
        do {
            // Store queries wait on SQLite (and on the writer's checkpoint at worst): not on a cooperative thread.
            _ = try await onBlockingThread { [store = services.store] () throws(StoreError) -> [String] in try store.appliedMigrations() }
        } catch {
            context.logger.error("health check: store unusable", metadata: ["error": "\(error)"])
            throw APIError.busy("store_unavailable", "the store does not answer", retryAfter: 5)
        }
        return try JSONResponse.make(Health(status: "ok", uptimeSeconds: (Date().timeIntervalSince(services.metrics.started) * 10).rounded() / 10),
                                     status: .ok)
    }

    /// The supervision figures plus the server's own request counts and latencies.
    @Sendable func metrics(_ request: Request, context: ViaRequestContext) async throws -> Response {
        if let expected = services.metricsToken {
            guard let presented = AuthMiddleware.bearer(request), ConstantTime.equal(presented, expected) else {
                throw APIError.unauthorized("this server's /metrics needs its metrics token", invalidToken: AuthMiddleware.bearer(request) != nil)
            }
        }
        var text: String
        do {
            text = try await onBlockingThread { [supervisor = services.supervisor] () throws(StoreError) -> String in try PrometheusMetrics.render(supervisor: supervisor) }
        } catch {
            context.logger.error("metrics: store unusable", metadata: ["error": "\(error)"])
            throw APIError.busy("store_unavailable", "the store does not answer", retryAfter: 5)
        }
        text += services.metrics.render()
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func openAPI(_ request: Request, context: ViaRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
}

/// Comparison whose time does not depend on where two secrets differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
