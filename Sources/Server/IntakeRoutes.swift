import Audit
import Foundation
import Hummingbird
import Logging
import Store
import VIACore

/// The station API under `/v1`: upload a batch, read a batch's receipt, read a record's status. Every route needs a
/// station token (`AuthMiddleware`) and sees only that station's data; anything else is 404.
struct IntakeRoutes {
    let services: ServerServices

    func collection() -> RouteCollection<ViaRequestContext> {
        let routes = RouteCollection(context: ViaRequestContext.self)
        routes.post("batches", use: submitBatch)
        routes.get("batches/{batch_id}", use: batchReceipt)
        routes.get("records/{inspection_id}", use: recordStatus)
        return routes
    }

    // MARK: POST /v1/batches

    @Sendable func submitBatch(_ request: Request, context: ViaRequestContext) async throws -> Response {
        let station = try context.requireStation()
        let limits = services.limits
        guard let contentType = try MultipartContentType.parse(request.headers[.contentType]) else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "upload a batch as multipart/form-data: a part named \"batch\" holding batch.json and one part per photo "
                           + "whose filename is its path in batch.json").closing(unreadBodyOf: request)
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limits.maxBodyBytes {
            services.metrics.submission("rejected")
            throw APIError.tooLarge("body_too_large", "the request body is \(declared) bytes, over the limit of \(limits.maxBodyBytes)")
        }
        guard services.startReceiving() else {
            services.metrics.submission("busy")
            throw APIError.busy("server_busy", "this server receives at most \(limits.maxReceivingUploads) upload(s) at once and is "
                                + "receiving that many now; try again shortly", retryAfter: 2)
                .closing(unreadBodyOf: request)
        }
        // Counted until the audit starts (or the request fails): from then on the audit queue bounds the upload.
        var receiving = true
        defer { if receiving { services.endReceiving() } }
        let parser = MultipartStreamParser(boundary: contentType.boundary)
        let assembler = UploadAssembler(filePrefix: services.uploads.makeUploadPrefix(), limits: limits)
        assembler.attach(to: parser)
        let early = EarlyAnalysis(analyzer: services.submitter.analyzer, gate: services.photoGate)
        assembler.onPhoto = { key, photo in early.start(key: key, photo: photo) }
        // Part files the store did not take as blobs go when the request ends, whatever the outcome.
        defer {
            early.cancel()
            assembler.removeFiles()
        }

        let clock = ContinuousClock()
        let started = clock.now
        let upload: ReceivedUpload
        do {
            upload = try await receive(request, parser: parser, assembler: assembler, early: early, station: station, context: context)
        } catch {
            services.metrics.submission(error.status == .notFound ? "wrong_station" : "rejected")
            context.notes.outcome = error.code
            throw error
        }
        services.metrics.received(bytes: upload.bodyBytes, photos: upload.photoCount)

        let received = clock.now
        receiving = false
        services.endReceiving()
        // Most photos were analysed while later parts streamed in; wait for the last ones.
        let photos = await early.finish(upload.photos)
        let analysedEarly = clock.now
        guard await services.gate.enter() else {
            services.metrics.submission("busy")
            throw APIError.busy("server_busy", "this server queues at most \(limits.maxWaitingAudits) complete upload(s) for the audit "
                                + "and that many are waiting now; try again shortly", retryAfter: 2)
        }
        let admitted = clock.now
        let slot = AuditSlot(gate: services.gate)
        let result: CommitResult
        // Where the audit's time goes (load, analyse, blobs, commit), for the log line.
        var phases: [String] = []
        do {
            let batch = UploadedBatch(manifest: upload.manifest, photos: photos, absentRoot: assembler.filePrefix + "absent")
            result = try await services.submitter.submit(upload: batch, expectedStation: station, phases: { name, ms in
                phases.append("\(name)=\(String(format: "%.1f", ms))")
            }, analysed: { await slot.release() })
        } catch {
            await slot.release()
            let mapped = APIError.from(error, requestId: context.requestId)
            switch mapped.status {
            case .conflict: services.metrics.submission("conflict")
            case .notFound: services.metrics.submission("wrong_station")
            case .badRequest, .unprocessableContent: services.metrics.submission("refused")
            case .serviceUnavailable: services.metrics.submission("busy")
            default: services.metrics.submission("failed")
            }
            context.notes.outcome = mapped.code
            if mapped.status == .internalServerError {
                context.logger.error("submission failed", metadata: ["error": "\(error)"])
            } else {
                context.logger.info("submission refused", metadata: ["error": "\(error)"])
            }
            throw mapped
        }
        await slot.release()
        let audited = clock.now

        let receipt = result.receipt
        let stored: Bool
        if case .stored = result { stored = true } else { stored = false }
        services.metrics.submission(stored ? "stored" : "already_stored")
        context.notes.outcome = stored ? "stored" : "already_stored"
        context.logger.info(stored ? "batch stored" : "batch already stored", metadata: [
            "batch_id": "\(receipt.batchId)", "records": "\(receipt.summary.records)", "passed": "\(receipt.summary.passed)",
            "returned": "\(receipt.summary.returned)", "flagged": "\(receipt.summary.flagged)", "photos": "\(upload.photoCount)",
            "bytes": "\(upload.bodyBytes)", "upload_ms": "\(Self.milliseconds(started, received))",
            "early_analysis_ms": "\(Self.milliseconds(received, analysedEarly))",
            "wait_ms": "\(Self.milliseconds(analysedEarly, admitted))", "audit_ms": "\(Self.milliseconds(admitted, audited))",
            "phases_ms": "\(phases.joined(separator: " "))",
        ])
        var headers = HTTPFields()
        headers[.location] = "/v1/batches/\(Self.pathSegment(receipt.batchId))"
        // Findings about other stations' records are shown without their identifiers (see Finding.visible(to:)).
        return try JSONResponse.make(receipt.visible(to: station), status: stored ? .created : .ok, headers: headers)
    }

    /// Streams the multipart body through `parser` into `assembler`, checking every limit as the bytes arrive.
    func receive(_ request: Request, parser: MultipartStreamParser, assembler: UploadAssembler, early: EarlyAnalysis,
                 station: String, context: ViaRequestContext) async throws(APIError) -> ReceivedUpload {
        let limits = services.limits
        defer { assembler.closeOpenFile() }
        // From the request's arrival at the connection (stamped by ConnectionGuardHandler), not from when this handler
        // got to run: under load the handler may start late, and a slow body must still be caught.
        let arrived = request.headers[ConnectionGuardHandler.arrivedHeader].flatMap(UInt64.init) ?? DispatchTime.now().uptimeNanoseconds
        let timeout = limits.bodyTimeout.components
        let deadline = arrived &+ UInt64(min(max(0, timeout.seconds), 1 << 32)) * 1_000_000_000 &+ UInt64(max(0, timeout.attoseconds / 1_000_000_000))
        var total = 0
        var manifestScreened = false

        if request.headers[.expect]?.lowercased() == "100-continue" {
            await InterimResponse.sendContinue(on: context.channel)
        }
        var iterator = request.body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do {
                next = try await iterator.next()
            } catch {
                throw APIError.badRequest("upload_interrupted", "the upload ended early: \(error)")
            }
            guard let chunk = next else { break }
            total += chunk.readableBytes
            guard total <= limits.maxBodyBytes else {
                throw APIError.tooLarge("body_too_large", "the request body is larger than \(limits.maxBodyBytes) bytes")
            }
            guard DispatchTime.now().uptimeNanoseconds < deadline else {
                var headers = HTTPFields()
                headers[.connection] = "close"
                throw APIError(.requestTimeout, "request_timeout",
                               "the upload took longer than \(limits.bodyTimeout.components.seconds) s", headers: headers)
            }
            do {
                try parser.execute(chunk)
            } catch {
                throw APIError.badRequest("bad_multipart", "the body is not valid multipart/form-data: \(error.reason)")
            }
            if let failure = assembler.failure { throw failure }
            if !manifestScreened, let manifest = assembler.manifest {
                // The batch part usually comes first: a batch of another station is turned away before its photos.
                manifestScreened = true
                let declared = try Self.screen(manifest, token: station)
                // Parts the manifest does not name are never read by the audit: not worth analysing.
                if let files = declared.files { early.limit(to: files) }
                if let batchId = declared.batchId {
                    // A retry of a stored batch is answered from the store without analysing anything: no early work.
                    let stored = try? await onBlockingThread { [store = services.store] () throws(StoreError) -> StoredBatch? in
                        try store.storedBatch(station: station, batchId: batchId)
                    }
                    if stored != nil { early.stop() }
                }
            }
        }
        let (manifest, photos) = try assembler.finish(closed: parser.closed)
        if !manifestScreened { _ = try Self.screen(manifest, token: station) }
        return ReceivedUpload(manifest: manifest, photos: photos, photoCount: assembler.photoCount, bodyBytes: total)
    }

    /// A first look at `batch.json` as soon as its part has arrived, while the photos are still streaming in: turns
    /// away a batch whose `station` is not the token's (answered like a missing resource), and returns the batch id
    /// when the manifest names one and the photo files its records name (by `UploadedBatch.key(for:)`) when it has
    /// the expected shape, so that early analysis can skip parts the audit will never read. The submitter checks the
    /// station again on the batch as parsed for storage (a JSON reader that took another of two duplicate keys could
    /// otherwise be fooled).
    static func screen(_ manifest: Data, token station: String) throws(APIError) -> (batchId: String?, files: Set<String>?) {
        guard let object = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any],
              let declared = object["station"] as? String else {
            return (nil, nil) // not readable JSON or no station: the audit refuses it with the precise reason
        }
        guard declared == station else {
            throw APIError.notFound("this token cannot submit batches for station \"\(UploadAssembler.printable(declared))\"")
        }
        var files: Set<String>?
        if let records = object["records"] as? [Any] {
            var names: Set<String> = []
            for case let record as [String: Any] in records {
                for case let photo as [String: Any] in record["photos"] as? [Any] ?? [] {
                    if let file = photo["file"] as? String { names.insert(UploadedBatch.key(for: file)) }
                }
            }
            files = names
        }
        return (object["batch_id"] as? String, files)
    }

    // MARK: GET /v1/batches/{batch_id}

    @Sendable func batchReceipt(_ request: Request, context: ViaRequestContext) async throws -> Response {
        let station = try context.requireStation()
        let batchId = Self.parameter(context, "batch_id")
        let stored: StoredBatch?
        do {
            stored = try services.store.storedBatch(station: station, batchId: batchId)
        } catch {
            throw APIError.from(error, requestId: context.requestId)
        }
        guard let stored else { throw APIError.notFound("no batch \"\(UploadAssembler.printable(batchId))\" from this station") }
        return try JSONResponse.make(stored.receipt.visible(to: station), status: .ok)
    }

    // MARK: GET /v1/records/{inspection_id}

    @Sendable func recordStatus(_ request: Request, context: ViaRequestContext) async throws -> Response {
        let station = try context.requireStation()
        let inspectionId = Self.parameter(context, "inspection_id")
        let report: RecordStatusReport?
        do {
            report = try services.store.recordStatus(station: station, inspectionId: inspectionId)
        } catch {
            throw APIError.from(error, requestId: context.requestId)
        }
        guard var report else {
            throw APIError.notFound("no inspection \"\(UploadAssembler.printable(inspectionId))\" from this station")
        }
        report.findings = report.findings.map { $0.visible(to: station) }
        return try JSONResponse.make(report, status: .ok)
    }

    // MARK: helpers

    static func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> String {
        let elapsed = from.duration(to: to).components
        return String(format: "%.1f", Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
    }

    /// A path parameter, percent-decoded (Hummingbird hands them over as sent).
    static func parameter(_ context: ViaRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// Percent-encodes a batch id for use as one path segment.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// JSON bodies in the contract's conventions (snake_case keys, ISO-8601 dates).
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        if let bytes = (value as? any JSONWritable)?.jsonBytes {
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let data = try JSONCoding.encoder(pretty: false).encode(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
