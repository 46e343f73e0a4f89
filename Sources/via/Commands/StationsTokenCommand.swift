import ArgumentParser
import Foundation
import Store
import VIACore

/// `via stations token STATION [--label TEXT] | --revoke | --list`: bearer tokens for `via serve`.
struct StationsTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue a bearer token for a station's uploads to `via serve` (printed once), or revoke or list its tokens.",
        discussion: """
            The token is printed once and only its SHA-256 is stored. A station may hold several tokens at once, so \
            a token can be rotated without downtime: issue a new one, put it into the lane software, then revoke. \
            --revoke revokes every active token of the station at once; revoked tokens are refused (401) from the \
            next request on. Issuing and revoking are recorded in the audit log.
            """)

    @Argument(help: "The station code.")
    var station: String

    @Option(help: "A note kept with the token (which lane PC, who asked for it).")
    var label: String?

    @Flag(help: "Revoke every active token of the station instead of issuing one.")
    var revoke = false

    @Flag(help: "List the station's tokens (never the secrets) instead of issuing one.")
    var list = false

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if revoke && list { throw ValidationError("use either --revoke or --list") }
        if label != nil && (revoke || list) { throw ValidationError("--label goes with issuing a token") }
    }

    func run() throws {
        let store = try storeOptions.open()
        do {
            if list {
                let tokens = try store.tokens(station: station)
                if json {
                    print(try JSONCoding.string(tokens))
                    return
                }
                if tokens.isEmpty { print("station \(station) has no tokens") }
                for token in tokens {
                    let state = token.revokedAt.map { "revoked \(Self.format($0))" } ?? "active"
                    print("token \(token.id)  issued \(Self.format(token.createdAt))  \(state)\(token.label.map { "  \($0)" } ?? "")")
                }
            } else if revoke {
                let count = try store.revokeTokens(station: station)
                if json {
                    print(try JSONCoding.string(["station": JSONValue(station), "revoked": JSONValue(count)]))
                } else {
                    print("revoked \(count) token(s) of station \(station)")
                }
            } else {
                let issued = try store.issueToken(station: station, label: label)
                if json {
                    print(try JSONCoding.string(["station": JSONValue(station), "token_id": JSONValue(Int(issued.id)),
                                                 "token": JSONValue(issued.secret)]))
                } else {
                    print(issued.secret)
                    printError("token \(issued.id) for station \(station): shown only this once; send it as "
                               + "`Authorization: Bearer <token>` to `via serve`")
                }
            }
        } catch let error as TokenError {
            printError("via: \(error)")
            switch error {
            case .unknownStation: throw ViaExit.dataError
            case let .store(storeError): throw StoreFailure(storeError).exitCode
            }
        } catch let error as StoreError {
            throw StoreFailure(error).report()
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }
}
