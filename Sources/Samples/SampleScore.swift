import VIACore

/// How well an audit found the planted defects: recall over labelled defects, false flags on clean records.
public struct SampleScore: Sendable, Codable, Equatable {
    public struct Miss: Sendable, Codable, Equatable {
        public var inspectionId: String
        public var defect: Defect?
        public var expectedRule: String
        public var foundRules: [String]
    }

    public struct FalseFlag: Sendable, Codable, Equatable {
        public var inspectionId: String
        public var status: RecordStatus
        public var findings: [String]
    }

    public var records: Int
    public var defective: Int
    /// Expected (record, rule) pairs and how many were reported with severity warning or error.
    public var expected: Int
    public var found: Int
    public var clean: Int
    public var cleanFlagged: Int
    public var misses: [Miss]
    public var falseFlags: [FalseFlag]

    /// Share of expected findings that were reported.
    public var recall: Double { expected == 0 ? 1 : Double(found) / Double(expected) }
    /// Share of clean records that did not pass.
    public var falseFlagRate: Double { clean == 0 ? 0 : Double(cleanFlagged) / Double(clean) }

    public init(labels: SampleLabels, receipt: Receipt) {
        let results = Dictionary(receipt.records.map { ($0.inspectionId, $0) }, uniquingKeysWith: { first, _ in first })
        records = labels.records.count
        defective = labels.records.filter { $0.defect != nil }.count
        expected = 0
        found = 0
        clean = 0
        cleanFlagged = 0
        misses = []
        falseFlags = []
        for label in labels.records {
            let result = results[label.inspectionId]
            let reported = Set((result?.findings ?? []).filter { $0.severity >= .warning }.map(\.rule))
            if label.expectedRules.isEmpty {
                clean += 1
                if let result, result.status != .passed {
                    cleanFlagged += 1
                    falseFlags.append(FalseFlag(inspectionId: label.inspectionId, status: result.status,
                                                findings: result.findings.filter { $0.severity >= .warning }.map { "\($0.rule): \($0.message)" }))
                }
                continue
            }
            for rule in label.expectedRules {
                expected += 1
                if reported.contains(rule) {
                    found += 1
                } else {
                    misses.append(Miss(inspectionId: label.inspectionId, defect: label.defect, expectedRule: rule,
                                       foundRules: reported.sorted()))
                }
            }
        }
    }

    public var summary: String {
        String(format: "recall %.1f%% (%d of %d planted defects found), false flags %.1f%% (%d of %d clean records)",
               recall * 100, found, expected, falseFlagRate * 100, cleanFlagged, clean)
    }
}
