import Foundation
import VIACore

/// Reads the few XMP properties that reveal editing, by scanning the packet text.
///
/// A full RDF parser is not needed to find these properties, and a scanner cannot be made to recurse or
/// allocate without bound by a hostile packet: it only searches, and stops after a fixed number of hits.
public enum XMPScanner {
    static let maxHits = 64

    public static func scan(_ packets: [String], segmentTraces: [String] = []) -> XMPFacts? {
        guard !packets.isEmpty || !segmentTraces.isEmpty else { return nil }
        let text = packets.joined(separator: "\n")
        var facts = XMPFacts()
        facts.creatorTool = values(of: "CreatorTool", in: text).first
        facts.modifyDate = values(of: "ModifyDate", in: text).first
        facts.photoshopHistory = text.contains("photoshop:History")
        var agents: [String] = []
        for agent in values(of: "softwareAgent", in: text) where !agents.contains(agent) {
            agents.append(agent)
        }
        facts.historySoftware = agents

        var traces: [String] = []
        if facts.photoshopHistory { traces.append("XMP photoshop:History present") }
        if text.contains("xmpMM:History") {
            traces.append(agents.isEmpty
                ? "XMP xmpMM:History present"
                : "XMP xmpMM:History names \(agents.joined(separator: ", "))")
        }
        if text.contains("xmpMM:DerivedFrom") { traces.append("XMP xmpMM:DerivedFrom present (derived from another document)") }
        facts.editingTraces = traces + segmentTraces
        return facts
    }

    /// Values of a property written either as an attribute (`ns:Name="v"`) or as a simple element
    /// (`<ns:Name>v</ns:Name>`), whatever the namespace prefix.
    static func values(of localName: String, in text: String) -> [String] {
        var results: [String] = []
        var searchStart = text.startIndex
        let needle = ":" + localName
        while results.count < maxHits, let hit = text.range(of: needle, range: searchStart..<text.endIndex) {
            searchStart = hit.upperBound
            var cursor = hit.upperBound
            while cursor < text.endIndex, text[cursor] == " " || text[cursor] == "\n" || text[cursor] == "\t" || text[cursor] == "\r" {
                cursor = text.index(after: cursor)
            }
            guard cursor < text.endIndex else { break }
            if text[cursor] == "=" {
                cursor = text.index(after: cursor)
                while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
                guard cursor < text.endIndex, text[cursor] == "\"" || text[cursor] == "'" else { continue }
                let quote = text[cursor]
                let valueStart = text.index(after: cursor)
                guard let end = text[valueStart...].firstIndex(of: quote) else { break }
                append(String(text[valueStart..<end]), to: &results)
                searchStart = end
            } else if text[cursor] == ">" {
                let valueStart = text.index(after: cursor)
                guard let end = text[valueStart...].firstIndex(of: "<") else { break }
                append(String(text[valueStart..<end]), to: &results)
                searchStart = end
            }
        }
        return results
    }

    private static func append(_ raw: String, to results: inout [String]) {
        let value = unescape(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if !value.isEmpty { results.append(value) }
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
