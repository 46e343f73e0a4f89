import VIACore

/// `photo.unreadable`: every listed photo is present and decodes as a sound JPEG within the limits.
public struct UnreadablePhotoRule: Rule {
    public typealias Configuration = EmptyConfiguration

    public static let description = RuleDescription(
        identifier: "photo.unreadable",
        name: "Photo readable",
        description: "A listed photo file is missing from the batch, is not a JPEG, is empty, truncated or corrupt, or exceeds the size or pixel limits.",
        rationale: "A photo nobody can open proves nothing; the station must send a usable file (status returned). Trailing data and damaged EXIF leave a usable image and are not reported here.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("every photo decodes without error"),
            RuleExample("bytes after the end-of-image marker (a warning, the image is intact)",
                        .photo("0111", "1 204 bytes after EOI") { facts in
                            facts.integrity.problems = [PhotoProblem(.trailingData, "1204 bytes after the EOI marker")]
                        }),
            RuleExample("damaged EXIF but intact image data",
                        .photo("0112", "EXIF IFD0 entry count runs past the segment") { facts in
                            facts.integrity.problems = [PhotoProblem(.exifDamaged, "IFD0 entry count 4096 runs past the APP1 segment")]
                        }),
        ],
        triggeringExamples: [
            RuleExample("the VIN photo's file is not in the batch", .fileMissing("0113")),
            RuleExample("upload cut off: the JPEG ends mid-scan",
                        .photo("0321", "truncated at 131072 bytes") { facts in
                            facts.byteCount = 131_072
                            facts.integrity.problems = [PhotoProblem(.truncated, "the file ends at byte 131072 inside the entropy-coded data, before EOI")]
                            facts.figures = nil
                        }),
            RuleExample("a PNG renamed to .jpg",
                        .photo("0111", "not a JPEG (PNG signature)") { facts in
                            facts.jpeg = nil
                            facts.exif = nil
                            facts.figures = nil
                            facts.integrity = Integrity(decoded: false, problems: [PhotoProblem(.notJPEG, "starts with 89 50 4E 47 (PNG), not FF D8")])
                        }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        var violations: [Violation] = []
        for photo in context.photos {
            guard let facts = photo.facts else {
                let reason = photo.unavailableReason ?? "it could not be analysed"
                violations.append(Violation(
                    photo: photo.label,
                    message: "photo \(photo.label) cannot be read: \(reason); expected a JPEG file in the batch",
                    evidence: ["file": JSONValue(photo.entry.file), "reason": .string(reason)]))
                continue
            }
            guard !facts.isSound else { continue }
            let errors = facts.integrity.problems.filter { $0.severity == .error }
            let list = errors.map { "\($0.kind.rawValue) (\($0.message))" }.joined(separator: "; ")
            violations.append(Violation(
                photo: photo.label,
                message: "photo \(photo.label) (\(facts.file)) is not a usable JPEG: \(list); expected a complete, undamaged JPEG",
                evidence: ["file": .string(facts.file), "problems": JSONValue(errors.map(\.kind.rawValue)),
                           "messages": JSONValue(errors.map(\.message)), "byte_count": JSONValue(facts.byteCount),
                           "decoder_warnings": JSONValue(facts.integrity.decoderWarnings)]))
        }
        return violations
    }
}
