import Foundation
import VIACore

/// `photo.edited`: no sign that a photo went through editing software after capture.
public struct EditedRule: Rule {
    public struct Configuration: RuleConfiguration {
        /// Editor names matched case-insensitively as substrings of EXIF Software and XMP tool names.
        public var editors = [
            "photoshop", "lightroom", "gimp", "snapseed", "picsart", "meitu", "美图", "pixlr", "affinity photo", "paint.net",
            "acdsee", "faststone", "photoscape", "fotor", "canva", "windows photo editor", "microsoft photos", "polarr",
            "vsco", "facetune",
        ]
        /// Accepted gap between EXIF DateTime (last modified) and DateTimeOriginal, in seconds.
        public var modifyToleranceSeconds = 60.0
        /// Report XMP/segment editing traces (photoshop:History, xmpMM:History, APP13 Photoshop, APP14 Adobe).
        public var flagXMPHistory = true

        public init() {}

        public mutating func apply(_ parameters: inout RuleParameters) throws(RuleParameterError) {
            editors = try parameters.strings(
                "editors", editors, "editing software names, matched case-insensitively inside EXIF Software, XMP CreatorTool and XMP history agents")
            modifyToleranceSeconds = try parameters.double(
                "modify_tolerance_s", modifyToleranceSeconds,
                "how many seconds EXIF DateTime (last modified) may follow DateTimeOriginal", in: 0...31_536_000)
            flagXMPHistory = try parameters.bool(
                "flag_xmp_history", flagXMPHistory,
                "report editing traces: XMP photoshop:History / xmpMM:History, APP13 Photoshop and APP14 Adobe segments")
        }
    }

    public static let description = RuleDescription(
        identifier: "photo.edited",
        name: "No signs of editing",
        description: "EXIF Software, XMP CreatorTool or an XMP history agent names editing software; XMP or segment editing traces are present (photoshop:History, xmpMM:History, APP13 Photoshop, APP14 Adobe); or EXIF DateTime (last modified) is later than DateTimeOriginal by more than the tolerance.",
        rationale: "Editing is how a plate, a date watermark or a lamp is changed in a photo. Lane cameras write their firmware in Software and never touch a photo after capture.",
        defaultSeverity: .error,
        nonTriggeringExamples: [
            RuleExample("camera photos with no software or editing traces"),
            RuleExample("camera firmware in Software, DateTime equal to DateTimeOriginal",
                        .photo("0111", "EXIF Software \"V5.7.3 build 220112\", DateTime 2026:10:18 10:01:02") { facts in
                            facts.exif?.software = "V5.7.3 build 220112"
                            facts.exif?.dateTime = "2026:10:18 10:01:02"
                        }),
            RuleExample("the camera wrote the file 20 s after capture",
                        .photo("0112", "EXIF DateTime 2026:10:18 10:02:50") { $0.exif?.dateTime = "2026:10:18 10:02:50" }),
            RuleExample("an APP14 Adobe segment when editing traces are not reported", parameters: ["flag_xmp_history": false],
                        .photo("0113", "APP14 Adobe segment") { facts in
                            facts.xmp = XMPFacts(editingTraces: ["APP14 Adobe segment (written by Adobe software)"])
                        }),
        ],
        triggeringExamples: [
            RuleExample("saved from Photoshop",
                        .photo("0111", "EXIF Software \"Adobe Photoshop 25.0 (Windows)\"") { facts in
                            facts.exif?.software = "Adobe Photoshop 25.0 (Windows)"
                            facts.exif?.dateTime = "2026:10:19 08:12:40"
                        }),
            RuleExample("retouched in 美图秀秀",
                        .photo("0113", "XMP CreatorTool \"美图秀秀\"") { $0.xmp = XMPFacts(creatorTool: "美图秀秀") }),
            RuleExample("modified a day after capture",
                        .photo("0321", "EXIF DateTime 2026:10:19 09:30:00") { $0.exif?.dateTime = "2026:10:19 09:30:00" }),
            RuleExample("Photoshop history and resources left in the file",
                        .photo("0352", "XMP photoshop:History, APP13 Photoshop") { facts in
                            facts.xmp = XMPFacts(photoshopHistory: true, editingTraces: [
                                "XMP photoshop:History present",
                                "APP13 Photoshop 3.0 resource block (written by Adobe Photoshop and similar editors)",
                            ])
                        }),
        ])

    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate(_ context: RecordContext) -> [Violation] {
        let editors = configuration.editors.map { $0.lowercased() }.filter { !$0.isEmpty }
        func editor(in text: String?) -> String? {
            guard let text = text?.lowercased() else { return nil }
            return editors.first { text.contains($0) }
        }
        var violations: [Violation] = []
        for photo in context.photos {
            guard let facts = photo.facts else { continue } // photo.unreadable
            var signs: [String] = []
            var matched: [String] = []
            var evidence: [String: JSONValue] = [:]
            let exif = facts.exif, xmp = facts.xmp
            if let software = exif?.software, let name = editor(in: software) {
                signs.append("EXIF Software \"\(software)\" names an editor")
                matched.append(name)
                evidence["software"] = .string(software)
            }
            if let tool = xmp?.creatorTool, let name = editor(in: tool) {
                signs.append("XMP CreatorTool \"\(tool)\" names an editor")
                matched.append(name)
                evidence["creator_tool"] = .string(tool)
            }
            let agents = (xmp?.historySoftware ?? []).filter { editor(in: $0) != nil }
            if !agents.isEmpty {
                signs.append("XMP history names \(agents.map { "\"\($0)\"" }.joined(separator: ", "))")
                matched += agents.compactMap { editor(in: $0) }
                evidence["history_software"] = JSONValue(agents)
            }
            if configuration.flagXMPHistory, let xmp {
                var traces = xmp.editingTraces
                if traces.isEmpty, xmp.photoshopHistory { traces = ["XMP photoshop:History present"] }
                if !traces.isEmpty {
                    signs.append("editing traces: \(traces.joined(separator: "; "))")
                    evidence["editing_traces"] = JSONValue(traces)
                }
            }
            if let exif, let modifiedText = exif.dateTime, let originalText = exif.dateTimeOriginal,
               let modified = Timestamp.parseEXIF(modifiedText, offset: exif.offsetTimeOriginal, timeZone: context.timeZone),
               let original = Timestamp.parseEXIF(originalText, offset: exif.offsetTimeOriginal, timeZone: context.timeZone) {
                let gap = modified.date.timeIntervalSince(original.date)
                if gap > configuration.modifyToleranceSeconds {
                    signs.append("EXIF DateTime (last modified) \(modifiedText) is \(Format.duration(gap)) after DateTimeOriginal \(originalText), more than the \(Format.duration(configuration.modifyToleranceSeconds)) a camera needs")
                    evidence["date_time"] = .string(modifiedText)
                    evidence["date_time_original"] = .string(originalText)
                    evidence["modified_after_s"] = Format.rounded(gap, digits: 0)
                    evidence["modify_tolerance_s"] = JSONValue(configuration.modifyToleranceSeconds)
                }
            }
            guard !signs.isEmpty else { continue }
            if !matched.isEmpty {
                var unique: [String] = []
                for name in matched where !unique.contains(name) { unique.append(name) }
                evidence["editors"] = JSONValue(unique)
            }
            violations.append(Violation(
                photo: photo.label,
                message: "photo \(photo.label) shows signs of editing: \(signs.joined(separator: "; ")); an untouched camera original is expected",
                evidence: evidence))
        }
        return violations
    }
}
