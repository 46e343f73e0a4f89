import GRDB

/// The near-duplicate index: every sound photo's 64-bit perceptual hash, split into four 16-bit bands, each indexed.
///
/// Two hashes within 3 bits of each other agree exactly on at least one band (pigeonhole), so a lookup reads four
/// small index ranges (about n/65536 rows each) and verifies candidates by Hamming distance. For distances 4...7
/// each band is also probed with its 16 one-bit variants (two hashes within 7 bits differ by at most one bit in some
/// band); beyond that the whole table is scanned.
public enum PhotoHashIndex {
    static let bandCount = 4

    /// Creates the table; `photoTable` adds a foreign key to the photo rows (the benchmark's standalone index has none).
    public static func createTable(_ db: Database, referencing photoTable: String?) throws {
        let reference = photoTable.map { " REFERENCES \($0)(id)" } ?? ""
        try db.execute(sql: """
            CREATE TABLE photo_hash (
                photo_row INTEGER PRIMARY KEY\(reference),
                hash INTEGER NOT NULL,
                band0 INTEGER NOT NULL,
                band1 INTEGER NOT NULL,
                band2 INTEGER NOT NULL,
                band3 INTEGER NOT NULL
            );
            CREATE INDEX photo_hash_band0 ON photo_hash(band0, hash);
            CREATE INDEX photo_hash_band1 ON photo_hash(band1, hash);
            CREATE INDEX photo_hash_band2 ON photo_hash(band2, hash);
            CREATE INDEX photo_hash_band3 ON photo_hash(band3, hash);
            """)
    }

    static func bands(_ hash: UInt64) -> [Int64] {
        (0..<bandCount).map { Int64((hash >> UInt64(48 - 16 * $0)) & 0xFFFF) }
    }

    public static func insert(_ db: Database, photoRow: Int64, hash: UInt64) throws {
        let b = bands(hash)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO photo_hash (photo_row, hash, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [photoRow, Int64(bitPattern: hash), b[0], b[1], b[2], b[3]])
    }

    /// Photo rows whose hash lies within `distance` bits, with their distances.
    public static func lookup(_ db: Database, hash: UInt64, within distance: Int) throws -> [(photoRow: Int64, distance: Int)] {
        var found: [Int64: Int] = [:]
        func consider(_ cursor: RowCursor) throws {
            while let row = try cursor.next() {
                let other = UInt64(bitPattern: row[1] as Int64)
                let d = (hash ^ other).nonzeroBitCount
                if d <= distance { found[row[0]] = d }
            }
        }
        if distance > 7 {
            try consider(try Row.fetchCursor(try db.cachedStatement(sql: "SELECT photo_row, hash FROM photo_hash")))
        } else {
            let own = bands(hash)
            for band in 0..<bandCount {
                let statement = try db.cachedStatement(sql: "SELECT photo_row, hash FROM photo_hash WHERE band\(band) = ?")
                var probes = [own[band]]
                if distance > 3 { probes += (0..<16).map { own[band] ^ (1 << $0) } }
                for probe in probes {
                    try consider(try Row.fetchCursor(statement, arguments: [probe]))
                }
            }
        }
        return found.map { ($0.key, $0.value) }.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.photoRow < $1.photoRow }
    }
}
