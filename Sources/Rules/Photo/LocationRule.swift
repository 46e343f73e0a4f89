import VIACore

/// `photo.location`: photos with a GPS position were taken at the station.
public struct LocationRule: Rule {
    public struct Configuration: RuleConfiguration {
        public var requireGPS = false
        /// Added to the station's registered radius, in metres.
        public var extraRadiusM = 0.0

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            requireGPS = try parameters.bool("require_gps", requireGPS, "report photos without a GPS position in EXIF")
            extraRadiusM = try parameters.double(
                "extra_radius_m", extraRadiusM, "metres added to the station's registered radius (GPS error)", in: 0...1_000_000)
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.location",
        name: "Photo taken at the station",
        description: "The EXIF GPS position is farther from the station's registered location than its radius (plus extra_radius_m), or, where required, the photo has no GPS position. Stations registered without a location are not checked.",
        rationale: "A photo taken kilometres from the station shows the vehicle was never on its lane (remote or 'paper' inspections).",
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("every photo about 30 m from the station's registered point"),
            RuleExample("a photo without GPS (not required by default)", .photo("0113", "no GPS") { $0.exif?.gps = nil }),
            RuleExample("600 m away with 300 m of extra radius (400 + 300 m)", parameters: ["extra_radius_m": 300],
                        .photo("0111", "GPS 39.8224, 109.9770") { $0.exif?.gps = GPSFacts(latitude: 39.8224, longitude: 109.9770) }),
            RuleExample("station registered without a location",
                        .station("no location") { $0.location = nil },
                        .photo("0111", "GPS in Hohhot") { $0.exif?.gps = GPSFacts(latitude: 40.8422, longitude: 111.7490) }),
        ],
        triggeringExamples: [
            RuleExample("the left-front view taken in Hohhot, about 180 km away",
                        .photo("0111", "GPS 40.8422, 111.7490") { $0.exif?.gps = GPSFacts(latitude: 40.8422, longitude: 111.7490) }),
            RuleExample("700 m from the station (radius 400 m)",
                        .photo("0112", "GPS 39.8233, 109.9770") { $0.exif?.gps = GPSFacts(latitude: 39.8233, longitude: 109.9770) }),
            RuleExample("GPS required but absent", parameters: ["require_gps": true],
                        .photo("0113", "no GPS") { $0.exif?.gps = nil }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        guard let station = context.station, let location = station.location else { return [] }
        let allowed = location.radiusM + configuration.extraRadiusM
        var violations: [Violation] = []
        for photo in context.photos {
            guard let facts = photo.facts, facts.isSound else { continue } // photo.unreadable
            guard let gps = facts.exif?.gps, let lat = gps.latitude, let lon = gps.longitude else {
                if configuration.requireGPS {
                    violations.append(Violation(
                        photo: photo.label,
                        message: "photo \(photo.label) has no GPS position in EXIF; a position within \(Format.distance(allowed)) of station \(station.code) is expected",
                        evidence: ["station": .string(station.code), "has_gps": false]))
                }
                continue
            }
            let distance = Geo.distanceMetres(lat1: location.lat, lon1: location.lon, lat2: lat, lon2: lon)
            guard distance > allowed else { continue }
            violations.append(Violation(
                photo: photo.label,
                message: "photo \(photo.label) was taken \(Format.distance(distance)) from station \(station.code) (GPS \(lat), \(lon)); at most \(Format.distance(allowed)) expected",
                evidence: ["latitude": JSONValue(lat), "longitude": JSONValue(lon), "distance_m": Format.rounded(distance, digits: 0),
                           "radius_m": JSONValue(location.radiusM), "extra_radius_m": JSONValue(configuration.extraRadiusM),
                           "station": .string(station.code), "station_lat": JSONValue(location.lat),
                           "station_lon": JSONValue(location.lon)]))
        }
        return violations
    }
}
