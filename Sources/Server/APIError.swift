import Audit
import Foundation
import Hummingbird
import Store
import VIACore

/// Every error the API answers with: `{ "error": { "code": …, "message": … } }` and the status it belongs to.
/// Domain errors are mapped to HTTP statuses here and nowhere else.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (see openapi.yaml, `Error.code`).
    public var code: String
    public var message: String
    /// For refused batches: the file and JSON path of the problem.
    public var file: String?
    public var path: String?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, file: String? = nil, path: String? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.file = file
        self.path = path
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The JSON response for this error.
    public func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = ErrorBody(error: .init(code: code, message: message, file: file, path: path))
        let data = (try? JSONCoding.encoder(pretty: false).encode(body)) ?? Data("{\"error\":{\"code\":\"internal\",\"message\":\"\"}}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var file: String?
            var path: String?
        }
        var error: Detail
    }
}

// MARK: - the one place where domain errors become statuses

extension APIError {
    static func unauthorized(_ message: String, invalidToken: Bool) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = invalidToken ? "Bearer realm=\"via\", error=\"invalid_token\"" : "Bearer realm=\"via\""
        return APIError(.unauthorized, "unauthorized", message, headers: headers)
    }

    static func notFound(_ message: String = "no such resource") -> APIError { APIError(.notFound, "not_found", message) }

    /// The same error, answered with `Connection: close` when the request has a body the server will not read
    /// (the connection is then closed instead of drained; see `ConnectionGuardHandler`).
    func closing(unreadBodyOf request: Request) -> APIError {
        let hasBody = (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0 || request.headers[.transferEncoding] != nil
        guard hasBody else { return self }
        var copy = self
        copy.headers[.connection] = "close"
        return copy
    }

    static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(.methodNotAllowed, "method_not_allowed",
                        "this resource answers \(allowed.map(\.rawValue).joined(separator: ", ")) only", headers: headers)
    }

    static func tooLarge(_ code: String, _ message: String) -> APIError {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return APIError(.contentTooLarge, code, message, headers: headers)
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }

    static func busy(_ code: String, _ message: String, retryAfter seconds: Int) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = "\(seconds)"
        return APIError(.serviceUnavailable, code, message, headers: headers)
    }

    static func internalFailure(requestId: String) -> APIError {
        APIError(.internalServerError, "internal", "the server failed to handle the request; it is logged as request \(requestId)")
    }

    /// A submission that was not stored. `internal` carries the request id for errors whose detail is only logged.
    static func from(_ error: SubmissionError, requestId: String) -> APIError {
        switch error {
        case let .refused(refusal):
            // The refusal names batch.json as the station sent it, not the server's temporary folder.
            let shown = BatchRefusal(file: "batch.json", path: refusal.path, message: refusal.message)
            // No JSON path: batch.json could not be read as JSON at all (400). With a path: it parses but is
            // refused at that path (422).
            return APIError(refusal.path == nil ? .badRequest : .unprocessableContent,
                            refusal.path == nil ? "invalid_batch_json" : "batch_refused",
                            "batch refused: \(shown)", file: "batch.json", path: refusal.path)
        case let .store(storeError):
            return from(storeError, requestId: requestId)
        case .rules, .emptyRegistry:
            return internalFailure(requestId: requestId)
        case let .wrongStation(_, declared):
            return notFound("this token cannot submit batches for station \"\(UploadAssembler.printable(declared))\"")
        }
    }

    static func from(_ error: StoreError, requestId: String) -> APIError {
        switch error {
        case .conflictingBatch:
            return APIError(.conflict, "batch_conflict", error.description)
        case .busy:
            return busy("store_busy", "the store is busy; try again", retryAfter: 1)
        case .unknownStation:
            return notFound()
        case .photoChanged, .unusable, .blobWriteFailed:
            return internalFailure(requestId: requestId)
        }
    }
}
