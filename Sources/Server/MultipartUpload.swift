import Audit
import Foundation
import Hummingbird
import PhotoAnalysis
#if canImport(Glibc)
import Glibc
#endif

/// `multipart/form-data` with its boundary, from a Content-Type header.
struct MultipartContentType: Equatable {
    var boundary: String

    /// nil when the header is not multipart/form-data at all (415); throws for a multipart type without a usable
    /// boundary (400).
    static func parse(_ header: String?) throws(APIError) -> MultipartContentType? {
        guard let header else { return nil }
        let pieces = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let type = pieces.first?.trimmingHTTPWhitespace.lowercased(), type == "multipart/form-data" else {
            return nil
        }
        for piece in pieces.dropFirst() {
            let parameter = piece.trimmingHTTPWhitespace
            guard let equals = parameter.firstIndex(of: "="),
                  parameter[..<equals].trimmingHTTPWhitespace.lowercased() == "boundary" else { continue }
            var value = parameter[parameter.index(after: equals)...].trimmingHTTPWhitespace
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters, no line breaks or quotes.
            guard (1...70).contains(value.utf8.count), !value.contains(where: { $0 == "\"" || $0 == "\r" || $0 == "\n" }),
                  value.allSatisfy({ $0.isASCII }) else {
                throw APIError.badRequest("bad_multipart", "the multipart boundary must be 1 to 70 ASCII characters without quotes or line breaks")
            }
            return MultipartContentType(boundary: value)
        }
        throw APIError.badRequest("bad_multipart", "Content-Type multipart/form-data needs a boundary parameter")
    }
}

/// The `Content-Disposition` of one part: its form name and filename.
struct PartDisposition: Equatable {
    var name: String?
    var filename: String?

    /// Parses `form-data; name="…"; filename="…"` (and `filename*=UTF-8''…`, which wins). Quoted values are taken
    /// literally up to the next quote: a backslash is never an escape here, so it cannot hide a path trick.
    static func parse(_ value: String) -> PartDisposition? {
        let scalars = Array(value.unicodeScalars)
        var index = 0
        func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        func token() -> String {
            var out = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != ";", scalars[index] != "=" { out.append(scalars[index]); index += 1 }
            return String(out).trimmingHTTPWhitespace
        }
        skipSpaces()
        guard token().lowercased() == "form-data" else { return nil }
        var result = PartDisposition()
        var extendedFilename: String?
        while index < scalars.count {
            guard scalars[index] == ";" else { return nil }
            index += 1
            skipSpaces()
            if index >= scalars.count { break } // a trailing ";"
            let key = token().lowercased()
            guard index < scalars.count, scalars[index] == "=" else { return nil }
            index += 1
            skipSpaces()
            var parameter: String
            if index < scalars.count, scalars[index] == "\"" {
                index += 1
                var out = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != "\"" { out.append(scalars[index]); index += 1 }
                guard index < scalars.count else { return nil } // unterminated quote
                index += 1
                parameter = String(out)
                skipSpaces()
            } else {
                parameter = token()
            }
            switch key {
            case "name": result.name = parameter
            case "filename": result.filename = parameter
            case "filename*":
                // RFC 5987: charset'language'percent-encoded
                let parts = parameter.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, parts[0].lowercased() == "utf-8" { extendedFilename = String(parts[2]).removingPercentEncoding }
                else { return nil }
            default: break
            }
        }
        if let extendedFilename { result.filename = extendedFilename }
        return result
    }
}

/// Why a part's filename cannot be a photo path inside the batch, or nil when it can.
enum UploadPath {
    static func problem(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if path.utf8.count > 1024 { return "is longer than 1024 bytes" }
        if path.unicodeScalars.contains("\0") { return "contains a NUL character" }
        if path.contains("\\") { return "contains a backslash (use / between folders)" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "contains a control character" }
        if path.hasPrefix("/") || path.hasPrefix("~") { return "is an absolute path" }
        if path.count >= 2, path.dropFirst().first == ":" { return "is an absolute path" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "leaves the batch directory (contains ..)" }
        if components.last == "" || components.last == "." { return "names a folder, not a file" }
        if components.contains(where: { $0.utf8.count > 255 }) { return "has a path component longer than 255 bytes" }
        let meaningful = components.filter { !$0.isEmpty && $0 != "." }
        if meaningful == ["batch.json"] { return "is batch.json, which is the batch part's place" }
        if meaningful.first == "batch.json" { return "puts a folder where batch.json goes" }
        return nil
    }
}

/// What an upload produced: batch.json's bytes and the photo parts, each already on disk and hashed.
struct ReceivedUpload {
    var manifest: Data
    var photos: [String: UploadedPhoto]
    var photoCount: Int
    var bodyBytes: Int
}

/// Receives a multipart upload as it streams in: the `batch` part is kept in memory (it is small and limited), each
/// photo part goes straight to its own file in the upload area, in the chunks it arrives in, and is hashed on the way,
/// so that the audit never reads it for its hash and the store can take the file as the blob without a copy.
final class UploadAssembler {
    private enum Part {
        /// Headers read, kind not decided until the first body byte or the part's end.
        case pending
        case manifest(Data)
        case photo
        case failed
    }

    /// The photo part being received.
    private struct OpenPhoto {
        var fd: Int32
        var filename: String
        var key: String
        var file: String
        var bytes: Int
        var hash: ContentHash
    }

    let limits: ServerLimits
    /// Part files are `<filePrefix><n>`; whatever of them is left when the request ends is removed by `removeFiles`.
    let filePrefix: String
    private(set) var manifest: Data?
    private(set) var photoCount = 0
    private(set) var failure: APIError?
    private(set) var photos: [String: UploadedPhoto] = [:]
    /// Called with each photo part as soon as it is complete on disk (its path in the batch, the file).
    var onPhoto: ((String, UploadedPhoto) -> Void)?
    private var headers: [(String, String)] = []
    private var part: Part?
    private var photo: OpenPhoto?
    private var created: [String] = []
    /// Every folder of the photo paths received so far.
    private var folders: Set<String> = []
    private var sawManifest = false
    /// Photo bytes not yet written (at most about `writeBlock`).
    private var unwritten: [UInt8] = []
    static let writeBlock = 256 << 10
    private var openParts = 0

    init(filePrefix: String, limits: ServerLimits) {
        self.filePrefix = filePrefix
        self.limits = limits
    }

    deinit { closeOpenFile() }

    /// Wires the streaming parser's callbacks to this assembler.
    func attach(to parser: MultipartStreamParser) {
        parser.onHeader = { [unowned self] name, value in self.header(name, value) }
        parser.onBody = { [unowned self] bytes in self.body(bytes) }
        parser.onPartComplete = { [unowned self] in self.partComplete() }
    }

    /// Checks the end of the stream: every part complete, the close delimiter seen, a batch part present.
    func finish(closed: Bool) throws(APIError) -> (manifest: Data, photos: [String: UploadedPhoto]) {
        if let failure { throw failure }
        guard closed, openParts == 0, part == nil else {
            throw APIError.badRequest("bad_multipart", "the multipart body ends before its closing boundary (upload cut short?)")
        }
        guard let manifest else {
            throw APIError.badRequest("missing_batch", "no part named \"batch\" (it holds batch.json)")
        }
        return (manifest, photos)
    }

    /// Closes the photo file being written, if any.
    func closeOpenFile() {
        if let photo { close(photo.fd) }
        photo = nil
        part = nil
        unwritten.removeAll()
    }

    /// Removes every part file still in the upload area (those the store took as blobs are gone already).
    func removeFiles() {
        closeOpenFile()
        for file in created { unlink(file) }
        created.removeAll()
    }

    // MARK: parser callbacks

    private func header(_ name: String, _ value: String) {
        guard failure == nil else { return }
        if part == nil {
            headers = []
            part = .pending
            openParts += 1
        }
        headers.append((name, value))
        if headers.count > limits.maxPartHeaders {
            fail(.badRequest("bad_multipart", "a part has more than \(limits.maxPartHeaders) headers"))
        }
    }

    private func body(_ run: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        if part == nil || part.map({ if case .pending = $0 { return true } else { return false } }) == true {
            begin()
        }
        guard failure == nil, let current = part else { return }
        let count = run.count
        switch current {
        case var .manifest(data):
            guard data.count + count <= limits.maxManifestBytes else {
                return fail(.tooLarge("batch_too_large", "the batch part (batch.json) is larger than \(limits.maxManifestBytes) bytes"))
            }
            part = .failed // keep `data` uniquely referenced while appending
            data.append(contentsOf: run)
            part = .manifest(data)
        case .photo:
            guard var current = photo else { return }
            guard current.bytes + count <= limits.maxPartBytes else {
                return fail(.tooLarge("photo_too_large",
                                      "photo part \"\(Self.printable(current.filename))\" is larger than \(limits.maxPartBytes) bytes"))
            }
            photo = nil // keep the hasher uniquely referenced while updating
            current.hash.update(run)
            current.bytes += count
            photo = current
            // Runs are as long as the network chunks; they are gathered and written in large blocks.
            unwritten.append(contentsOf: run)
            if unwritten.count >= Self.writeBlock, !flush(current.fd) { return }
        case .pending, .failed:
            break
        }
    }

    private func partComplete() {
        guard failure == nil else { return }
        if part == nil || part.map({ if case .pending = $0 { return true } else { return false } }) == true {
            begin() // an empty part
        }
        guard failure == nil else { return }
        switch part {
        case let .manifest(data)?:
            manifest = data
        case .photo?:
            guard let current = photo else { break }
            guard flush(current.fd) else { return } // `fail` closed the file
            close(current.fd)
            photo = nil
            let photo = UploadedPhoto(path: current.file, byteCount: current.bytes, sha256: current.hash.finalize())
            photos[current.key] = photo
            onPhoto?(current.key, photo)
        default:
            break
        }
        part = nil
        headers = []
        openParts -= 1
    }

    /// Decides what the part is from its headers, and opens its file when it is a photo.
    private func begin() {
        if part == nil { openParts += 1 } // a part without any header
        guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else {
            return fail(.badRequest("bad_multipart", "a part has no Content-Disposition header"))
        }
        guard let parsed = PartDisposition.parse(disposition), let name = parsed.name else {
            return fail(.badRequest("bad_multipart", "a part's Content-Disposition is not form-data with a name: \(disposition.prefix(200))"))
        }
        if name == "batch" {
            guard !sawManifest else {
                return fail(.badRequest("bad_multipart", "more than one part named \"batch\""))
            }
            sawManifest = true
            part = .manifest(Data())
            return
        }
        guard let filename = parsed.filename else {
            return fail(.badRequest("bad_multipart",
                                    "part \"\(name.prefix(100))\" has no filename; photo parts carry their relative path as the filename"))
        }
        if let problem = UploadPath.problem(filename) {
            return fail(.badRequest("invalid_filename", "photo part filename \"\(Self.printable(filename))\" \(problem)"))
        }
        photoCount += 1
        guard photoCount <= limits.maxPhotos else {
            return fail(.tooLarge("too_many_photos", "more than \(limits.maxPhotos) photo parts in one upload"))
        }
        let key = UploadedBatch.key(for: filename)
        guard photos[key] == nil, photo?.key != key else {
            return fail(.badRequest("duplicate_filename", "photo part \"\(Self.printable(filename))\" appears twice"))
        }
        // In a batch directory a path cannot be both a file and a folder; an upload holding both is refused.
        let ancestors = Self.ancestors(of: key)
        if folders.contains(key) || ancestors.contains(where: { photos[$0] != nil || photo?.key == $0 }) {
            return fail(.badRequest("invalid_filename",
                                    "photo part \"\(Self.printable(filename))\" clashes with another part (a file and a folder of the same name)"))
        }
        folders.formUnion(ancestors)
        let file = filePrefix + String(created.count)
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return fail(APIError(HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), "upload_storage",
                                 "the server cannot store the upload right now (\(reason)); try again later"))
        }
        created.append(file)
        photo = OpenPhoto(fd: fd, filename: filename, key: key, file: file, bytes: 0, hash: ContentHash())
        part = .photo
    }

    /// The folders a relative path lies in: "a/b/c.jpg" → ["a", "a/b"].
    static func ancestors(of key: String) -> [String] {
        var result: [String] = []
        var index = key.startIndex
        while let slash = key[index...].firstIndex(of: "/") {
            result.append(String(key[..<slash]))
            index = key.index(after: slash)
        }
        return result
    }

    /// Writes the gathered bytes of the current photo; false (and the upload failed) when the disk refuses.
    private func flush(_ fd: Int32) -> Bool {
        let ok = unwritten.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let result = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
        unwritten.removeAll(keepingCapacity: true)
        if !ok {
            let reason = String(cString: strerror(errno))
            fail(APIError(HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), "upload_storage",
                          "the server cannot store the upload right now (\(reason)); try again later"))
        }
        return ok
    }

    private func fail(_ error: APIError) {
        if failure == nil { failure = error }
        closeOpenFile()
        part = .failed
    }

    /// A filename for a message: control characters shown as escapes, at most 200 characters.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
