import Foundation
import VIACore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of walking a JPEG's marker segments: the structure plus where the metadata payloads sit.
public struct MarkerWalk: Sendable {
    public var structure = JPEGStructure()
    /// The TIFF data of the first APP1 Exif segment (after the "Exif\0\0" header).
    public var exifPayload: Range<Int>?
    /// Payloads of APP1 XMP segments (standard and extended), after their namespace header.
    public var xmpPayloads: [Range<Int>] = []
    /// Traces of editing software found in the segment list itself (APP13 Photoshop, APP14 Adobe).
    public var segmentTraces: [String] = []
    /// Structural problems: a missing EOI, segments running past the end, garbage where a marker belongs.
    public var problems: [PhotoProblem] = []
}

/// Walks the marker segments of a JPEG held in memory, without decoding anything.
///
/// Every read is bounds-checked; the walk is linear in the file size and allocates only the bounded segment list.
public enum MarkerWalker {
    static let exifHeader: [UInt8] = Array("Exif\0".utf8)
    static let xmpHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let extendedXMPHeader: [UInt8] = Array("http://ns.adobe.com/xmp/extension/\0".utf8)
    static let photoshopHeader: [UInt8] = Array("Photoshop 3.0\0".utf8)

    /// Whether the bytes start with a JPEG SOI marker.
    public static func isJPEG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    public static func walk(_ bytes: [UInt8]) -> MarkerWalk {
        bytes.withUnsafeBytes { walk($0) }
    }

    public static func walk(_ bytes: UnsafeRawBufferPointer) -> MarkerWalk {
        var walk = MarkerWalk()
        let count = bytes.count
        var position = 2
        var sawSOF = false

        func record(_ marker: String, _ offset: Int, _ length: Int, _ identifier: String? = nil) {
            if walk.structure.segments.count < JPEGStructure.segmentLimit {
                walk.structure.segments.append(.init(marker: marker, offset: offset, length: length, identifier: identifier))
            } else {
                walk.structure.segmentsOmitted += 1
            }
        }

        while true {
            // Fill bytes (0xFF repeated) may precede a marker.
            guard position < count else {
                walk.problems.append(PhotoProblem(.truncated, "the file ends at byte \(count) without an EOI marker"))
                break
            }
            guard bytes[position] == 0xFF else {
                walk.problems.append(PhotoProblem(.corruptData, String(
                    format: "expected a marker at offset %d, found byte 0x%02X", position, bytes[position])))
                break
            }
            while position < count && bytes[position] == 0xFF { position += 1 }
            guard position < count else {
                walk.problems.append(PhotoProblem(.truncated, "the file ends at byte \(count) inside a marker"))
                break
            }
            let marker = bytes[position]
            let markerOffset = position - 1
            position += 1

            if marker == 0xD9 { // EOI
                walk.structure.hasEoi = true
                walk.structure.eoiOffset = markerOffset
                walk.structure.bytesAfterEoi = count - position
                break
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) || marker == 0xD8 {
                if marker == 0xD8 {
                    walk.problems.append(PhotoProblem(.corruptData, "a second SOI marker at offset \(markerOffset)"))
                    break
                }
                continue // standalone markers carry no length
            }
            guard position + 2 <= count else {
                walk.problems.append(PhotoProblem(.truncated, String(
                    format: "the file ends inside the length of marker 0xFF%02X at offset %d", marker, markerOffset)))
                break
            }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else {
                walk.problems.append(PhotoProblem(.corruptData, String(
                    format: "marker 0xFF%02X at offset %d has an invalid length %d", marker, markerOffset, length)))
                break
            }
            let payloadStart = position + 2
            let payloadEnd = position + length
            guard payloadEnd <= count else {
                walk.problems.append(PhotoProblem(.truncated,
                    "\(markerName(marker)) segment at offset \(markerOffset) declares \(length) bytes but only \(count - position) remain"))
                break
            }
            let payload = payloadStart..<payloadEnd

            switch marker {
            case 0xE0...0xEF:
                let identifier = appIdentifier(bytes, payload)
                record(markerName(marker), markerOffset, length, identifier)
                inspectApp(marker, payload, bytes, &walk)
            case 0xDB:
                record("DQT", markerOffset, length)
                walk.structure.quantizationTables += countTables(bytes, payload, entrySize: { pq in pq == 0 ? 64 : 128 })
            case 0xC4:
                record("DHT", markerOffset, length)
                walk.structure.huffmanTables += countHuffmanTables(bytes, payload)
            case 0xDD:
                record("DRI", markerOffset, length)
                if payload.count >= 2 {
                    walk.structure.restartInterval = Int(bytes[payloadStart]) << 8 | Int(bytes[payloadStart + 1])
                }
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                record(markerName(marker), markerOffset, length)
                if sawSOF {
                    walk.problems.append(PhotoProblem(.corruptData, "a second frame header (SOF) at offset \(markerOffset)"))
                    break
                }
                sawSOF = true
                readFrame(marker, bytes, payload, &walk)
            case 0xDA: // SOS, followed by entropy-coded data up to the next real marker
                record("SOS", markerOffset, length)
                walk.structure.scans += 1
                if !sawSOF {
                    walk.problems.append(PhotoProblem(.corruptData, "scan data at offset \(markerOffset) before any frame header"))
                }
                position = skipEntropyData(bytes, from: payloadEnd)
                continue
            default:
                record(markerName(marker), markerOffset, length)
            }
            position = payloadEnd
        }
        if walk.structure.scans == 0 && !walk.problems.contains(where: { $0.severity == .error }) {
            walk.problems.append(PhotoProblem(.truncated, "the file holds headers only: no scan (SOS) follows them"))
        } else if !sawSOF && !walk.problems.contains(where: { $0.severity == .error }) {
            walk.problems.append(PhotoProblem(.corruptData, "no frame header (SOF) in the file"))
        }
        return walk
    }

    /// Returns the offset of the 0xFF that starts the next marker after entropy-coded data (or `count`).
    static func skipEntropyData(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return count }
        var position = start
        while position < count {
            // memchr is vectorised; entropy data holds an 0xFF roughly every few hundred bytes.
            guard let hit = memchr(base + position, 0xFF, count - position) else { return count }
            let index = base.distance(to: UnsafeRawPointer(hit))
            guard index + 1 < count else { return count }
            let next = bytes[index + 1]
            if next == 0x00 || (0xD0...0xD7).contains(next) || next == 0xFF {
                // stuffed byte, restart marker, or fill: still inside the scan
                position = next == 0xFF ? index + 1 : index + 2
                continue
            }
            return index
        }
        return count
    }

    static func readFrame(_ marker: UInt8, _ bytes: UnsafeRawBufferPointer, _ payload: Range<Int>, _ walk: inout MarkerWalk) {
        let s = payload.lowerBound
        guard payload.count >= 6 else {
            walk.problems.append(PhotoProblem(.corruptData, "frame header (SOF) is \(payload.count) bytes, too short"))
            return
        }
        walk.structure.precision = Int(bytes[s])
        walk.structure.height = Int(bytes[s + 1]) << 8 | Int(bytes[s + 2])
        walk.structure.width = Int(bytes[s + 3]) << 8 | Int(bytes[s + 4])
        let components = Int(bytes[s + 5])
        walk.structure.components = components
        var sampling: [String] = []
        for index in 0..<components {
            let at = s + 6 + index * 3
            guard at + 2 < payload.upperBound else {
                walk.problems.append(PhotoProblem(.corruptData, "frame header lists \(components) components but holds fewer"))
                break
            }
            let factors = bytes[at + 1]
            sampling.append("\(factors >> 4)x\(factors & 0x0F)")
        }
        walk.structure.sampling = sampling
        let arithmetic = marker >= 0xC9
        switch marker & 0x03 {
        case 0: walk.structure.process = marker == 0xC0 ? "baseline" : "extended"
        case 1: walk.structure.process = "extended"
        case 2: walk.structure.process = "progressive"; walk.structure.progressive = true
        default: walk.structure.process = "lossless"
        }
        if marker == 0xC1 || marker == 0xC9 { walk.structure.process = "extended" }
        if arithmetic { walk.structure.process += " (arithmetic)" }
        if walk.structure.width == 0 || walk.structure.height == 0 {
            walk.problems.append(PhotoProblem(.corruptData, "frame header declares \(walk.structure.width)x\(walk.structure.height) pixels"))
        }
    }

    static func inspectApp(_ marker: UInt8, _ payload: Range<Int>, _ bytes: UnsafeRawBufferPointer, _ walk: inout MarkerWalk) {
        switch marker {
        case 0xE1:
            if walk.exifPayload == nil, hasPrefix(bytes, payload, exifHeader), payload.count >= exifHeader.count + 1 {
                // "Exif\0" then a pad byte (normally 0) before the TIFF header
                walk.exifPayload = (payload.lowerBound + exifHeader.count + 1)..<payload.upperBound
            } else if hasPrefix(bytes, payload, xmpHeader) {
                walk.xmpPayloads.append((payload.lowerBound + xmpHeader.count)..<payload.upperBound)
            } else if hasPrefix(bytes, payload, extendedXMPHeader) {
                // extended XMP: 32-byte GUID + 4-byte length + 4-byte offset precede the chunk
                let start = min(payload.upperBound, payload.lowerBound + extendedXMPHeader.count + 40)
                walk.xmpPayloads.append(start..<payload.upperBound)
            }
        case 0xED:
            if hasPrefix(bytes, payload, photoshopHeader) {
                walk.segmentTraces.append("APP13 Photoshop 3.0 resource block (written by Adobe Photoshop and similar editors)")
            }
        case 0xEE:
            if hasPrefix(bytes, payload, Array("Adobe".utf8)) {
                walk.segmentTraces.append("APP14 Adobe segment (written by Adobe software)")
            }
        default:
            break
        }
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ prefix: [UInt8]) -> Bool {
        guard range.count >= prefix.count else { return false }
        for (index, byte) in prefix.enumerated() where bytes[range.lowerBound + index] != byte { return false }
        return true
    }

    /// The printable ASCII identifier at the start of an APPn payload ("JFIF", "Exif", an XMP namespace...).
    static func appIdentifier(_ bytes: UnsafeRawBufferPointer, _ payload: Range<Int>) -> String? {
        var scalars: [UInt8] = []
        var index = payload.lowerBound
        while index < payload.upperBound && scalars.count < 64 {
            let byte = bytes[index]
            if byte == 0 { break }
            guard byte >= 0x20 && byte < 0x7F else { return scalars.isEmpty ? nil : String(decoding: scalars, as: UTF8.self) }
            scalars.append(byte)
            index += 1
        }
        return scalars.isEmpty ? nil : String(decoding: scalars, as: UTF8.self)
    }

    static func countTables(_ bytes: UnsafeRawBufferPointer, _ payload: Range<Int>, entrySize: (UInt8) -> Int) -> Int {
        var position = payload.lowerBound
        var tables = 0
        while position < payload.upperBound {
            let size = entrySize(bytes[position] >> 4)
            position += 1 + size
            if position > payload.upperBound { break }
            tables += 1
        }
        return tables
    }

    static func countHuffmanTables(_ bytes: UnsafeRawBufferPointer, _ payload: Range<Int>) -> Int {
        var position = payload.lowerBound
        var tables = 0
        while position + 17 <= payload.upperBound {
            var symbols = 0
            for index in 1...16 { symbols += Int(bytes[position + index]) }
            position += 17 + symbols
            if position > payload.upperBound { break }
            tables += 1
        }
        return tables
    }

    static func markerName(_ marker: UInt8) -> String {
        switch marker {
        case 0xE0...0xEF: return "APP\(marker - 0xE0)"
        case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC: return "SOF\(marker - 0xC0)"
        case 0xC4: return "DHT"
        case 0xCC: return "DAC"
        case 0xDB: return "DQT"
        case 0xDA: return "SOS"
        case 0xDD: return "DRI"
        case 0xDC: return "DNL"
        case 0xFE: return "COM"
        default: return String(format: "0xFF%02X", marker)
        }
    }
}
