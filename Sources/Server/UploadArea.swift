import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder where this server receives uploads' photo parts: `<root>/via-serve-<pid>-<random>/`, files named
/// per upload, each removed when its request ends unless the store took it as a blob (a rename, hence the default
/// root inside the store). Folders of servers that are no longer running (killed with -9) are removed
/// when the next server starts.
public struct UploadArea: Sendable {
    public let directory: URL

    static let prefix = "via-serve-"

    public init(root: URL) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        Self.removeAbandoned(in: root)
        directory = root.appendingPathComponent("\(Self.prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// A fresh name prefix for one upload's part files (`<prefix><n>`), directly in this server's folder: no
    /// folder per upload to create and remove.
    func makeUploadPrefix() -> String {
        directory.appendingPathComponent(UUID().uuidString).path + "-"
    }

    /// Removes this server's folder (at shutdown).
    public func removeAll() { try? FileManager.default.removeItem(at: directory) }

    /// Removes `via-serve-<pid>-*` folders whose process is gone.
    static func removeAbandoned(in root: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
            }
        }
    }
}
