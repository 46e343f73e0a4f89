/// One record's complete audit: its result line plus everything a store keeps about it.
public struct AuditedRecord: Sendable {
    public var record: InspectionRecord
    public var result: RecordResult
    /// The rule set that judged it (nil when none applied).
    public var ruleSet: RuleSet?
    /// Per photo entry: what analysis read, when the file was found.
    public var photos: [RecordPhoto]
    /// Absolute file path per photo entry (nil when unusable).
    public var photoPaths: [String?]

    public init(record: InspectionRecord, result: RecordResult, ruleSet: RuleSet?, photos: [RecordPhoto], photoPaths: [String?]) {
        self.record = record
        self.result = result
        self.ruleSet = ruleSet
        self.photos = photos
        self.photoPaths = photoPaths
    }
}

/// The result of auditing a batch.
public struct AuditOutcome: Sendable {
    public var receipt: Receipt
    public var records: [AuditedRecord]

    public init(receipt: Receipt, records: [AuditedRecord]) {
        self.receipt = receipt
        self.records = records
    }
}

