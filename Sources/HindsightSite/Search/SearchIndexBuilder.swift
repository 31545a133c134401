import CompressNIO
import Foundation
import GitKit
import HindsightCore
import NIOCore

/// Builds the split search index under `/search/` from the parsed archive (never from HTML).
///
/// Layout, all but the manifest content-hashed and gzip-compressed so they cache forever:
/// - `manifest.json`: format version, document count, stop words, BM25F parameters, shard hashes.
/// - `t/<hex of 2- or 3-character prefix>-<hash>.json.gz`: postings of every term with that prefix
///   (a large two-character shard is split by three characters; the manifest lists which exist),
///   `{"terms": {"term": [docDelta, weight, docDelta, weight, …]}}`, weight = BM25F field-weighted
///   term frequency ×10 (`weight`). A query fetches only the shards of its terms.
/// - `facets-<hash>.json.gz`: facet values and each document's values, for counts and filters, and the
///   fragment buckets' hashes.
/// - `f/<bucket>-<hash>/<n>.json.gz`: one fragment per document (title, link, facts, factors,
///   actions, text), fetched only for results on screen. Documents are numbered oldest first, so a new
///   post-mortem (usually the newest) is added at the end and a rebuild patches the index instead of renumbering it.
public enum SearchIndexBuilder {
    /// The on-disk format's version, checked by the client.
    public static let formatVersion = 3
    /// Documents per fragment bucket.
    static let bucketSize = 64
    /// BM25 length normalisation.
    static let b = 0.75
    /// BM25 term-frequency saturation.
    static let k1 = 1.2

    /// A term's count in each field of one document (BM25F needs them apart until the averages are known).
    struct FieldCounts {
        var doc: Int32
        // A tuple, not SIMD8 or an array: 16 bytes a posting with the document (SIMD8's alignment makes 32).
        var counts: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0)

        subscript(field: Int) -> Int {
            switch field {
            case 0: return Int(counts.0)
            case 1: return Int(counts.1)
            case 2: return Int(counts.2)
            case 3: return Int(counts.3)
            case 4: return Int(counts.4)
            default: return Int(counts.5)
            }
        }

        mutating func set(_ field: Int, _ count: Int) {
            let value = UInt16(clamping: count)
            switch field {
            case 0: counts.0 = value
            case 1: counts.1 = value
            case 2: counts.2 = value
            case 3: counts.3 = value
            case 4: counts.4 = value
            default: counts.5 = value
            }
        }
    }

    /// A term in one document: the document's number and the term's weight there (`weight`).
    struct Posting {
        var doc: Int32
        var weight: Int32
    }

    /// BM25F's field-weighted, length-normalised term frequency ×10, rounded (at least 1): what a posting holds.
    ///
    /// Lengths and their averages are taken to the nearest step of a 4% grid (`grid`), as search engines keep
    /// document lengths in a byte: ranking cannot tell, and a small edit then leaves the document's postings
    /// as they were except for the terms whose counts changed, so a rebuild makes only those terms' shards again.
    static func weight(_ counts: FieldCounts, lengths: [Int], averages: [Double]) -> Int32 {
        var weight = 0.0
        for field in SearchDocument.Field.allCases where counts[field.rawValue] > 0 {
            let norm = 1 - b + b * grid(Double(lengths[field.rawValue])) / averages[field.rawValue]
            weight += field.weight * Double(counts[field.rawValue]) / norm
        }
        return Int32(clamping: max(1, Int((weight * 10).rounded())))
    }

    /// `value` at the nearest step of a grid of 4% steps (0 and 1 stay as they are).
    static func grid(_ value: Double) -> Double {
        guard value > 1 else { return value }
        return pow(1.04, (log(value) / log(1.04)).rounded())
    }

    /// Each field's average length over the documents, on the grid (at least 1).
    static func averages(_ lengths: [[Int]]) -> [Double] {
        SearchDocument.Field.allCases.map { field in
            guard lengths.isEmpty == false else { return 1 }
            let total = lengths.reduce(0) { $0 + $1[field.rawValue] }
            return max(1, grid(Double(total) / Double(lengths.count)))
        }
    }

    /// Documents tokenized at a time: enough to keep the cores busy, few enough that their token tables
    /// (tens of kilobytes each) never add up to the whole archive's.
    static let chunkSize = 256

    /// Every file of the index, paths relative to the site root.
    public static func build(_ archive: Archive) throws -> [OutputFile] {
        try build(archive, cache: nil)
    }

    /// Every file of the index. With a `cache`, post-mortems whose searchable text is unchanged since the last
    /// build take their fragment and term counts from it instead of being tokenized and compressed again, and
    /// when no post-mortem moved in the order only the shards holding a changed one's terms are made again.
    static func build(_ archive: Archive, cache: SearchCache?) throws -> [OutputFile] {
        guard let cache else { return try whole(archive, cache: nil) }
        return try patch(archive, cache: cache) ?? whole(archive, cache: cache)
    }

    /// The index patched from the last build's (`patched`), or nil when it has to be built `whole`: a build
    /// patches it early, beside the insights stage, and leaves a whole index to the page rendering's pool.
    static func patch(_ archive: Archive, cache: SearchCache) throws -> [OutputFile]? {
        let documents = documents(archive)
        return try patched(archive, documents, keys: keys(archive, documents), cache: cache)
    }

    /// The whole index, each post-mortem's share taken from `cache` where it has it.
    static func whole(_ archive: Archive, cache: SearchCache?) throws -> [OutputFile] {
        let documents = documents(archive)
        guard let cache else { return try full(archive, documents, keys: [], cache: nil) }
        StageTimer.note("search index built whole")
        return try full(archive, documents, keys: keys(archive, documents), cache: cache)
    }

    private static func keys(_ archive: Archive, _ documents: [PostMortem]) -> [ObjectID?] {
        documents.map { SearchDocument.key($0, parseKey: archive.parseKeys[$0.sourcePath]) }
    }

    /// The post-mortems in document order: oldest first (the archive's order reversed).
    public static func documents(_ archive: Archive) -> [PostMortem] { archive.postMortems.reversed() }

    /// The whole index from every post-mortem's share (from the cache where it has them).
    private static func full(
        _ archive: Archive, _ postMortems: [PostMortem], keys: [ObjectID?], cache: SearchCache?
    ) throws -> [OutputFile] {
        // One pass over the documents, a chunk at a time in parallel: each document's fragment is encoded and
        // compressed, and its term counts go into postings. Only the compressed fragments, the field lengths and
        // the postings outlive the chunk.
        var fragments: [Data] = []
        fragments.reserveCapacity(postMortems.count)
        var lengths: [[Int]] = []
        lengths.reserveCapacity(postMortems.count)
        var counted: [String: [FieldCounts]] = [:]
        for chunkStart in stride(from: 0, to: postMortems.count, by: chunkSize) {
            let chunk = chunkStart..<min(chunkStart + chunkSize, postMortems.count)
            typealias Result = (entry: SearchCache.Entry, bytes: Data?, checksum: UInt64?)
            let results = try Parallel.map(chunk.count) { offset -> Result in
                let index = chunk.lowerBound + offset
                guard let cache, let key = keys[index] else { return (try entry(postMortems[index]), nil, nil) }
                if let hit = cache.entry(key) { return (hit.entry, hit.bytes, hit.checksum) }
                let made = try entry(postMortems[index])
                return (made, SearchCache.encode(made), nil)
            }
            for (offset, result) in results.enumerated() {
                let doc = Int32(chunk.lowerBound + offset)
                fragments.append(result.entry.fragment)
                lengths.append(result.entry.lengths)
                for (term, counts) in result.entry.terms {
                    var posting = counts
                    posting.doc = doc
                    counted[term, default: []].append(posting)
                }
                if let cache, let key = keys[Int(doc)], let bytes = result.bytes {
                    cache.append(key, bytes, checksum: result.checksum)
                }
            }
        }

        // Shards by the first two characters of the term (split by three when large, in `encodeShard`), postings
        // weighted once the averages are known. Each term's counts are let go as soon as its postings are made.
        let averages = averages(lengths)
        var shards: [String: [String: [Posting]]] = [:]
        for term in Array(counted.keys) {
            guard let list = counted.removeValue(forKey: term) else { continue }
            shards[shardKey(term), default: [:]][term] = list.map {
                Posting(doc: $0.doc, weight: weight($0, lengths: lengths[Int($0.doc)], averages: averages))
            }
        }
        var infos: [String: SearchCache.ShardInfo] = [:]
        var files: [OutputFile] = []
        // Encoded and compressed on every core, a few at a time: each chunk's postings and cache entries are let go
        // (the entries kept in the cache, in order) before the next is made.
        var pending: [(key: String, value: [String: [Posting]])?] = shards.sorted(by: { $0.key < $1.key })
        shards = [:]
        for start in stride(from: 0, to: pending.count, by: 16) {
            let range = start..<min(start + 16, pending.count)
            let chunk = pending[range].map { $0! }
            for index in range { pending[index] = nil }
            let made = try Parallel.map(chunk.count) { try shard(chunk[$0].key, chunk[$0].value, cache: cache) }
            for ((prefix, _), shard) in zip(chunk, made) {
                infos[prefix] = shard.info
                cache?.append(shard.info.entry, shard.entry, checksum: shard.checksum)
                for (file, hash) in zip(shard.files, shard.info.files) { files.append(shardFile(file.key, hash.hash, file.data)) }
            }
        }

        // Fragments in buckets; a bucket's folder name carries the hash of its contents.
        var bucketHashes: [String] = []
        for start in stride(from: 0, to: postMortems.count, by: bucketSize) {
            let bucket = start..<min(start + bucketSize, postMortems.count)
            bucketHashes.append(bucketHash(bucket.map { fragments[$0] }))
            for index in bucket { files.append(fragmentFile(index, bucketHashes.last!, fragments[index])) }
        }
        files += try tables(archive, postMortems, bucketHashes: bucketHashes, shards: infos)
        if let cache {
            let known = keys.compactMap { $0 }
            if known.count == keys.count {
                cache.save(SearchCache.Layout(
                    keys: known, lengths: lengths, averages: averages, buckets: bucketHashes, shards: infos))
            }
            cache.finish()
        }
        return files
    }

    /// The index patched from the last build's: nil when that cannot be done (documents removed or inserted
    /// before the last, more than a tenth of them changed or added, an average field length moved to another
    /// step of the grid, or a cache entry it needs is missing or damaged), and the caller builds it whole. Gives
    /// the same bytes as `full`.
    private static func patched(
        _ archive: Archive, _ postMortems: [PostMortem], keys: [ObjectID?], cache: SearchCache
    ) throws -> [OutputFile]? {
        // Documents added after the last build's (a new newest post-mortem) are changed documents without an old share.
        guard let layout = cache.layout(), layout.keys.count <= keys.count else { return nil }
        var changed: [Int] = []
        for (index, key) in keys.enumerated() {
            guard let key else { return nil }
            if index >= layout.keys.count || key != layout.keys[index] { changed.append(index) }
        }
        guard changed.count <= max(1, keys.count / 10) else { return nil }

        // Everything read from the cache first, so that a miss falls back before anything is kept.
        // The changed documents: their new shares (from the cache if another build made them), their old terms.
        typealias Made = (entry: SearchCache.Entry, bytes: Data, checksum: UInt64?)
        var made: [Int: Made] = [:]
        var olds: [Int: SearchCache.Entry] = [:]
        var touched = Set<String>()
        for index in changed {
            if index < layout.keys.count {
                guard let old = cache.entry(layout.keys[index]) else { return nil }
                olds[index] = old.entry
            }
            let key = keys[index]!
            if let hit = cache.entry(key) {
                made[index] = (hit.entry, hit.bytes, hit.checksum)
            } else {
                let entry = try entry(postMortems[index])
                made[index] = (entry, SearchCache.encode(entry), nil)
            }
        }
        var lengths = layout.lengths + Array(repeating: [], count: keys.count - layout.keys.count)
        for (index, share) in made { lengths[index] = share.entry.lengths }
        let averages = averages(lengths)
        guard averages == layout.averages else { return nil }
        // Only terms whose weight changed change a shard: a small edit leaves the document's lengths on the same
        // step of the grid, so its other postings stay as they were.
        var weighed: [Int: [(term: String, weight: Int32)]] = [:]
        for index in changed {
            let new = made[index]!.entry
            var before: [String: Int32] = [:]
            if let old = olds[index] {
                for (term, counts) in old.terms { before[term] = weight(counts, lengths: old.lengths, averages: averages) }
            }
            weighed[index] = new.terms.map { ($0.term, weight($0.counts, lengths: new.lengths, averages: averages)) }
            for (term, weight) in weighed[index]! where before.removeValue(forKey: term) != weight {
                touched.insert(shardKey(term))
            }
            for term in before.keys { touched.insert(shardKey(term)) }
        }

        // Shards: a touched one has its changed documents' postings taken out and their new ones put in; the
        // others are the last build's files.
        var infos: [String: SearchCache.ShardInfo] = [:]
        var files: [OutputFile] = []
        var rebuilt: [String: MadeShard] = [:]
        var additions: [String: [String: [Posting]]] = [:]
        for index in changed {
            for (term, weight) in weighed[index]! where touched.contains(shardKey(term)) {
                additions[shardKey(term), default: [:]][term, default: []].append(Posting(doc: Int32(index), weight: weight))
            }
        }
        let changedDocs = Set(changed.map(Int32.init))
        // On every core: an edit that moves a document's length to another step of the grid touches every shard
        // holding one of its terms (a quarter of them).
        let prefixes = touched.sorted()
        let remade = try Parallel.map(prefixes.count) { [additions] number -> (found: Bool, shard: MadeShard?) in
            let prefix = prefixes[number]
            var terms: [String: [Posting]] = [:]
            if let info = layout.shards[prefix] {
                guard let old = cache.shard(info.entry) else { return (false, nil) }
                terms = old.terms
            }
            for (term, list) in terms {
                let kept = list.filter { changedDocs.contains($0.doc) == false }
                terms[term] = kept.isEmpty ? nil : kept
            }
            for (term, list) in additions[prefix] ?? [:] {
                terms[term] = ((terms[term] ?? []) + list).sorted { $0.doc < $1.doc }
            }
            guard terms.isEmpty == false else { return (true, nil) }
            return (true, try shard(prefix, terms, cache: cache))
        }
        for (prefix, result) in zip(prefixes, remade) {
            guard result.found else { return nil }
            rebuilt[prefix] = result.shard
        }
        var kept: [String] = []
        for (prefix, info) in layout.shards where touched.contains(prefix) == false {
            infos[prefix] = info
            kept.append(prefix)
            for file in info.files {
                let path = shardPath(file.key, file.hash)
                if let previous = cache.previousFile(path) {
                    files.append(previous)
                } else {
                    guard let stored = cache.shard(info.entry, postings: false),
                        let data = stored.files.first(where: { $0.key == file.key })?.data
                    else { return nil }
                    files.append(OutputFile(path: path, data: data))
                }
            }
        }

        // Fragment buckets: one holding a changed (or added) document is made again from its documents' fragments.
        let bucketCount = (postMortems.count + bucketSize - 1) / bucketSize
        guard layout.buckets.count <= bucketCount else { return nil }
        var bucketHashes = layout.buckets + Array(repeating: "", count: bucketCount - layout.buckets.count)
        for (number, start) in stride(from: 0, to: postMortems.count, by: bucketSize).enumerated() {
            let bucket = start..<min(start + bucketSize, postMortems.count)
            if bucket.contains(where: { made[$0] != nil }) {
                var fragments: [Data] = []
                for index in bucket {
                    guard let fragment = made[index]?.entry.fragment ?? cache.fragment(keys[index]!) else { return nil }
                    fragments.append(fragment)
                }
                bucketHashes[number] = bucketHash(fragments)
                for (index, fragment) in zip(bucket, fragments) { files.append(fragmentFile(index, bucketHashes[number], fragment)) }
            } else {
                for index in bucket {
                    let path = fragmentPath(index, bucketHashes[number])
                    if let previous = cache.previousFile(path) {
                        files.append(previous)
                    } else {
                        guard let fragment = cache.fragment(keys[index]!) else { return nil }
                        files.append(OutputFile(path: path, data: fragment))
                    }
                }
            }
        }

        StageTimer.note("search index patched: \(rebuilt.count) of \(layout.shards.count) shards made again")
        // All found: keep for the next build what this one used.
        for (prefix, shard) in rebuilt {
            infos[prefix] = shard.info
            cache.append(shard.info.entry, shard.entry, checksum: shard.checksum)
            for (file, hash) in zip(shard.files, shard.info.files) { files.append(shardFile(file.key, hash.hash, file.data)) }
        }
        // The unchanged entries are kept unread, since reading them all back would cost a rebuild more than the
        // patch: one damaged is found when a later build reads it, which then builds the index whole.
        for prefix in kept.sorted() { _ = cache.keepUnread(layout.shards[prefix]!.entry) }
        for (index, key) in keys.enumerated() {
            if let share = made[index] {
                cache.append(key!, share.bytes, checksum: share.checksum)
            } else if cache.keepUnread(key!) == false {
                cache.append(key!, SearchCache.encode(try entry(postMortems[index])))
            }
        }
        files += try tables(archive, postMortems, bucketHashes: bucketHashes, shards: infos)
        cache.save(SearchCache.Layout(
            keys: keys.map { $0! }, lengths: lengths, averages: averages, buckets: bucketHashes, shards: infos))
        cache.finish()
        return files
    }

    /// A two-character shard as made: its layout entry, its files, its cache entry and that entry's checksum when
    /// it was read back from the cache.
    typealias MadeShard = (info: SearchCache.ShardInfo, files: [(key: String, data: Data)], entry: Data, checksum: UInt64?)

    /// One two-character shard's files from its terms' postings, with its cache entry (and the entry's checksum when
    /// it was read back from the cache, so that keeping it writes nothing): the files come from the cache when a
    /// shard with these postings was made before. The caller keeps the entry for the next build (in order, once it
    /// has everything).
    private static func shard(
        _ prefix: String, _ terms: [String: [Posting]], cache: SearchCache?
    ) throws -> MadeShard {
        let postings = postingsBytes(terms)
        let key = ContentKey.of(postings)
        let encoded: [(key: String, data: Data)]
        let entry: Data
        var checksum: UInt64?
        if let hit = cache?.shard(key, postings: false) {
            (encoded, entry, checksum) = (hit.files, hit.bytes, hit.checksum)
        } else {
            let lists = terms.mapValues { list -> [Int32] in
                var out: [Int32] = []
                out.reserveCapacity(list.count * 2)
                var previous: Int32 = 0
                for posting in list {
                    out.append(posting.doc - previous)
                    out.append(posting.weight)
                    previous = posting.doc
                }
                return out
            }
            encoded = try encodeShard(prefix, lists)
            entry = SearchCache.shardEntry(files: encoded, postings: postings)
        }
        let info = SearchCache.ShardInfo(entry: key, files: encoded.map { ($0.key, contentHash($0.data)) })
        return (info, encoded, entry, checksum)
    }

    /// A shard's postings as bytes, terms sorted: what its cache entry is keyed by and keeps.
    static func postingsBytes(_ terms: [String: [Posting]]) -> Data {
        var writer = BinaryWriter()
        writer.varint(terms.count)
        for (term, list) in terms.sorted(by: { $0.key < $1.key }) {
            writer.string(term)
            writer.varint(list.count)
            var previous: Int32 = 0
            for posting in list {
                writer.varint(Int(posting.doc - previous))
                writer.varint(Int(posting.weight))
                previous = posting.doc
            }
        }
        return writer.data
    }

    /// The facet table and the manifest.
    private static func tables(
        _ archive: Archive, _ documents: [PostMortem], bucketHashes: [String], shards: [String: SearchCache.ShardInfo]
    ) throws -> [OutputFile] {
        let facets = try gzip(CompactJSON.facets(facetTable(archive, documents, bucketHashes: bucketHashes)))
        let facetsHash = contentHash(facets)
        var shardHashes: [String: String] = [:]
        for info in shards.values {
            for file in info.files { shardHashes[file.key] = file.hash }
        }
        let manifest = Manifest(
            version: formatVersion, documents: documents.count, bucket_size: bucketSize,
            stop_words: SearchTokenizer.stopWords.sorted(), shards: shardHashes,
            facets: "facets-\(facetsHash).json.gz", k1: k1)
        return [
            OutputFile(path: "search/facets-\(facetsHash).json.gz", data: facets),
            OutputFile(path: "search/manifest.json", data: try json(manifest)),
        ]
    }

    static func shardPath(_ key: String, _ hash: String) -> String { "search/t/\(hex(key))-\(hash).json.gz" }

    static func shardFile(_ key: String, _ hash: String, _ data: Data) -> OutputFile {
        OutputFile(path: shardPath(key, hash), data: data)
    }

    static func fragmentPath(_ doc: Int, _ bucketHash: String) -> String {
        "search/f/\(doc / bucketSize)-\(bucketHash)/\(doc % bucketSize).json.gz"
    }

    static func fragmentFile(_ doc: Int, _ bucketHash: String, _ data: Data) -> OutputFile {
        OutputFile(path: fragmentPath(doc, bucketHash), data: data)
    }

    /// A fragment bucket's hash: of its fragments' bytes.
    static func bucketHash(_ fragments: [Data]) -> String {
        var hasher = ContentHasher()
        for fragment in fragments { hasher.combine(fragment) }
        return hasher.finish()
    }

    /// A two-character shard's files: itself compressed, or split by three characters when that comes out large.
    static func encodeShard(_ key: String, _ terms: [String: [Int32]]) throws -> [(key: String, data: Data)] {
        let data = try gzip(CompactJSON.postings(terms))
        guard data.count > splitBytes, terms.count > 1 else { return [(key, data)] }
        var split: [String: [String: [Int32]]] = [:]
        for (term, list) in terms { split[shardKey(term, length: 3), default: [:]][term] = list }
        return try split.sorted(by: { $0.key < $1.key }).map { ($0.key, try gzip(CompactJSON.postings($0.value))) }
    }

    /// One post-mortem's share of the index: its compressed fragment, field lengths and term counts.
    static func entry(_ pm: PostMortem) throws -> SearchCache.Entry {
        let document = SearchDocument(pm)
        let fragment = try gzip(try json(Fragment(pm, sections: document.sections)))
        var terms: [String: FieldCounts] = [:]
        for field in 0..<SearchDocument.Field.allCases.count {
            for (term, count) in document.termCounts[field] {
                terms[term, default: FieldCounts(doc: 0)].set(field, count)
            }
        }
        return SearchCache.Entry(fragment: fragment, lengths: document.lengths, terms: terms.map { ($0.key, $0.value) })
    }

    /// A two-character shard larger than this (compressed) is split by three characters.
    static let splitBytes = 16_000

    /// A shard key: the term's first `length` characters (two, or three for a split shard).
    public static func shardKey(_ term: String, length: Int = 2) -> String {
        String(String.UnicodeScalarView(term.unicodeScalars.prefix(length)))
    }

    /// Hexadecimal UTF-8, so any script makes a plain file name.
    public static func hex(_ key: String) -> String {
        key.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// `manifest.json`: what a client reads first.
    struct Manifest: Encodable {
        let version: Int
        let documents: Int
        let bucket_size: Int
        let stop_words: [String]
        let shards: [String: String]
        let facets: String
        let k1: Double
    }

    /// One result's fragment: what a result shows, fetched only when it is on screen.
    struct Fragment: Encodable {
        let id: String
        let title: String
        let url: String
        let date: String
        let severity: String
        let services: [String]
        let near_miss: Bool
        let factors: [[String]]
        let actions: [[String]]
        let summary: String
        /// `[heading, text]` per section, 40,000 characters of text in all: enough for every snippet.
        let sections: [[String]]

        init(_ pm: PostMortem, sections: [[String]]) {
            id = pm.id
            title = pm.title
            url = SiteURLs.Path.postMortem(pm.id)
            date = pm.date?.description ?? ""
            severity = pm.severity ?? ""
            services = pm.services
            near_miss = pm.nearMiss
            factors = pm.factors.map { [$0.type, $0.text] }
            actions = pm.actionItems.map { [$0.text, $0.owner ?? "", $0.status] }
            summary = pm.summary
            var budget = 40_000
            var kept: [[String]] = []
            for section in sections where budget > 0 {
                let text = String(section[1].prefix(budget))
                budget -= text.count
                kept.append([section[0], text])
            }
            self.sections = kept
        }
    }

    /// Facet values (in display order) and each document's values as indices into them (written by
    /// `CompactJSON.facets`; the tests compare it with JSONEncoder's output).
    struct FacetTable: Encodable {
        struct Values: Encodable {
            let severity: [String]
            let service: [String]
            let type: [String]
            let year: [String]
        }
        struct Documents: Encodable {
            let severity: [Int]
            let service: [[Int]]
            let type: [[Int]]
            let year: [Int]
            let near_miss: [Int]
        }
        let values: Values
        let docs: Documents
        let buckets: [String]
    }

    static func facetTable(_ archive: Archive, _ docs: [PostMortem], bucketHashes: [String]) -> FacetTable {
        let severities = archive.severities.map(\.name)
        let services = archive.services.map(\.name)
        let types = archive.factorGroups.filter { !$0.factors.isEmpty }.map(\.type)
        let years = archive.years.map(\.name)
        // Slug → position, built once: looking each value up in the list was quadratic in services.
        func positions(_ list: [String]) -> [String: Int] {
            var out: [String: Int] = [:]
            for (index, value) in list.enumerated() where out[Normalise.slug(value)] == nil { out[Normalise.slug(value)] = index }
            return out
        }
        let servicePositions = positions(services), typePositions = positions(types)
        let severityPositions = Dictionary(severities.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let yearPositions = Dictionary(years.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // A service or type is on thousands of post-mortems: each slugged once.
        var slugs = Slugs()
        func indices(_ values: [String], in positions: [String: Int]) -> [Int] {
            var found: [Int] = []
            for value in values {
                if let position = positions[slugs(value)], found.contains(position) == false { found.append(position) }
            }
            return found
        }
        return FacetTable(
            values: .init(severity: severities, service: services, type: types, year: years),
            docs: .init(
                severity: docs.map { pm in pm.severity.flatMap { severityPositions[$0] } ?? -1 },
                service: docs.map { indices($0.services, in: servicePositions) },
                type: docs.map { indices($0.factorTypes, in: typePositions) },
                year: docs.map { pm in pm.date.flatMap { yearPositions[String($0.year)] } ?? -1 },
                near_miss: docs.map { $0.nearMiss ? 1 : 0 }),
            buckets: bucketHashes)
    }

    /// Compact JSON with sorted keys, so equal values give equal bytes.
    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// gzip with a fixed header, so equal input gives equal bytes (and equal hashes).
    static func gzip(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        var compressed = try buffer.compress(with: .gzip(configuration: .init(compressionLevel: 6)))
        return Data(compressed.readBytes(length: compressed.readableBytes) ?? [])
    }

    /// Inflates what `gzip` wrote (for tests and tools reading the index).
    public static func gunzip(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        var plain = try buffer.decompress(with: .gzip())
        return Data(plain.readBytes(length: plain.readableBytes) ?? [])
    }

    static func contentHash(_ data: Data) -> String {
        var hasher = ContentHasher()
        hasher.combine(data)
        return hasher.finish()
    }
}
