import VIACore

/// `photo.duplicate`: every photo is new — not a copy of another record's photo, nor of another code in this record.
public struct DuplicateRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Largest perceptual-hash distance (of 64 bits) counted as the same picture.
        public var maxDistance = 3
        /// Photos with less contrast are not compared by perceptual hash (blank or dark frames all look alike).
        public var minContrast = 8.0
        public var ignoreCodes: [String] = []
        /// Codes compared by exact content only: standard forms of one layout look alike to a perceptual hash.
        public var exactOnlyCodes: [String] = []

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            maxDistance = try parameters.int(
                "max_distance", maxDistance, "largest perceptual-hash distance (bits of 64) counted as the same picture", in: 0...32)
            minContrast = try parameters.double(
                "min_contrast", minContrast, "photos with less contrast (luminance std dev) are not compared by perceptual hash",
                in: 0...128)
            ignoreCodes = try parameters.strings(
                "ignore_codes", ignoreCodes, "photo codes never compared, with * and ? patterns")
            exactOnlyCodes = try parameters.strings(
                "exact_only_codes", exactOnlyCodes,
                "photo codes compared by exact content (SHA-256) only, never by perceptual hash, with * and ? patterns (e.g. \"02*\": two vehicles' application forms of one layout look alike)")
        }
    }

    /// A history entry copying (or, with `flip` bits changed in its perceptual hash, resembling) one of the example photos.
    static func known(_ description: String, copying code: String, station: String = "150602003",
                      inspectionId: String = "15060200326092104", as otherCode: String? = nil, flip: UInt64 = 0,
                      attempt: Int = 1) -> ExampleChange {
        ExampleChange("history: \(description)") { world in
            guard let facts = world.facts[code], let sha = facts.sha256, let hash = facts.figures?.perceptualHashValue else { return }
            let otherSHA = flip == 0 ? sha : String(sha.reversed())
            world.history.add(KnownPhoto(station: station, inspectionId: inspectionId, code: otherCode ?? code, sha256: otherSHA,
                                         perceptualHash: PerceptualHash.hex(hash ^ flip), batchId: "20260921-0004",
                                         attempt: attempt))
        }
    }

    /// The added 0202 gets content of its own (not the VIN photo it was copied from).
    static let applicationForm = ExampleChange.photo("0202", "an application form of its own") { facts in
        facts.sha256 = String(repeating: "d0", count: 32)
        facts.figures?.perceptualHash = "0f0f0f0f33cc33cc"
    }

    public static let description = RuleDescription(
        identifier: "photo.duplicate",
        name: "Photo not reused",
        description: "A photo is byte-identical (SHA-256) or nearly identical (perceptual hash within max_distance bits) to a photo of another record at any station, or to a photo listed earlier in the same record under another code.",
        rationale: "Reusing a photo from another vehicle or an earlier visit is the commonest way to 'inspect' a vehicle that was never on the lane; the perceptual hash still matches after re-compression, resizing or a changed watermark.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("seven distinct photos, nothing similar on record"),
            RuleExample("the same photo stored from an earlier submission of this very inspection",
                        known("this inspection's 0111, submitted before", copying: "0111", station: ExampleWorld.stationCode,
                              inspectionId: "15060200126101800")),
            RuleExample("last year's photo of the same view, 14 bits apart",
                        known("a photo 14 bits away", copying: "0111", flip: 0x3FFF)),
            RuleExample("two near-black lane frames are not compared (contrast below 8)",
                        .photo("0344", "contrast 5") { $0.figures?.contrast = 5 },
                        known("another record's frame 2 bits away", copying: "0344", flip: 0b11)),
            RuleExample("two vehicles' application forms of one layout, 2 bits apart, documents compared exactly only",
                        parameters: ["exact_only_codes": ["02*"]],
                        .addPhoto("0202", copying: "0113", takenAt: "2026-10-18T09:40:00+08:00"), applicationForm,
                        known("another vehicle's application form 2 bits away", copying: "0202", flip: 0b101)),
        ],
        triggeringExamples: [
            RuleExample("the left-front view is a byte copy of another station's photo",
                        known("the same file in inspection 15060200326092104 at 150602003", copying: "0111")),
            RuleExample("the VIN photo matches another record's after re-compression (3 bits apart)",
                        known("a photo 3 bits away", copying: "0113", flip: 0b1011)),
            RuleExample("the straight rear view is the right-rear photo submitted again",
                        .addPhoto("0158", copying: "0112", takenAt: "2026-10-18T10:05:10+08:00")),
            RuleExample("an application form byte-identical to another vehicle's, documents compared exactly",
                        parameters: ["exact_only_codes": ["02*"]],
                        .addPhoto("0202", copying: "0113", takenAt: "2026-10-18T09:40:00+08:00"), applicationForm,
                        known("another vehicle's application form, the same file", copying: "0202")),
            RuleExample("a re-test (attempt 2) submits the first attempt's headlamp photo again",
                        .record(["attempt": 2]),
                        known("this inspection's attempt 1, its 0321", copying: "0321", station: ExampleWorld.stationCode,
                              inspectionId: "15060200126101800", attempt: 1)),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// One candidate match for a photo.
    struct Match {
        var exact: Bool
        var distance: Int
        var station: String
        var inspectionId: String?
        var code: String?
        var batchId: String?
        var sameRecord: Bool
        var attempt = 1
    }

    public func validate(_ context: RecordContext) -> [Violation] {
        let ignore = CodeFilter(configuration.ignoreCodes)
        let exactOnly = CodeFilter(configuration.exactOnlyCodes)
        let record = context.record
        // Content this record itself carries, by code: history entries that are this record are not matches.
        var own: [String: Set<String>] = [:]
        for photo in context.photos {
            if let code = photo.code, let sha = photo.facts?.sha256 { own[code, default: []].insert(sha) }
        }
        // Earlier versions of this very submission (same inspection and attempt); a re-test's photos must be new.
        func isSelf(_ known: KnownPhoto, code: String?) -> Bool {
            guard known.isOf(station: context.stationCode, inspectionId: record.inspectionId, attempt: record.attempt) else { return false }
            return known.code == code || own[known.code]?.contains(known.sha256) == true
        }
        var violations: [Violation] = []
        for (index, photo) in context.photos.enumerated() where !ignore.matches(photo.code) {
            guard let facts = photo.facts, facts.isSound, let sha = facts.sha256 else { continue }
            let hash = facts.figures?.perceptualHashValue
            let comparable = hash != nil && (facts.figures?.contrast ?? 0) >= configuration.minContrast && !exactOnly.matches(photo.code)
            var best: Match?
            func consider(_ match: Match) {
                guard let current = best else { best = match; return }
                if match.exact && !current.exact { best = match; return }
                if !match.exact && !current.exact && match.distance < current.distance { best = match }
            }
            if let known = context.history.photos(sha256: sha).first(where: { !isSelf($0, code: photo.code) }) {
                consider(Match(exact: true, distance: 0, station: known.station, inspectionId: known.inspectionId, code: known.code,
                               batchId: known.batchId, sameRecord: false, attempt: known.attempt))
            }
            for earlier in context.photos[..<index] where !ignore.matches(earlier.code) {
                guard let other = earlier.facts, other.isSound, let otherSHA = other.sha256 else { continue }
                let match = Match(exact: true, distance: 0, station: context.stationCode, inspectionId: record.inspectionId,
                                  code: earlier.code ?? earlier.label, batchId: context.batchId, sameRecord: true)
                if otherSHA == sha {
                    consider(match)
                } else if comparable, !exactOnly.matches(earlier.code), let hash, let otherHash = other.figures?.perceptualHashValue,
                          (other.figures?.contrast ?? 0) >= configuration.minContrast {
                    let distance = PerceptualHash.distance(hash, otherHash)
                    if distance <= configuration.maxDistance {
                        var near = match
                        near.exact = false
                        near.distance = distance
                        consider(near)
                    }
                }
            }
            if best?.exact != true, comparable, let hash {
                for (known, distance) in context.history.photos(near: hash, within: configuration.maxDistance)
                where known.sha256 != sha && !isSelf(known, code: photo.code) && !exactOnly.matches(known.code) {
                    consider(Match(exact: false, distance: distance, station: known.station, inspectionId: known.inspectionId,
                                   code: known.code, batchId: known.batchId, sameRecord: false, attempt: known.attempt))
                }
            }
            guard let match = best else { continue }
            violations.append(violation(photo, match, sha: sha, context: context))
        }
        return violations
    }

    func violation(_ photo: RecordPhoto, _ match: Match, sha: String, context: RecordContext) -> Violation {
        let other = match.sameRecord
            ? "photo \(match.code ?? "?") of the same record"
            : "photo \(match.code ?? "?") of inspection \(match.inspectionId ?? "?")"
                + (match.attempt > 1 || (match.station == context.stationCode && match.inspectionId == context.record.inspectionId)
                    ? " (attempt \(match.attempt))" : "")
                + " at station \(match.station)" + (match.batchId.map { " (batch \($0))" } ?? "")
        var evidence: [String: JSONValue] = [
            "match": .string(match.exact ? "exact" : "near"), "same_record": .bool(match.sameRecord),
            "other_station": .string(match.station), "other_inspection_id": JSONValue(match.inspectionId),
            "other_code": JSONValue(match.code), "other_batch_id": JSONValue(match.batchId),
            "other_attempt": JSONValue(match.attempt),
        ]
        let message: String
        if match.exact {
            evidence["sha256"] = .string(sha)
            message = "photo \(photo.label) is byte-for-byte identical (same SHA-256) to \(other); a photo of its own is expected"
        } else {
            evidence["distance"] = JSONValue(match.distance)
            evidence["max_distance"] = JSONValue(configuration.maxDistance)
            message = "photo \(photo.label) is nearly identical to \(other): perceptual hashes \(match.distance) of 64 bits apart, at most \(configuration.maxDistance) counts as the same picture; a photo of its own is expected"
        }
        return Violation(photo: photo.label, message: message, evidence: evidence)
    }
}
