import Foundation
import GRDB
import Store
import Testing
import VIACore

/// The band index finds exactly what a brute-force scan finds.
@Suite struct PhotoHashIndexTests {
    @Test(arguments: [0, 2, 3, 4, 6, 7, 9])
    func lookupMatchesBruteForce(distance: Int) throws {
        let queue = try DatabaseQueue()
        var random = SeededRandom(seed: UInt64(100 + distance))
        var hashes: [UInt64] = []
        try queue.write { db in
            try PhotoHashIndex.createTable(db, referencing: nil)
            // Random hashes plus planted neighbours at every distance 0...10 of a few probes.
            for row in 0..<3000 {
                let hash = random.next()
                hashes.append(hash)
                try PhotoHashIndex.insert(db, photoRow: Int64(row), hash: hash)
            }
            for probe in 0..<5 {
                for bits in 0...10 {
                    var hash = hashes[probe]
                    var flipped = Set<Int>()
                    while flipped.count < bits { flipped.insert(Int(random.next() % 64)) }
                    for bit in flipped { hash ^= 1 << UInt64(bit) }
                    hashes.append(hash)
                    try PhotoHashIndex.insert(db, photoRow: Int64(hashes.count - 1), hash: hash)
                }
            }
        }
        try queue.read { db in
            for probe in 0..<5 {
                let query = hashes[probe]
                let expected = Set(hashes.indices.filter { PerceptualHash.distance(hashes[$0], query) <= distance }.map { Int64($0) })
                let found = try PhotoHashIndex.lookup(db, hash: query, within: distance)
                #expect(Set(found.map(\.photoRow)) == expected, "probe \(probe) within \(distance)")
                #expect(found.allSatisfy { PerceptualHash.distance(hashes[Int($0.photoRow)], query) == $0.distance })
                #expect(found.map(\.distance) == found.map(\.distance).sorted())
            }
        }
    }
}
