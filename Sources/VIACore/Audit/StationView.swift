/// What a station may see of its own findings. Cross-station rules (photo.duplicate, record.odometer,
/// record.overlap) name the other station's inspection, batch, readings and times in their message and evidence;
/// reviewers need that, but a station reading it could probe other stations' inspection histories by submitting
/// crafted records. The station keeps the rule, severity, photo, field and what it must fix.
public extension Finding {
    /// This finding as `station` may read it: a finding about another station's record loses the other side's
    /// identifiers and figures (evidence keys `other_*`), and its message says only what conflicts.
    func visible(to station: String) -> Finding {
        guard case let .string(other)? = evidence["other_station"], other != station else { return self }
        var copy = self
        copy.evidence = evidence.filter { !$0.key.hasPrefix("other_") }
        copy.evidence["other_station"] = .string("another station")
        copy.message = Self.stationMessage(rule: rule, photo: photo) + " (the details are shown to the reviewers)"
        return copy
    }

    static func stationMessage(rule: String, photo: String?) -> String {
        switch rule {
        case "photo.duplicate": return "photo \(photo ?? "?") is a copy of a photo another station submitted; a photo of its own is expected"
        case "record.odometer": return "the odometer reading is lower than one recorded for this vehicle at another station"
        case "record.overlap": return "this vehicle was being inspected at another station during this inspection"
        default: return "\(rule): this record conflicts with an inspection at another station"
        }
    }
}

public extension RecordResult {
    /// This result as `station` may read it (see `Finding.visible(to:)`).
    func visible(to station: String) -> RecordResult {
        var copy = self
        copy.findings = findings.map { $0.visible(to: station) }
        return copy
    }
}

public extension Receipt {
    /// This receipt as `station` may read it (see `Finding.visible(to:)`).
    func visible(to station: String) -> Receipt {
        var copy = self
        copy.records = records.map { $0.visible(to: station) }
        return copy
    }
}
