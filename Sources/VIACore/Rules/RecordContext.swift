import Foundation

/// A photo entry of the record together with what analysis read from its file.
public struct RecordPhoto: Sendable, Equatable {
    public var entry: PhotoEntry
    /// Nil when the file could not be found in the batch.
    public var facts: PhotoFacts?
    /// Why there are no facts (file missing, path escaping...), for messages.
    public var unavailableReason: String?

    public init(entry: PhotoEntry, facts: PhotoFacts?, unavailableReason: String? = nil) {
        self.entry = entry
        self.facts = facts
        self.unavailableReason = unavailableReason
    }

    public var code: String? { entry.code }
    public var label: String { entry.label }
}

/// What the record's rule set requires of it, resolved for this record (conditions already applied).
public struct RecordRequirements: Sendable, Equatable {
    /// Photo codes that must be present.
    public var photoCodes: [String]
    /// Record fields the rule set requires beyond the format's.
    public var fields: [String]
    /// Known photo codes and their names (for messages).
    public var photoCodeNames: [String: String]
    /// The rule set's photo windows (documents before the start, the report after the end).
    public var photoWindows: [PhotoWindow]

    public init(photoCodes: [String] = [], fields: [String] = [], photoCodeNames: [String: String] = [:],
                photoWindows: [PhotoWindow] = []) {
        self.photoCodes = photoCodes
        self.fields = fields
        self.photoCodeNames = photoCodeNames
        self.photoWindows = photoWindows
    }

    /// The window that applies to a photo code, if a rule set gives it one.
    public func window(for code: String?) -> PhotoWindow? { photoWindows.first { $0.matches(code) } }

    /// "0111 (left-front 45° view)" or just the code.
    public func describe(_ code: String) -> String {
        photoCodeNames[code].map { "\(code) (\($0))" } ?? code
    }
}

/// Everything a rule sees when it judges one record.
public struct RecordContext: Sendable {
    public var stationCode: String
    public var batchId: String?
    public var record: InspectionRecord
    public var photos: [RecordPhoto]
    /// The submitting station's registry entry (nil if it vanished from the registry).
    public var station: Station?
    public var requirements: RecordRequirements
    public var history: any History
    /// The rule set judging the record; nil when none applies (`record.ruleset` reports that).
    public var ruleSetId: String?

    public init(stationCode: String, batchId: String? = nil, record: InspectionRecord, photos: [RecordPhoto],
                station: Station?, requirements: RecordRequirements, history: any History = InMemoryHistory(),
                ruleSetId: String? = nil) {
        self.ruleSetId = ruleSetId
        self.stationCode = stationCode
        self.batchId = batchId
        self.record = record
        self.photos = photos
        self.station = station
        self.requirements = requirements
        self.history = history
    }

    /// The station's time zone, used for EXIF times that carry no offset.
    public var timeZone: TimeZone { station?.timeZone ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    /// The registered device a photo entry names (on any of the station's lanes), if any.
    public func device(of photo: RecordPhoto) -> Device? { photo.entry.device.flatMap { station?.device(id: $0) } }

    /// Whether the photo comes from a device registered as writing no EXIF (SPEC §2).
    public func isFromDeviceWithoutExif(_ photo: RecordPhoto) -> Bool { device(of: photo)?.exif == false }

    /// Photos whose analysis succeeded and decoded soundly.
    public var soundPhotos: [RecordPhoto] { photos.filter { $0.facts?.isSound == true } }

    /// The EXIF capture time of a photo, in the photo's own offset or the station's zone.
    public func exifTime(_ photo: RecordPhoto) -> Timestamp? {
        guard let exif = photo.facts?.exif, let text = exif.dateTimeOriginal else { return nil }
        return Timestamp.parseEXIF(text, subSeconds: exif.subSecTimeOriginal, offset: exif.offsetTimeOriginal, timeZone: timeZone)
    }
}
