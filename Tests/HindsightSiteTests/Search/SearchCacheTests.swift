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

    /// Made-up words from a post-mortem's number: many different two-letter starts, so terms spread over many shards.
    static func words(_ n: Int, count: Int) -> String {
        let syllables = ["ka", "ro", "mi", "te", "su", "lo", "ne", "vi", "da", "pe", "gu", "zo", "ha", "bi"]
        return (0..<count).map { k in
            syllables[(n * 7 + k) % 14] + syllables[(n * 3 + k * 5) % 14] + syllables[(n + k * 3) % 14]
        }.joined(separator: " ")
    }

    static func archive(changing changed: Int? = nil, adding: Bool = false) throws -> Archive {
        var files: [String: String] = [:]
        if adding {
            // The newest incident: it goes after the others (documents are numbered oldest first).
            files["pm100.md"] = postMortem(title: "Incident 100", date: "2025-01-01", body: "## Lessons\n\n\(words(100, count: 12)).")
        }
        for n in 0..<100 {
            let day = String(format: "2024-%02d-%02d", n % 12 + 1, n % 28 + 1)
            // The change replaces one word: the document's lengths stay, as in most small edits.
            let text = n == changed ? words(n, count: 11) + " zookeeper" : words(n, count: 12)
            files[String(format: "pm%03d.md", n)] = postMortem(title: "Incident \(n)", date: day, body: "## Lessons\n\n\(text).")
        }
        return try SearchIndexTests.archive(files)
    }

    /// A site folder and a search cache beside it, as a build into that folder has them.
    struct PublishedIndex {
        let folder: TemporaryFolder
        var site: URL { folder.url.appendingPathComponent("site") }
        var file: URL { folder.url.appendingPathComponent("search") }

        /// Builds the index of `archive` and writes its files into the site, as a build publishes them.
        init(_ archive: Archive) throws {
            folder = try TemporaryFolder()
            for output in try rebuild(archive) {
                let url = site.appendingPathComponent(output.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try output.data.write(to: url)
            }
            // Published: files changed after the stamp are not reused.
            SiteWriter.stamp(Site.publishedStamp(for: site))
        }

        /// The index of `archive` built into the site again, with the last build's cache.
        func rebuild(_ archive: Archive) throws -> [OutputFile] {
            try SearchIndexBuilder.build(archive, cache: SearchCache(file: file, generator: "test", output: site))
        }

        /// The paths where `outputs`, with the files linked from the site read from it, differ from a fresh index.
        func differences(_ outputs: [OutputFile], from fresh: [String: Data]) throws -> [String] {
            var resolved: [String: Data] = [:]
            for output in outputs {
                resolved[output.path] = output.reusesPrevious ? try Data(contentsOf: site.appendingPathComponent(output.path)) : output.data
            }
            return Set(resolved.keys).union(fresh.keys).filter { resolved[$0] != fresh[$0] }.sorted()
        }
    }

    /// The shard files and the fragment files of `outputs`, and which of each were made rather than linked.
    static func made(_ outputs: [OutputFile]) -> (shards: [OutputFile], madeShards: [OutputFile], fragments: [OutputFile], madeFragments: [OutputFile]) {
        let shards = outputs.filter { $0.path.hasPrefix("search/t/") }
        let fragments = outputs.filter { $0.path.hasPrefix("search/f/") }
        return (shards, shards.filter { $0.reusesPrevious == false }, fragments, fragments.filter { $0.reusesPrevious == false })
    }

    @Test("after a word of one post-mortem changes, only the shards of the old and new word and its fragment bucket are made again, the rest is linked from the previous site, and the index equals a fresh one")
    func patch() throws {
        let published = try PublishedIndex(try Self.archive())
        let changed = try Self.archive(changing: 42)
        let rebuilt = try published.rebuild(changed)
        let fresh = try Self.index(changed, cache: nil)
        let differing = try published.differences(rebuilt, from: fresh)
        #expect(differing.isEmpty, "differs from a fresh index: \(differing)")
        #expect(try IndexReader(fresh.map { OutputFile(path: $0.key, data: $0.value) }).search("zookeeper").count == 1)

        let (shards, madeShards, fragments, madeFragments) = Self.made(rebuilt)
        #expect(madeShards.count > 0 && madeShards.count <= 2, "\(madeShards.count) of \(shards.count) shards made again")
        // One bucket is renamed (the one holding the changed post-mortem); the other is linked.
        #expect(Set(madeFragments.map { $0.path.split(separator: "/")[2] }).count == 1)
        #expect(madeFragments.count < fragments.count && fragments.count == 100)

        // Without the previous site the same index comes from the cache alone.
        let again = try Self.index(changed, cache: SearchCache(file: published.file, generator: "test"))
        #expect(again == fresh)
    }

    @Test("a new newest post-mortem is added to the last index: only its shards and the last fragment bucket are made, and the index equals a fresh one")
    func patchAddition() throws {
        let published = try PublishedIndex(try Self.archive())
        let added = try Self.archive(adding: true)
        let rebuilt = try published.rebuild(added)
        let fresh = try Self.index(added, cache: nil)
        let differing = try published.differences(rebuilt, from: fresh)
        #expect(differing.isEmpty, "differs from a fresh index: \(differing)")

        let (shards, madeShards, fragments, madeFragments) = Self.made(rebuilt)
        // Exactly the shards holding a word of the new post-mortem (document 100) are made; every other one is linked.
        let reader = try IndexReader(fresh.map { OutputFile(path: $0.key, data: $0.value) })
        let holdingNew = try shards.filter { shard in
            let terms = try reader.gz(String(shard.path.dropFirst(7)))["terms"] as? [String: [Int]] ?? [:]
            return terms.values.contains { list in
                stride(from: 0, to: list.count, by: 2).reduce(into: [0]) { docs, i in docs.append(docs.last! + list[i]) }.contains(100)
            }
        }
        #expect(madeShards.count > 0 && madeShards.count < shards.count, "\(madeShards.count) of \(shards.count) shards made again")
        #expect(Set(madeShards.map(\.path)) == Set(holdingNew.map(\.path)))
        // The first bucket (64 older post-mortems) is linked; only the last one, which the new post-mortem joins, is made.
        #expect(fragments.count == 101)
        #expect(madeFragments.count == 101 - SearchIndexBuilder.bucketSize)
    }

    @Test("entries a patch keeps unread and that are damaged later never reach the index: the next build equals a fresh one")
    func damagedAfterPatch() throws {
        for fraction in [0.25, 0.5, 0.75] {
            let published = try PublishedIndex(try Self.archive())
            // The patch keeps the unchanged post-mortems' and shards' entries without reading them.
            _ = try published.rebuild(try Self.archive(changing: 42))
            var bytes = try Data(contentsOf: published.file)
            bytes[Int(Double(bytes.count) * fraction)] ^= 0x5A
            try bytes.write(to: published.file)
            for changed in [7, 63] {
                let archive = try Self.archive(changing: changed)
                let differing = try published.differences(try published.rebuild(archive), from: try Self.index(archive, cache: nil))
                #expect(differing.isEmpty, "damage at \(fraction), change \(changed): \(differing)")
            }
        }
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
        for (number, bytes) in damaged.enumerated() {
            try bytes.write(to: file)
            #expect(try Self.index(archive, cache: SearchCache(file: file, generator: "test")) == fresh, "damaged copy \(number)")
            #expect(SearchCache(file: file, generator: "test").entry(key) != nil, "damaged copy \(number)")
        }
        // Another generator's cache is not read.
        #expect(SearchCache(file: file, generator: "other").entry(key) == nil)
    }
}
