import Foundation
import HindsightCore
@testable import HindsightSite
import TestSupport
import Testing

/// Reads an index back the way the browser does and answers queries with it.
struct IndexReader {
    let files: [String: Data]
    let manifest: [String: Any]

    init(_ outputs: [OutputFile]) throws {
        var files: [String: Data] = [:]
        for file in outputs where file.path.hasPrefix("search/") { files[String(file.path.dropFirst(7))] = file.data }
        self.files = files
        manifest = try JSONSerialization.jsonObject(with: files["manifest.json"] ?? Data()) as? [String: Any] ?? [:]
    }

    func gz(_ path: String) throws -> [String: Any] {
        let data = try #require(files[path], "missing index file \(path)")
        return try JSONSerialization.jsonObject(with: try SearchIndexBuilder.gunzip(data)) as? [String: Any] ?? [:]
    }

    /// doc → weighted term frequency for one term.
    func postings(_ term: String) throws -> [Int: Double] {
        let shards = manifest["shards"] as? [String: String] ?? [:]
        let three = SearchIndexBuilder.shardKey(term, length: 3)
        let key = term.unicodeScalars.count >= 3 && shards[three] != nil ? three : SearchIndexBuilder.shardKey(term)
        guard let hash = shards[key] else { return [:] }
        let shard = try gz("t/\(SearchIndexBuilder.hex(key))-\(hash).json.gz")
        let list = (shard["terms"] as? [String: [Int]])?[term] ?? []
        var out: [Int: Double] = [:]
        var doc = 0
        for i in stride(from: 0, to: list.count, by: 2) {
            doc += list[i]
            out[doc] = Double(list[i + 1]) / 10
        }
        return out
    }

    /// AND of the query's terms, ranked by BM25 as the client ranks.
    func search(_ text: String) throws -> [Int] {
        let total = Double(manifest["documents"] as? Int ?? 0)
        var scores: [Int: Double]?
        for term in SearchTokenizer.indexTokens(text) {
            let postings = try postings(term)
            let idf = log(1 + (total - Double(postings.count) + 0.5) / (Double(postings.count) + 0.5))
            var next: [Int: Double] = [:]
            for (doc, tf) in postings where scores == nil || scores?[doc] != nil {
                next[doc] = (scores?[doc] ?? 0) + idf * tf * 2.2 / (tf + 1.2)
            }
            scores = next
        }
        // Ties go to the newer post-mortem: the higher number, since documents are numbered oldest first.
        return (scores ?? [:]).sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
    }

    func fragment(_ doc: Int) throws -> [String: Any] {
        let size = manifest["bucket_size"] as? Int ?? 64
        let facets = try gz(manifest["facets"] as? String ?? "")
        let buckets = facets["buckets"] as? [String] ?? []
        return try gz("f/\(doc / size)-\(buckets[doc / size])/\(doc % size).json.gz")
    }
}

@Suite("Search index")
struct SearchIndexTests {
    static func archive(_ files: [String: String]) throws -> Archive {
        let sources = files.sorted { $0.key < $1.key }.map { SourceFile(path: "Content/" + $0.key, contentPath: $0.key, data: Data($0.value.utf8)) }
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: Configuration(), files: sources, themeFiles: [:],
            histories: [:], diagnostics: [])
        return ArchiveBuilder.build(snapshot).0
    }

    @Test("what is written reads back and answers queries, title matches ranked above body matches")
    func roundTrip() throws {
        let archive = try Self.archive([
            "a.md": postMortem(title: "Kafka consumer lag", date: "2024-01-01", body: "## Lessons\n\nNothing about it."),
            "b.md": postMortem(title: "Disk full", date: "2024-02-01", body: "## Lessons\n\nA kafka broker was considered."),
            "c.md": postMortem(title: "Certificate expiry", date: "2024-03-01"),
        ])
        let reader = try IndexReader(try SearchIndexBuilder.build(archive))
        #expect(reader.manifest["documents"] as? Int == 3)
        #expect(reader.manifest["version"] as? Int == SearchIndexBuilder.formatVersion)

        let ids = SearchIndexBuilder.documents(archive).map(\.id)
        let results = try reader.search("kafka").map { ids[$0] }
        #expect(results == ["a", "b"])
        #expect(try reader.search("certificate expiry").map { ids[$0] } == ["c"])
        #expect(try reader.search("certificate kafka").isEmpty)
        #expect(try reader.search("nonexistentword").isEmpty)

        let fragment = try reader.fragment(try #require(ids.firstIndex(of: "a")))
        #expect(fragment["title"] as? String == "Kafka consumer lag")
        #expect(fragment["url"] as? String == "postmortems/a/")
        #expect((fragment["factors"] as? [[String]])?.first == ["Process", "The canary did not cover the path"])
    }

    @Test("factors, services and action items are searchable")
    func structuredFields() throws {
        let archive = try Self.archive([
            "a.md": postMortem(title: "One", services: ["inventory"], factorType: "Documentation"),
            "b.md": postMortem(title: "Two", services: ["checkout"]),
        ])
        let reader = try IndexReader(try SearchIndexBuilder.build(archive))
        let ids = SearchIndexBuilder.documents(archive).map(\.id)
        #expect(try reader.search("inventory").map { ids[$0] } == ["a"])
        #expect(try reader.search("documentation").map { ids[$0] } == ["a"])
        #expect(try reader.search("canary check").count == 2)
    }

    @Test("facet table lists values and each document's values")
    func facets() throws {
        let archive = try Self.archive([
            "a.md": postMortem(title: "One", date: "2023-05-01", severity: "SEV1", services: ["dns"]),
            "b.md": postMortem(title: "Two", date: "2024-05-01", severity: "SEV3", services: ["dns", "edge"], extraFrontMatter: "near_miss: true"),
        ])
        let reader = try IndexReader(try SearchIndexBuilder.build(archive))
        let facets = try reader.gz(reader.manifest["facets"] as? String ?? "")
        let values = try #require(facets["values"] as? [String: [String]])
        #expect(values["severity"] == ["SEV1", "SEV3"])
        #expect(values["service"] == ["dns", "edge"])
        #expect(values["year"] == ["2024", "2023"])
        let docs = try #require(facets["docs"] as? [String: Any])
        // Documents are numbered oldest first.
        #expect(docs["severity"] as? [Int] == [0, 1])
        #expect(docs["near_miss"] as? [Int] == [0, 1])
        #expect(docs["service"] as? [[Int]] == [[0], [0, 1]])
    }

    @Test("names are content hashes: equal input, equal files; a change renames only what changed")
    func contentHashes() throws {
        let one = try SearchIndexBuilder.build(try Self.archive(["a.md": postMortem(title: "Alpha"), "b.md": postMortem(title: "Beta")]))
        let again = try SearchIndexBuilder.build(try Self.archive(["a.md": postMortem(title: "Alpha"), "b.md": postMortem(title: "Beta")]))
        #expect(one == again)
        let changed = try SearchIndexBuilder.build(try Self.archive(["a.md": postMortem(title: "Alpha"), "b.md": postMortem(title: "Gamma")]))
        let before = Set(one.map(\.path))
        let after = Set(changed.map(\.path))
        #expect(before != after)
        // The shard of a term only alpha uses is unchanged.
        let alphaShard = before.filter { $0.hasPrefix("search/t/\(SearchIndexBuilder.hex("al"))-") }
        #expect(alphaShard.isEmpty == false && alphaShard.isSubset(of: after))
    }

    @Test("a shard's JSON, written without an encoder, reads back as JSONEncoder's does, whatever the terms hold")
    func shardJSONMatchesEncoder() throws {
        let terms: [String: [Int32]] = [
            "kafka": [0, 12, 3, 40], "quote\"d": [1, 2], "back\\slash": [5, 7], "tab\tnew\nline\r": [2, 1],
            "bell\u{07}": [0, 1], "café": [4, 2_147_483_647], "日本語": [-3, 9], "emoji🙂": [0, 10], "": [1, 1], "a/b": [],
        ]
        let written = CompactJSON.postings(terms)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let reference = try encoder.encode(["terms": terms])
        let parse = { (data: Data) throws -> NSDictionary in
            try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        }
        #expect(try parse(written) == parse(reference))
        // Terms come in order, so equal postings give equal bytes (and equal content-hashed names).
        #expect(CompactJSON.postings(terms) == written)
        #expect(String(decoding: written, as: UTF8.self).hasPrefix(#"{"terms":{"":[1,1],"a/b":[],"back\\slash":[5,7]"#))
    }

    @Test("the facet table, written without an encoder, reads back as JSONEncoder's does")
    func facetJSONMatchesEncoder() throws {
        let archive = try Self.archive([
            "a.md": postMortem(title: "Alpha", date: "2023-05-01", severity: "SEV1", services: ["api \"edge\"", "billing"]),
            "b.md": postMortem(title: "Beta", date: "2024-02-01", severity: "SEV3", services: ["billing"]),
        ])
        let table = SearchIndexBuilder.facetTable(archive, SearchIndexBuilder.documents(archive), bucketHashes: ["0a1b", "c\\d"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let (written, reference) = (CompactJSON.facets(table), try encoder.encode(table))
        let parse = { (data: Data) throws -> NSDictionary in
            try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        }
        #expect(try parse(written) == parse(reference))
        // Keys sorted as JSONEncoder sorts them: the same bytes.
        #expect(written == reference)
    }
}
