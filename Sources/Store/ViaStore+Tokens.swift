import Crypto
import Foundation
import GRDB
import VIACore

/// A station's bearer token for `via serve`, as stored: never the token itself, only its SHA-256.
public struct StationToken: Codable, Sendable, Equatable {
    public var id: Int64
    public var station: String
    public var label: String?
    public var createdAt: Date
    public var revokedAt: Date?
}

/// A freshly issued token: the secret is shown once and never stored.
public struct IssuedToken: Sendable, Equatable {
    public var id: Int64
    public var station: String
    /// `via_` followed by 64 hex digits (32 random bytes).
    public var secret: String
}

/// Why a token operation failed.
public enum TokenError: Error, CustomStringConvertible, Equatable {
    case unknownStation(String)
    case store(StoreError)

    public var description: String {
        switch self {
        case let .unknownStation(code):
            return "station \(code) is not in the store's registry; import it with `via stations import FILE`"
        case let .store(error): return error.description
        }
    }
}

/// Station tokens: several active tokens per station are allowed (rotate by issuing a new one, deploying it, then
/// revoking); `revokeTokens` revokes every active token of a station at once. Issuing and revoking are written to the
/// audit log.
extension ViaStore {
    static let tokenPrefix = "via_"

    /// Issues a new token for `station`; the returned secret is the only copy.
    public func issueToken(station: String, label: String? = nil, now: Date = Date()) throws(TokenError) -> IssuedToken {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = Self.tokenPrefix + bytes.map { String(format: "%02x", $0) }.joined()
        let hash = Self.tokenHash(secret)
        do {
            return try writePassingErrors { db -> IssuedToken in
                guard try StationRow.fetchOne(db, key: station) != nil else { throw TokenError.unknownStation(station) }
                try db.execute(sql: """
                    INSERT INTO station_token (station_code, token_sha256, label, created_at) VALUES (?, ?, ?, ?)
                    """, arguments: [station, hash, label, now.timeIntervalSince1970])
                let id = db.lastInsertedRowID
                var detail: [String: JSONValue] = ["token_id": JSONValue(Int(id))]
                if let label { detail["label"] = .string(label) }
                _ = try AuditLog.append(db, actor: "admin", action: "token.issued", subject: station, detail: .object(detail), at: now)
                return IssuedToken(id: id, station: station, secret: secret)
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw .store(Self.map(error, path: directory.path, timeout: busyTimeout))
        }
    }

    /// Revokes every active token of `station`; returns how many were revoked.
    @discardableResult
    public func revokeTokens(station: String, now: Date = Date()) throws(TokenError) -> Int {
        do {
            return try writePassingErrors { db -> Int in
                guard try StationRow.fetchOne(db, key: station) != nil else { throw TokenError.unknownStation(station) }
                // max(…, created_at): a clock set back since a token was issued must not make revocation impossible.
                try db.execute(sql: "UPDATE station_token SET revoked_at = max(?, created_at) WHERE station_code = ? AND revoked_at IS NULL",
                               arguments: [now.timeIntervalSince1970, station])
                let count = db.changesCount
                if count > 0 {
                    _ = try AuditLog.append(db, actor: "admin", action: "token.revoked", subject: station,
                                            detail: ["tokens": JSONValue(count)], at: now)
                }
                return count
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw .store(Self.map(error, path: directory.path, timeout: busyTimeout))
        }
    }

    /// Every token of a station, active and revoked, oldest first.
    public func tokens(station: String) throws(StoreError) -> [StationToken] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, station_code, label, created_at, revoked_at FROM station_token WHERE station_code = ? ORDER BY id
                """, arguments: [station]).map { row in
                StationToken(id: row[0], station: row[1], label: row[2], createdAt: Date(timeIntervalSince1970: row[3]),
                             revokedAt: (row[4] as Double?).map { Date(timeIntervalSince1970: $0) })
            }
        }
    }

    /// The station an active token belongs to, or nil for an unknown or revoked token.
    public func station(forToken secret: String) throws(StoreError) -> String? {
        guard secret.hasPrefix(Self.tokenPrefix), secret.utf8.count == Self.tokenPrefix.utf8.count + 64 else { return nil }
        let hash = Self.tokenHash(secret)
        return try read { db in
            try String.fetchOne(db, sql: "SELECT station_code FROM station_token WHERE token_sha256 = ? AND revoked_at IS NULL",
                                arguments: [hash])
        }
    }

    static func tokenHash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
