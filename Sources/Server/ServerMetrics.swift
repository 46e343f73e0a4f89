import Foundation
import Supervision

/// The server's own figures for `/metrics`: requests by route and status, latency histograms, bytes received,
/// submissions by outcome and the audit queue. Route labels are route templates (bounded cardinality).
public final class ServerMetrics: @unchecked Sendable {
    /// Histogram bucket bounds in seconds (a verdict is expected within one second).
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 30]

    struct RequestKey: Hashable { var method: String; var route: String; var status: Int }
    struct Histogram {
        var buckets = [Int](repeating: 0, count: ServerMetrics.latencyBuckets.count)
        var count = 0
        var sum = 0.0

        mutating func observe(_ seconds: Double) {
            for (index, bound) in ServerMetrics.latencyBuckets.enumerated() where seconds <= bound { buckets[index] += 1 }
            count += 1
            sum += seconds
        }
    }

    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var latency: [String: Histogram] = [:]
    private var submissions: [String: Int] = [:]
    private var bodyBytes = 0
    private var photos = 0
    private var inFlight = 0
    private var auditsRunning = 0
    private var auditsWaiting = 0
    private var receiving = 0
    let started = Date()

    public init() {}

    func requestStarted() { lock.withLock { inFlight += 1 } }

    func requestFinished(method: String, route: String, status: Int, seconds: Double) {
        lock.withLock {
            inFlight -= 1
            requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
            latency[route, default: Histogram()].observe(seconds)
        }
    }

    func received(bytes: Int, photos count: Int) {
        lock.withLock {
            bodyBytes += bytes
            photos += count
        }
    }

    func submission(_ outcome: String) { lock.withLock { submissions[outcome, default: 0] += 1 } }

    func audits(running: Int, waiting: Int) {
        lock.withLock {
            auditsRunning = running
            auditsWaiting = waiting
        }
    }

    func uploadsReceiving(_ count: Int) { lock.withLock { receiving = count } }

    /// Uploads whose bodies are being received now.
    public var uploadsReceiving: Int { lock.withLock { receiving } }

    /// Requests counted so far for a route (tests and benchmarks).
    public func requestCount(route: String) -> Int {
        lock.withLock { requests.filter { $0.key.route == route }.values.reduce(0, +) }
    }

    /// The server's families in Prometheus text.
    public func render() -> String {
        lock.lock()
        let requests = self.requests, latency = self.latency, submissions = self.submissions
        let bodyBytes = self.bodyBytes, photos = self.photos, inFlight = self.inFlight
        let running = auditsRunning, waiting = auditsWaiting, receiving = self.receiving
        lock.unlock()
        var out = MetricWriter()
        out.family("via_http_requests_total", "counter", "HTTP requests answered, by method, route template and status.")
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out.sample("via_http_requests_total", ["method": key.method, "route": key.route, "status": String(key.status)],
                       value: Double(count))
        }
        out.family("via_http_request_duration_seconds", "histogram",
                   "Time from the request head to the response (for uploads: to the receipt), by route template.")
        for (route, histogram) in latency.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.latencyBuckets.enumerated() {
                out.sample("via_http_request_duration_seconds_bucket", ["route": route, "le": String(bound)],
                           value: Double(histogram.buckets[index]))
            }
            out.sample("via_http_request_duration_seconds_bucket", ["route": route, "le": "+Inf"], value: Double(histogram.count))
            out.sample("via_http_request_duration_seconds_sum", ["route": route], value: histogram.sum)
            out.sample("via_http_request_duration_seconds_count", ["route": route], value: Double(histogram.count))
        }
        out.family("via_http_requests_in_flight", "gauge", "Requests being handled now.")
        out.sample("via_http_requests_in_flight", value: Double(inFlight))
        out.family("via_http_upload_bytes_total", "counter", "Bytes of upload bodies received.")
        out.sample("via_http_upload_bytes_total", value: Double(bodyBytes))
        out.family("via_http_upload_photos_total", "counter", "Photo parts received.")
        out.sample("via_http_upload_photos_total", value: Double(photos))
        out.family("via_http_submissions_total", "counter",
                   "Batch uploads by outcome (stored, already_stored, conflict, refused, rejected, busy, failed).")
        for (outcome, count) in submissions.sorted(by: { $0.key < $1.key }) {
            out.sample("via_http_submissions_total", ["outcome": outcome], value: Double(count))
        }
        out.family("via_http_uploads_receiving", "gauge", "Uploads whose bodies are being received now.")
        out.sample("via_http_uploads_receiving", value: Double(receiving))
        out.family("via_http_audits_running", "gauge", "Uploads whose photos are being analysed now.")
        out.sample("via_http_audits_running", value: Double(running))
        out.family("via_http_audits_waiting", "gauge", "Complete uploads waiting for an audit slot.")
        out.sample("via_http_audits_waiting", value: Double(waiting))
        out.family("via_http_server_start_time_seconds", "gauge", "When this server started (Unix time).")
        out.sample("via_http_server_start_time_seconds", value: started.timeIntervalSince1970.rounded())
        return out.text
    }
}
