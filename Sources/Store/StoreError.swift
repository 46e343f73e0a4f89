import Foundation

/// Why a store operation failed, in terms a user can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The store could not be created or opened.
    case unusable(path: String, reason: String)
    /// Another process held the store's write lock for longer than the timeout.
    case busy(seconds: Double)
    /// The batch id was submitted before with different content.
    case conflictingBatch(station: String, batchId: String, storedAt: Date)
    /// The submitting station is not in the store's registry.
    case unknownStation(String)
    /// A photo file changed between analysis and storage.
    case photoChanged(path: String)
    case blobWriteFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unusable(path, reason): return "cannot use the store at \(path): \(reason)"
        case let .busy(seconds):
            return "the store is busy: another process held its write lock for more than \(Int(seconds)) s; try again"
        case let .conflictingBatch(station, batchId, storedAt):
            return "batch \(batchId) from station \(station) was already submitted on \(Self.format(storedAt)) with different content; a new submission needs a new batch_id"
        case let .unknownStation(code): return "station \(code) is not in the store's registry; import it with `via stations import FILE`"
        case let .photoChanged(path): return "photo \(path) changed while it was being submitted; submit the batch again"
        case let .blobWriteFailed(path, reason): return "cannot store photo \(path): \(reason)"
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }
}
