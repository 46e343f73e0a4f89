import Foundation
import Logging

/// One JSON object per line on standard error: time, level, logger label, message and metadata (request id,
/// station, …). `via serve --log-format json` (the default) bootstraps swift-log with it.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let output: LogOutput

    public init(label: String, output: LogOutput = .standardError) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var object: [String: Any] = [
            "ts": Self.timestamp(Date()), "level": event.level.rawValue, "logger": label, "msg": event.message.description,
        ]
        for (key, value) in merged where object[key] == nil { object[key] = Self.plain(value) }
        if let error = event.error { object["error"] = "\(error)" }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        output.write(line)
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case let .string(text): return text
        case let .stringConvertible(convertible): return convertible.description
        case let .array(values): return values.map(plain)
        case let .dictionary(values): return values.mapValues(plain)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Where log lines go (standard error, or a buffer in tests); writes are serialised.
public final class LogOutput: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle?
    private var captured: [String] = []

    init(handle: FileHandle?) { self.handle = handle }

    public static let standardError = LogOutput(handle: FileHandle.standardError)

    /// Keeps lines in memory (tests read them with `lines`).
    public static func memory() -> LogOutput { LogOutput(handle: nil) }

    func write(_ data: Data) {
        lock.withLock {
            if let handle { handle.write(data) } else { captured.append(String(decoding: data, as: UTF8.self)) }
        }
    }

    public var lines: [String] { lock.withLock { captured } }
}
