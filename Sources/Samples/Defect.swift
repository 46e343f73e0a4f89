/// A defect the generator can plant in a record, with the rule ids that must catch it.
public enum Defect: String, CaseIterable, Sendable, Codable {
    case stalePhoto = "stale_photo"
    case missingPhoto = "missing_photo"
    case corruptFile = "corrupt_file"
    case unregisteredCamera = "unregistered_camera"
    case gpsFarAway = "gps_far_away"
    case editedBySoftware = "edited_by_software"
    case darkPhoto = "dark_photo"
    case blurredPhoto = "blurred_photo"
    case blankPhoto = "blank_photo"
    case duplicateInBatch = "duplicate_in_batch"
    case vinTypo = "vin_typo"
    case plateMismatch = "plate_mismatch"
    case verdictContradiction = "verdict_contradiction"
    case lowResolution = "low_resolution"
    case noExif = "no_exif"
    case sequenceSwapped = "sequence_swapped"
    case unregisteredLane = "unregistered_lane"
    case timesInverted = "times_inverted"
    case missingField = "missing_field"
    case unknownVehicleType = "unknown_vehicle_type"
    case odometerRollback = "odometer_rollback"
    case overlappingInspection = "overlapping_inspection"

    /// Rules that must report this defect.
    public var expectedRules: [String] {
        switch self {
        case .stalePhoto: return ["photo.time_window"]
        case .missingPhoto: return ["photo.missing"]
        case .corruptFile: return ["photo.unreadable"]
        case .unregisteredCamera: return ["photo.device"]
        case .gpsFarAway: return ["photo.location"]
        case .editedBySoftware: return ["photo.edited"]
        case .darkPhoto, .blurredPhoto, .blankPhoto: return ["photo.quality"]
        case .duplicateInBatch: return ["photo.duplicate"]
        case .vinTypo: return ["record.vin"]
        case .plateMismatch: return ["record.plate"]
        case .verdictContradiction: return ["record.verdict"]
        case .lowResolution: return ["photo.resolution"]
        case .noExif: return ["photo.exif"]
        case .sequenceSwapped: return ["photo.sequence"]
        case .unregisteredLane: return ["record.station"]
        case .timesInverted: return ["record.times"]
        case .missingField: return ["record.fields"]
        case .unknownVehicleType: return ["record.ruleset"]
        case .odometerRollback: return ["record.odometer"]
        case .overlappingInspection: return ["record.overlap"]
        }
    }

    /// Defects that need an earlier record in the batch to refer to.
    var needsEarlierRecord: Bool {
        self == .duplicateInBatch || self == .odometerRollback || self == .overlappingInspection
    }
}
