import Foundation
import VIACore

/// Why a record is in the queue, most urgent first.
public enum QueuePriority: Int, Codable, Sendable {
    /// At least one error finding.
    case error = 0
    /// Warnings only.
    case warning = 1
    /// Passed, but picked by QA sampling.
    case sampled = 2

    static func of(_ result: RecordResult) -> QueuePriority? {
        switch result.status {
        case .flagged: return result.findings.contains { $0.severity == .error } ? .error : .warning
        case .passed: return result.sampled ? .sampled : nil
        case .returned: return nil
        }
    }
}

/// A reviewer's hold on a record: whoever presents the token may decide, until the lease runs out.
public struct Claim: Codable, Sendable, Equatable {
    /// The queue item id (the stored record version's row id).
    public var id: Int64
    public var token: String
    public var reviewer: String
    public var claimedAt: Date
    public var leaseUntil: Date
}

/// A stored photo as a reviewer needs it.
public struct StoredPhoto: Codable, Sendable, Equatable {
    public var position: Int
    public var code: String?
    public var file: String?
    public var device: String?
    public var declaredTakenAt: Date?
    /// Absolute path of the stored photo (nil when the file was missing or unreadable).
    public var blobPath: String?
    public var sound: Bool
    public var facts: PhotoFacts?
}

/// Everything a reviewer needs to decide on one record.
public struct ReviewItem: Codable, Sendable {
    public var claim: Claim?
    public var id: Int64
    public var station: String
    public var stationName: String?
    public var batchId: String
    public var inspectionId: String
    public var version: Int
    public var status: RecordStatus
    public var sampled: Bool
    public var priority: QueuePriority
    public var enqueuedAt: Date
    public var ruleset: RuleSetReference?
    /// The record as the station sent it.
    public var record: JSONValue
    public var findings: [Finding]
    public var photos: [StoredPhoto]
    /// Reasons the reviewer may give when rejecting.
    public var reasons: [ReasonCode]

    /// Required photo codes of the record's rule set (for the thumbnails of photos no finding concerns).
    public var requiredPhotoCodes: [String]
}

/// A reviewer's verdict.
public enum ReviewVerdict: Sendable, Equatable {
    case approve
    case reject(reason: String, note: String?)

    public var name: String {
        switch self {
        case .approve: return "approve"
        case .reject: return "reject"
        }
    }

    /// "approved" / "rejected".
    public static func pastTense(_ outcome: String) -> String { outcome == "approve" ? "approved" : "rejected" }
}

/// A recorded decision.
public struct DecisionReceipt: Codable, Sendable, Equatable {
    public var id: Int64
    public var recordId: Int64
    public var station: String
    public var inspectionId: String
    public var reviewer: String
    public var outcome: String
    public var reasonCode: String?
    public var note: String?
    public var reviewMs: Double
    public var decidedAt: Date
    public var auditSeq: Int64
}

/// One queued record, as `via queue` lists it.
public struct QueueEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var station: String
    public var inspectionId: String
    public var plate: String?
    public var vehicleType: String?
    public var priority: QueuePriority
    public var state: String
    public var enqueuedAt: Date
    public var ageSeconds: Double
    public var claimedBy: String?
    public var leaseUntil: Date?
    /// Rules with warning or error findings on the record.
    public var rules: [String]
}

/// The queue at a glance.
public struct QueueOverview: Codable, Sendable, Equatable {
    /// Records waiting or claimed.
    public var depth: Int
    public var waiting: Int
    public var claimed: Int
    @NullEncoded public var oldestAgeSeconds: Double?
    public var byStation: [String: Int]
    public var byRule: [String: Int]
    public var items: [QueueEntry]
}

/// Why a review operation was refused.
public enum ReviewError: Error, CustomStringConvertible, Equatable {
    case notFound(id: Int64)
    /// The token does not match the current claim (another reviewer holds it now, or it was released).
    case staleToken(id: Int64, heldBy: String?)
    case leaseExpired(id: Int64, at: Date)
    case notClaimed(id: Int64, state: String)
    case superseded(id: Int64)
    case unknownReason(code: String, allowed: [String])
    case nothingToUndo(reviewer: String)
    case undoWindowPassed(decidedAt: Date, window: TimeInterval)
    case store(StoreError)

    public var description: String {
        switch self {
        case let .notFound(id): return "queue item \(id) does not exist"
        case let .staleToken(id, heldBy):
            return "the token for item \(id) is no longer valid" + (heldBy.map { ": the record is now claimed by \($0)" } ?? ": the claim was released")
                + "; claim again with `via review next`"
        case let .leaseExpired(id, at):
            return "your claim on item \(id) expired at \(StoreError.format(at)) and the record went back to the queue; claim again with `via review next`"
        case let .notClaimed(id, state): return "item \(id) is \(state), not claimed; claim it with `via review next`"
        case let .superseded(id): return "item \(id) was superseded by a resubmission of the record; nothing to decide"
        case let .unknownReason(code, allowed):
            return "reason \(code) is not in the record's rule set; allowed: \(allowed.joined(separator: ", "))"
        case let .nothingToUndo(reviewer): return "\(reviewer) has no decision to undo"
        case let .undoWindowPassed(decidedAt, window):
            return "the last decision (at \(StoreError.format(decidedAt))) is older than \(Int(window)) s and can no longer be undone"
        case let .store(error): return error.description
        }
    }
}
