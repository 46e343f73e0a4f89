import Rules
import Testing
import VIACore

/// The catalogue other teams' YAML rule sets rely on: ids, order, severities and parameter keys with defaults.
@Suite struct RegistryTests {
    static let expected: [(id: String, severity: Severity, parameters: [String: JSONValue])] = [
        ("record.ruleset", .error, [:]),
        ("record.fields", .error, ["new_vehicle_fields": ["plate", "plate_type", "first_registered"]]),
        ("record.vin", .warning, ["allow_short_frame_numbers": false]),
        ("record.plate", .warning, ["provinces": []]),
        ("record.station", .error, [:]),
        ("record.times", .error, ["min_minutes": 5, "max_minutes": 240]),
        ("record.verdict", .error, [
            "brake_total_min": 60, "brake_front_axle_min": 60, "brake_rear_axle_min": 20, "imbalance_front_max": 20,
            "imbalance_rear_max": 24, "imbalance_rear_full_force_min": 60, "imbalance_rear_low_force_max": 8,
            "imbalance_front_in_use_max": 24, "imbalance_rear_in_use_max": 30, "imbalance_rear_low_force_in_use_max": 10, "parking_min": 20, "headlamp_two_lamp_min_cd": 15000, "headlamp_four_lamp_min_cd": 12000,
            "headlamp_two_lamp_new_min_cd": 18000, "headlamp_four_lamp_new_min_cd": 15000,
            "sideslip_max_m_per_km": 5,
        ]),
        ("record.odometer", .error, ["tolerance_km": 0]),
        ("record.overlap", .error, ["min_overlap_s": 0]),
        ("photo.missing", .error, [:]),
        ("photo.unreadable", .error, [:]),
        ("photo.resolution", .warning, ["min_width": 640, "min_height": 480, "codes": []]),
        ("photo.exif", .warning, ["require_exif": true, "require_date_time_original": true, "exempt_codes": []]),
        ("photo.time_window", .error, ["tolerance_s": 300, "max_skew_s": 120]),
        ("photo.sequence", .warning, ["order": [["0344", "0342"], ["0341", "0343"]]]),
        ("photo.device", .error, ["match_serial": true, "require_camera_info": false]),
        ("photo.location", .warning, ["require_gps": false, "extra_radius_m": 0]),
        ("photo.edited", .error, [
            "editors": ["photoshop", "lightroom", "gimp", "snapseed", "picsart", "meitu", "美图", "pixlr", "affinity photo",
                        "paint.net", "acdsee", "faststone", "photoscape", "fotor", "canva", "windows photo editor",
                        "microsoft photos", "polarr", "vsco", "facetune"],
            "modify_tolerance_s": 60, "flag_xmp_history": true,
        ]),
        ("photo.quality", .warning, [
            "dark_max_luminance": 35, "bright_min_luminance": 225, "blank_max_contrast": 6, "blur_min_ratio": 0.02, "codes": [], "code_groups": [],
        ]),
        ("photo.duplicate", .error, ["max_distance": 3, "min_contrast": 8, "ignore_codes": [], "exact_only_codes": []]),
    ]

    @Test func catalogueMatchesTheContract() {
        #expect(RuleRegistry.identifiers == Self.expected.map(\.id))
        for (id, severity, parameters) in Self.expected {
            guard let rule = RuleRegistry.rule(id) else {
                Issue.record("\(id) is not registered")
                continue
            }
            #expect(rule.description.defaultSeverity == severity, "\(id)")
            let described = rule.parameterDescriptions
            #expect(Dictionary(uniqueKeysWithValues: described.map { ($0.key, $0.defaultValue) }) == parameters, "\(id)")
            #expect(described.allSatisfy { !$0.help.isEmpty })
        }
    }

    @Test func everyParameterAcceptsItsOwnDefault() throws {
        for rule in RuleRegistry.all {
            let defaults = rule.parameterDescriptions.reduce(into: [String: ParameterValue]()) { $0[$1.key] = ParameterValue($1.defaultValue) }
            _ = try rule.configured(parameters: defaults)
        }
    }
}
