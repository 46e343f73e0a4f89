import Foundation
import Store
import VIACore

/// A queued record made ready for the screen: its photo previews decoded and rendered once.
struct PreparedItem: Sendable {
    let item: ReviewItem
    /// Large previews of the photos the findings concern (with a duplicate's original beside it).
    let previews: [Preview]
    /// Small previews of the other photos.
    let thumbnails: [Preview]
    let columns: Int
    let rows: Int

    struct Preview: Sendable {
        let title: String
        let path: String?
        /// Rendered half-block lines; nil when the terminal cannot show colour or the photo cannot be decoded.
        let lines: [String]?
        let width: Int
    }
}

/// Builds `PreparedItem`s: which photos to show, at what size.
struct ReviewPreparer: Sendable {
    let store: ViaStore
    let trueColor: Bool

    func prepare(_ item: ReviewItem, columns: Int, rows: Int) -> PreparedItem {
        var concerned: [String] = []
        for finding in item.findings where finding.severity >= .warning {
            if let code = finding.photo, !concerned.contains(code) { concerned.append(code) }
        }
        var large: [(title: String, path: String?)] = []
        for code in concerned.prefix(3) {
            let photo = item.photos.first { $0.code == code }
            large.append(("\(code) \(Self.state(photo))", photo?.blobPath))
            if let duplicate = item.findings.first(where: { $0.rule == "photo.duplicate" && $0.photo == code }),
               let station = duplicate.evidence["other_station"]?.stringValue,
               let inspection = duplicate.evidence["other_inspection_id"]?.stringValue,
               let otherCode = duplicate.evidence["other_code"]?.stringValue {
                large.append(("≈ \(otherCode) of \(station) \(inspection)",
                              store.photoPath(station: station, inspectionId: inspection, code: otherCode)))
            }
        }
        let previewRows = max(4, min(18, (rows - 18) * 2 / 3))
        let previewColumns = max(10, min(64, (columns - 2) / max(1, large.count) - 2))
        let previews = large.map { entry in
            PreparedItem.Preview(title: entry.title, path: entry.path,
                                 lines: trueColor ? entry.path.flatMap { PhotoPreview.render(path: $0, columns: previewColumns, rows: previewRows) } : nil,
                                 width: previewColumns)
        }
        let others = item.photos.filter { photo in !concerned.contains(photo.code ?? "") }
        let thumbColumns = 14
        let thumbnails = others.prefix(max(0, (columns - 2) / (thumbColumns + 2)) * 1).map { photo in
            PreparedItem.Preview(title: "\(photo.code ?? "?")",
                                 path: photo.blobPath,
                                 lines: trueColor ? photo.blobPath.flatMap { PhotoPreview.render(path: $0, columns: thumbColumns, rows: 5) } : nil,
                                 width: thumbColumns)
        }
        return PreparedItem(item: item, previews: previews, thumbnails: Array(thumbnails), columns: columns, rows: rows)
    }

    static func state(_ photo: StoredPhoto?) -> String {
        guard let photo else { return "(not submitted)" }
        return photo.sound ? "" : "(unreadable)"
    }
}

/// What the screen shows around the record.
struct ScreenState {
    enum Mode { case normal, reasons(page: Int), help }

    var mode: Mode = .normal
    var message = ""
    var reviewer = ""
    var queueDepth: Int?
}

/// Lays out one screen: header, findings, photos, thumbnails, keys.
enum ReviewScreenRenderer {
    /// Photos drawn on the last screen (for the benchmark's report).
    nonisolated(unsafe) static var lastPhotoCount = 0

    static func render(_ prepared: PreparedItem?, _ state: ScreenState, columns: Int, rows: Int) -> String {
        var lines: [String] = []
        let bold = { (text: String) in "\u{1B}[1m\(text)\u{1B}[0m" }
        let dim = { (text: String) in "\u{1B}[2m\(text)\u{1B}[0m" }
        let queue = state.queueDepth.map { " · \($0) in queue" } ?? ""
        lines.append(bold("via review") + dim(" · \(state.reviewer)\(queue)"))
        guard let prepared else {
            lines.append("")
            lines.append("The queue is empty. Nothing to review.  (u undo the last decision · q quit)")
            if !state.message.isEmpty { lines.append(state.message) }
            return frame(lines, rows: rows, columns: columns)
        }
        let item = prepared.item
        let record = item.record
        func text(_ key: String) -> String { record[key]?.stringValue ?? "-" }
        let plate = text("plate")
        lines.append(bold("\(plate)") + "  VIN \(text("vin"))  \(text("vehicle_type"))/\(text("use_type"))/\(text("category"))"
                     + "  plate type \(text("plate_type"))  first registered \(text("first_registered"))")
        lines.append("station \(item.station) \(item.stationName ?? "") · lane \(text("lane")) · \(item.inspectionId)"
                     + (item.version > 1 ? " (resubmission #\(item.version))" : "") + " · batch \(item.batchId)")
        lines.append("inspected \(text("started_at")) → \(text("finished_at")) · conclusion \(text("conclusion"))"
                     + " · rule set \(item.ruleset?.id ?? "none")" + (item.sampled ? " · QA sample" : ""))
        lines.append("")
        switch state.mode {
        case .help:
            lines += [
                bold("Keys"),
                "  a  approve: the record is accepted",
                "  r  reject: then pick the reason with its digit (0 is 10, + shows more, Esc cancels); sent back to the station",
                "  s  skip: give it back without a decision; it comes back to you after the others",
                "  u  undo your last decision (within 60 s)",
                "  o  open the first concerned photo at full size in the system viewer",
                "  ?  this help",
                "  q  quit (your claim is released)",
            ]
        case let .reasons(page):
            lines.append(bold("Reject: pick the reason") + dim("  (Esc cancels)"))
            let start = page * 10
            for (offset, reason) in item.reasons.dropFirst(start).prefix(10).enumerated() {
                let key = offset == 9 ? "0" : String(offset + 1)
                lines.append("  \(key)  \(reason.code)  \(reason.text)" + (reason.textZh.map { "  \(dim($0))" } ?? ""))
            }
            if item.reasons.count > start + 10 { lines.append(dim("  +  more reasons")) }
        case .normal:
            let significant = item.findings.filter { $0.severity >= .warning }
            if significant.isEmpty { lines.append(dim("no findings: picked for QA review by sampling")) }
            for finding in significant.prefix(8) {
                let label = finding.severity == .error ? "\u{1B}[31mERROR\u{1B}[0m" : "\u{1B}[33mWARN \u{1B}[0m"
                let scope = finding.photo.map { " [\($0)]" } ?? finding.field.map { " [\($0)]" } ?? ""
                let wrapped = wrap("\(finding.rule)\(scope) \(finding.message)", width: max(20, columns - 7), lines: significant.count > 4 ? 1 : 3)
                for (index, part) in wrapped.enumerated() { lines.append((index == 0 ? label : "     ") + " " + part) }
            }
            if significant.count > 8 { lines.append(dim("… \(significant.count - 8) more")) }
            lines.append("")
            lastPhotoCount = prepared.previews.count + prepared.thumbnails.count
            lines += photoBlock(prepared.previews)
            if !prepared.thumbnails.isEmpty {
                lines.append(dim("other photos"))
                lines += photoBlock(prepared.thumbnails)
            }
        }
        var footer = [dim("a approve · r reject · s skip · u undo · o open · ? help · q quit")]
        if !state.message.isEmpty { footer.insert(state.message, at: 0) }
        return frame(lines, rows: rows, columns: columns, footer: footer)
    }

    /// Breaks text into at most `lines` lines of `width` cells (wide characters count two), ending with "…" when cut.
    static func wrap(_ text: String, width: Int, lines maximum: Int) -> [String] {
        var result: [String] = []
        var line = ""
        var cells = 0
        for character in text {
            let w = character.isASCII ? 1 : 2
            if cells + w > width {
                result.append(line)
                if result.count == maximum {
                    result[maximum - 1] = String(result[maximum - 1].dropLast()) + "…"
                    return result
                }
                line = ""
                cells = 0
            }
            line.append(character)
            cells += w
        }
        if !line.isEmpty { result.append(line) }
        return result
    }

    /// Photos side by side: a title row, then their preview rows (or their file paths without colour).
    static func photoBlock(_ previews: [PreparedItem.Preview]) -> [String] {
        guard !previews.isEmpty else { return [] }
        if previews.allSatisfy({ $0.lines == nil }) {
            return previews.map { "  \($0.title): \($0.path ?? "no file")" }
        }
        var lines = [previews.map { pad($0.title, $0.width) }.joined(separator: "  ")]
        let height = previews.map { $0.lines?.count ?? 1 }.max() ?? 0
        for row in 0..<height {
            lines.append(previews.map { preview in
                if let rendered = preview.lines {
                    return row < rendered.count ? rendered[row] + String(repeating: " ", count: max(0, preview.width - visibleWidth(rendered[row])))
                        : String(repeating: " ", count: preview.width)
                }
                return pad(row == 0 ? (preview.path ?? "no file") : "", preview.width)
            }.joined(separator: "  "))
        }
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let clipped = text.count > width ? String(text.prefix(max(0, width - 1))) + "…" : text
        return clipped + String(repeating: " ", count: max(0, width - clipped.count))
    }

    /// Cells a rendered preview line occupies (escape sequences take none).
    static func visibleWidth(_ line: String) -> Int { line.filter { $0 == "▀" }.count }

    /// Clears the screen and places the lines, clipped to the terminal, with the footer on the last rows.
    static func frame(_ lines: [String], rows: Int, columns: Int, footer: [String] = []) -> String {
        var body = lines.prefix(max(0, rows - footer.count)).map { line -> String in
            line.contains("\u{1B}[38;2") ? line : clip(line, columns)
        }
        while body.count < rows - footer.count { body.append("") }
        return "\u{1B}[H\u{1B}[2J" + (body + footer.map { clip($0, columns) }).joined(separator: "\r\n")
    }

    static func clip(_ line: String, _ columns: Int) -> String {
        var visible = 0
        var result = ""
        var inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                result.append(character)
                if character.isLetter { inEscape = false }
                continue
            }
            guard visible < columns else { break }
            result.append(character)
            visible += character.isASCII ? 1 : 2
        }
        return result + "\u{1B}[0m"
    }
}
