import Foundation
import VIACore
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection for what HTTP client libraries hide: `Expect: 100-continue`, chunked bodies sent piece
/// by piece, pauses in the middle of a request, connections cut short.
public final class RawHTTP {
    public let fd: Int32

    public init(port: Int, host: String = "127.0.0.1") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw RawError.system("connect", errno)
        }
    }

    deinit { close(fd) }

    public enum RawError: Error { case system(String, Int32) }

    public func send(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    throw RawError.system("send", errno)
                }
                offset += sent
            }
        }
    }

    public func send(_ text: String) throws { try send(Data(text.utf8)) }

    /// Reads until `done` says the bytes so far are enough, the peer closes, or `timeout` passes.
    public func receive(timeout: TimeInterval, until done: (Data) -> Bool = { _ in false }) -> (data: Data, closed: Bool) {
        var received = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline, !done(received) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            if ready <= 0 { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (received, true) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return (received, true)
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return (received, false)
    }

    /// Reads one complete response with a Content-Length body.
    public func response(timeout: TimeInterval = 30) -> (status: Int, head: String, body: Data)? {
        let result = receive(timeout: timeout) { data in Self.complete(data) }
        guard let split = result.data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: result.data[..<split.lowerBound], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, head, result.data[split.upperBound...])
    }

    public static func complete(_ data: Data) -> Bool {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).lowercased()
        if head.hasPrefix("http/1.1 100") {
            return complete(data[split.upperBound...])
        }
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return true }
        return data.count - split.upperBound >= length
    }

    /// A request head; `length` nil means chunked transfer encoding.
    public static func head(_ method: String, _ path: String, token: String?, contentType: String?, length: Int?, expectContinue: Bool = false) -> String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
        if let token { lines.append("Authorization: Bearer \(token)") }
        if let contentType { lines.append("Content-Type: \(contentType)") }
        if let length { lines.append("Content-Length: \(length)") } else { lines.append("Transfer-Encoding: chunked") }
        if expectContinue { lines.append("Expect: 100-continue") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// One chunk of a chunked body (an empty one ends it).
    public static func chunk(_ data: Data) -> Data {
        var out = Data(String(data.count, radix: 16).utf8)
        out.append(Data("\r\n".utf8))
        out.append(data)
        out.append(Data("\r\n".utf8))
        return out
    }
}

extension RawHTTP: @unchecked Sendable {}

/// Runs blocking socket work off the cooperative threads that the in-process server under test needs.
public func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await onBlockingThread(body)
}
