import Foundation
import RuleSets
import Testing
import VIACore

@Suite struct StationsFileTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try StationsFile.parse(text, file: "stations.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func parsesTheSpecExample() throws {
        let registry = try StationsFile.parse("""
            stations:
              - code: "150602001"                 # jyjgbh
                name: 东胜区示例机动车检测站
                timezone: Asia/Shanghai           # default Asia/Shanghai
                location: { lat: 39.8170, lon: 109.9770, radius_m: 400 }
                lanes:
                  - code: "1"
                    devices:                      # cameras and lane devices allowed to produce photos on this lane
                      - { id: "CAM-0101", make: "Hikvision", model: "DS-2CD2T47G2", serial: "DS2CD2T47G2-0101" }
              - code: 150602002
                name: Second station
                lanes:
                  - code: 1
                  - code: 2
                    devices: [{ id: CAM-0201 }]
            """, file: "stations.yaml")
        #expect(registry.stations.count == 2)
        let first = try #require(registry["150602001"])
        #expect(first.name == "东胜区示例机动车检测站")
        #expect(first.timezone == "Asia/Shanghai")
        #expect(first.location == StationLocation(lat: 39.8170, lon: 109.9770, radiusM: 400))
        #expect(first.lane("1")?.device(id: "CAM-0101") == Device(id: "CAM-0101", make: "Hikvision", model: "DS-2CD2T47G2",
                                                                  serial: "DS2CD2T47G2-0101"))
        let second = try #require(registry["150602002"])
        #expect(second.timezone == Station.defaultTimezone)
        #expect(second.location == nil)
        #expect(second.lanes.map(\.code) == ["1", "2"])
        #expect(second.lane("2")?.devices == [Device(id: "CAM-0201")])
    }

    @Test func loadsFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("via-stations-\(UUID().uuidString).yaml").path
        try "stations:\n  - { code: \"1\", name: A }\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try StationsFile.load(path: path).stations.map(\.code) == ["1"])
        #expect(throws: StationsFileError.self) { try StationsFile.load(path: path + ".missing") }
    }

    @Test func syntaxErrorAtItsLine() {
        #expect(problems("stations:\n  - code: \"1\n").first?.hasPrefix("stations.yaml:") == true)
        let lines = problems("stations:\n  - code: 1\n    name: [a\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("YAML syntax error") == true)
    }

    @Test func structureErrors() {
        #expect(problems("- code: 1\n") == ["stations.yaml:1: station registry: expected a mapping, found a list"])
        #expect(problems("# none\nstation: []\n") == [
            "stations.yaml:2: unknown key \"station\" in the station registry; allowed keys: stations",
            "stations.yaml:2: missing key \"stations\" (a list of stations)",
        ])
        #expect(problems("stations: { code: 1 }\n") == ["stations.yaml:1: stations: expected a list, found a mapping"])
    }

    @Test func everyStationProblemWithItsLine() {
        let lines = problems("""
            stations:
              - code: "A"
                name: First
                timezone: Mars/Olympus
                location: { lat: 91, lon: -181, radius_m: -5 }
                colour: blue
                lanes:
                  - code: "1"
                    devices:
                      - { id: CAM-1, vendor: X }
                      - id: CAM-1
                  - code: "1"
                  - devices: []
                  - code: "2"
                    devices:
                      - { make: Hikvision }
                      - id: CAM-1
              - name: No code
              - code: "B"
                location: { lat: 1 }
                lanes: "1"
              - code: "A"
                name: Again
              - code: [x]
                name: 5
            """)
        #expect(lines == [
            "stations.yaml:4: unknown time zone \"Mars/Olympus\"; use an IANA name such as Asia/Shanghai",
            "stations.yaml:5: location lat 91 is out of range; expected -90...90",
            "stations.yaml:5: location lon -181 is out of range; expected -180...180",
            "stations.yaml:5: location radius_m -5 is out of range; expected a radius of at least 0 m",
            "stations.yaml:6: unknown key \"colour\" in a station; allowed keys: code, name, timezone, location, lanes",
            "stations.yaml:10: unknown key \"vendor\" in a device; allowed keys: id, make, model, serial, exif, watermark",
            "stations.yaml:11: duplicate device id \"CAM-1\" in this station (first at line 10)",
            "stations.yaml:12: duplicate lane code \"1\" in station A (first at line 8)",
            "stations.yaml:13: lane without code",
            "stations.yaml:16: device without id",
            "stations.yaml:17: duplicate device id \"CAM-1\" in this station (first at line 10)",
            "stations.yaml:18: station without code",
            "stations.yaml:19: station \"B\" without name",
            "stations.yaml:20: location without lon",
            "stations.yaml:20: location without radius_m",
            "stations.yaml:21: lanes: expected a list, found string \"1\"",
            "stations.yaml:22: duplicate station code \"A\" (first at line 2)",
            "stations.yaml:24: station code: expected a string, found a list",
        ])
    }

    @Test func duplicateStationCode() {
        let lines = problems("""
            stations:
              - { code: "150602001", name: A }
              - { code: "150602002", name: B }
              - code: 150602001
                name: C
            """)
        #expect(lines == ["stations.yaml:4: duplicate station code \"150602001\" (first at line 2)"])
    }

    @Test func nameMustBeAString() {
        #expect(problems("stations:\n  - code: \"1\"\n    name: null\n") == ["stations.yaml:3: station name: expected a string, found null"])
        #expect(problems("stations:\n  - code: \"1\"\n    name: First\n    location: { lat: north, lon: 1, radius_m: 1 }\n")
            == ["stations.yaml:4: location lat: expected a number, found string \"north\""])
    }
}
