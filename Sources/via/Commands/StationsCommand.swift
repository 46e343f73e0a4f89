import ArgumentParser
import RuleSets
import Store
import VIACore

/// `via stations`: the station registry in the store.
struct StationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stations", abstract: "The station registry: import a stations.yaml, list what is registered.",
        subcommands: [StationsImportCommand.self, StationsListCommand.self, StationsTokenCommand.self])
}

/// `via stations import FILE`: idempotent upsert.
struct StationsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add or update stations (with their lanes and devices) from a registry file; reports what changed.")

    @Argument(help: "Station registry YAML (SPEC §2).")
    var file: String

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let registry: StationRegistry
        do {
            registry = try StationsFile.load(path: file)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ViaExit.dataError
        }
        let store = try storeOptions.open()
        let report: StationImportReport
        do {
            report = try store.importStations(registry)
        } catch {
            throw StoreFailure(error).report()
        }
        if json {
            print(try JSONCoding.string(report))
            return
        }
        print("imported \(file) into \(store.directory.path): \(report.summary)")
        if !report.added.isEmpty { print("  added:   \(report.added.joined(separator: ", "))") }
        if !report.updated.isEmpty { print("  updated: \(report.updated.joined(separator: ", "))") }
    }
}

/// `via stations list`: what the store knows.
struct StationsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered stations, lanes and devices.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print as JSON.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let registry: StationRegistry
        do {
            registry = try store.registry()
        } catch {
            throw StoreFailure(error).report()
        }
        if json {
            print(try JSONCoding.string(registry.stations))
            return
        }
        if registry.stations.isEmpty { print("no stations registered; run `via stations import FILE`") }
        for station in registry.stations {
            let place = station.location.map { String(format: " · %.4f, %.4f ± %.0f m", $0.lat, $0.lon, $0.radiusM) } ?? ""
            print("\(station.code)  \(station.name)  (\(station.timezone)\(place))")
            for lane in station.lanes {
                let devices = lane.devices.map { device in
                    "\(device.id) \([device.make, device.model].compactMap { $0 }.joined(separator: " "))"
                }
                print("    lane \(lane.code): \(devices.joined(separator: "; "))")
            }
        }
    }
}
