import Foundation
import HindsightCore
@testable import HindsightSite
import TestSupport
import Testing

/// The search index's share of a rebuild: unchanged post-mortems come from the cache beside the output.
@Suite("Search cache")
struct SearchCacheTests {
    static let files = [
        "a.md": postMortem(title: "Kafka consumer lag", date: "2024-01-01", body: "## Lessons\n\nConsumers fell behind."),
        "b.md": postMortem(title: "Disk full", date: "2024-02-01", body: "## Lessons\n\nA kafka broker filled its disk."),
    ]

    /// The index files by path.
    static func index(_ archive: Archive, cache: SearchCache?) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try SearchIndexBuilder.build(archive, cache: cache).map { ($0.path, $0.data) })
    }

    @Test("a second build takes unchanged post-mortems from the cache and writes the same index; a changed one is made again")
    func reuse() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("search")
        let archive = try SearchIndexTests.archive(Self.files)
        let fresh = try Self.index(archive, cache: nil)
        #expect(try Self.index(archive, cache: SearchCache(file: file, generator: "test")) == fresh)

        // Every post-mortem has an entry, with the fragment the index holds.
        let cache = SearchCache(file: file, generator: "test")
        for pm in archive.postMortems {
            let key = try #require(SearchDocument.key(pm))
            let entry = try #require(cache.entry(key)?.entry, "no entry for \(pm.id)")
            #expect(fresh.values.contains(entry.fragment))
            #expect(entry.lengths == SearchDocument(pm).lengths)
        }
        // Shards are kept too, and what a build takes from the cache it keeps for the next one.
        let kept = cache.storedCount
        #expect(kept > archive.postMortems.count)
        #expect(try Self.index(archive, cache: cache) == fresh)
        #expect(SearchCache(file: file, generator: "test").storedCount == kept)

        // A changed body changes the key; the old entry is not used for it and the index matches a fresh one.
        var changedFiles = Self.files
        changedFiles["b.md"] = postMortem(title: "Disk full", date: "2024-02-01", body: "## Lessons\n\nA zookeeper node filled its disk.")
        let changed = try SearchIndexTests.archive(changedFiles)
        let b = try #require(changed.postMortem(id: "b"))
        #expect(SearchCache(file: file, generator: "test").entry(try #require(SearchDocument.key(b))) == nil)
        let rebuilt = try Self.index(changed, cache: SearchCache(file: file, generator: "test"))
        #expect(rebuilt == (try Self.index(changed, cache: nil)))
        #expect(try IndexReader(rebuilt.map { OutputFile(path: $0.key, data: $0.value) }).search("zookeeper").count == 1)
    }

    @Test("a damaged cache, or one another generator wrote, is ignored and replaced")
    func damaged() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("search")
        let archive = try SearchIndexTests.archive(Self.files)
        let fresh = try Self.index(archive, cache: nil)
        _ = try Self.index(archive, cache: SearchCache(file: file, generator: "test"))
        let good = try Data(contentsOf: file)
        let pm = try #require(archive.postMortems.first)
        let key = try #require(SearchDocument.key(pm))

        // Truncated anywhere, flipped bytes, garbage, empty: no crash, the same index, and a good cache after.
        let damaged = damagedCopies(of: good)
        #expect(damaged.count == 7)
        for bytes in damaged {
            try bytes.write(to: file)
            #expect(try Self.index(archive, cache: SearchCache(file: file, generator: "test")) == fresh)
            #expect(SearchCache(file: file, generator: "test").entry(key) != nil)
        }
        // Another generator's cache is not read.
        #expect(SearchCache(file: file, generator: "other").entry(key) == nil)
    }
}
