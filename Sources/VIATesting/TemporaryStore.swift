import Foundation
import Store
import VIACore

/// A fresh store in a temporary folder, removed by `remove()`.
public struct TemporaryStore: Sendable {
    public let store: ViaStore
    public let directory: URL

    public init(stations: StationRegistry? = TestBatches.registry, busyTimeout: TimeInterval = 15) throws {
        directory = try TestPhotos.temporaryFolder("via-store")
        store = try ViaStore(directory: directory, busyTimeout: busyTimeout)
        if let stations { _ = try store.importStations(stations) }
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }
}
