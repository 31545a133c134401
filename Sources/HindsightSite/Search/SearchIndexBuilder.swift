import CompressNIO
import Foundation
import GitKit
import HindsightCore
import NIOCore

/// Builds the split search index under `/search/` from the parsed archive (never from HTML).
///
/// Layout, all but the manifest content-hashed and gzip-compressed so they cache forever:
/// - `manifest.json`: format version, document count, stop words, shard and bucket hashes.
/// - `t/<hex of 2- or 3-character prefix>-<hash>.json.gz`: postings of every term with that prefix
///   (a large two-character shard is split by three characters; the manifest lists which exist),
///   `{"terms": {"term": [docDelta, weight, docDelta, weight, …]}}`, weight = BM25F field-weighted
///   term frequency ×10. A query fetches only the shards of its terms.
/// - `facets-<hash>.json.gz`: facet values and each document's values, for counts and filters.
/// - `f/<bucket>-<hash>/<n>.json.gz`: one fragment per document (title, link, facts, factors,
///   actions, text), fetched only for results on screen. Documents are numbered newest first.
public enum SearchIndexBuilder {
    /// The on-disk format's version, checked by the client.
    public static let formatVersion = 1
    /// Documents per fragment bucket.
    static let bucketSize = 64
    /// BM25 length normalisation.
    static let b = 0.75

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

    /// Documents tokenized at a time: enough to keep the cores busy, few enough that their token tables
    /// (tens of kilobytes each) never add up to the whole archive's.
    static let chunkSize = 256

    /// Every file of the index, paths relative to the site root.
    public static func build(_ archive: Archive) throws -> [OutputFile] {
        try build(archive, cache: nil)
    }

    /// Every file of the index; with a `cache`, post-mortems whose searchable text is unchanged since the last
    /// build take their fragment and term counts from it instead of being tokenized and compressed again.
    static func build(_ archive: Archive, cache: SearchCache?) throws -> [OutputFile] {
        let postMortems = archive.postMortems
        var files: [OutputFile] = []
        let fieldCount = SearchDocument.Field.allCases.count

        // One pass over the documents, a chunk at a time in parallel: each document's fragment is encoded and
        // compressed, and its term counts go into postings that keep the fields apart. Only the compressed
        // fragments, the field lengths and the postings outlive the chunk.
        var fragmentData: [Data] = []
        fragmentData.reserveCapacity(postMortems.count)
        var lengths: [[Int]] = []
        lengths.reserveCapacity(postMortems.count)
        var counted: [String: [FieldCounts]] = [:]
        for chunkStart in stride(from: 0, to: postMortems.count, by: chunkSize) {
            let chunk = chunkStart..<min(chunkStart + chunkSize, postMortems.count)
            typealias Result = (entry: SearchCache.Entry, key: ObjectID?, bytes: Data?, checksum: UInt64?)
            let results = try Parallel.map(chunk.count) { offset -> Result in
                let pm = postMortems[chunk.lowerBound + offset]
                guard let cache else { return (try entry(pm), nil, nil, nil) }
                let key = SearchDocument.key(pm, parseKey: archive.parseKeys[pm.sourcePath])
                if let key, let hit = cache.entry(key) { return (hit.entry, key, hit.bytes, hit.checksum) }
                let made = try entry(pm)
                return (made, key, key.map { _ in SearchCache.encode(made) }, nil)
            }
            for (offset, result) in results.enumerated() {
                let doc = Int32(chunk.lowerBound + offset)
                fragmentData.append(result.entry.fragment)
                lengths.append(result.entry.lengths)
                for (term, counts) in result.entry.terms {
                    var posting = counts
                    posting.doc = doc
                    counted[term, default: []].append(posting)
                }
                if let cache, let key = result.key, let bytes = result.bytes {
                    cache.append(key, bytes, checksum: result.checksum)
                }
            }
        }

        // BM25F weighted term frequency per (term, document), once the average field lengths are known.
        var averages = [Double](repeating: 1, count: fieldCount)
        if lengths.isEmpty == false {
            for field in 0..<fieldCount {
                let total = lengths.reduce(0) { $0 + $1[field] }
                averages[field] = max(1, Double(total) / Double(lengths.count))
            }
        }
        // Shards by the first two characters of the term; a shard that comes out large is split by
        // the first three, so a query for a common word does not fetch every word sharing its start.
        // A term's postings are `[docDelta, weight, …]`, documents ascending.
        // Each term's counts are let go as soon as its postings are made, so the two never add up whole; postings
        // are 32-bit (a document number and a weight ×10 both fit).
        var shards: [String: [String: [Int32]]] = [:]
        for term in Array(counted.keys) {
            guard let list = counted.removeValue(forKey: term) else { continue }
            var encoded: [Int32] = []
            encoded.reserveCapacity(list.count * 2)
            var previous = 0
            for entry in list {
                var weight = 0.0
                for field in SearchDocument.Field.allCases where entry[field.rawValue] > 0 {
                    let norm = 1 - b + b * Double(lengths[Int(entry.doc)][field.rawValue]) / averages[field.rawValue]
                    weight += field.weight * Double(entry[field.rawValue]) / norm
                }
                encoded.append(Int32(Int(entry.doc) - previous))
                encoded.append(Int32(clamping: max(1, Int((weight * 10).rounded()))))
                previous = Int(entry.doc)
            }
            shards[shardKey(term), default: [:]][term] = encoded
        }
        counted = [:]
        var shardHashes: [String: String] = [:]
        for (key, terms) in shards.sorted(by: { $0.key < $1.key }) {
            // Most shards come out the same after a small change (weights are rounded): those are taken from the
            // cache by the blob id of their postings instead of encoded and compressed again.
            let contentKey = cache == nil ? nil : shardContentKey(terms)
            let encoded: [(key: String, data: Data)]
            if let contentKey, let hit = cache?.shard(contentKey) {
                encoded = hit
            } else {
                encoded = try encodeShard(key, terms)
                if let contentKey { cache?.appendShard(contentKey, encoded) }
            }
            for (key, data) in encoded {
                let hash = contentHash(data)
                shardHashes[key] = hash
                files.append(OutputFile(path: "search/t/\(hex(key))-\(hash).json.gz", data: data))
            }
        }
        cache?.finish()

        // Fragments in buckets; a bucket's folder name carries the hash of its contents.
        var bucketHashes: [String] = []
        for start in stride(from: 0, to: postMortems.count, by: bucketSize) {
            let end = min(start + bucketSize, postMortems.count)
            var hasher = ContentHasher()
            for index in start..<end { hasher.combine(fragmentData[index]) }
            let hash = hasher.finish()
            bucketHashes.append(hash)
            for index in start..<end {
                files.append(OutputFile(path: "search/f/\(start / bucketSize)-\(hash)/\(index - start).json.gz", data: fragmentData[index]))
            }
        }

        let facets = try gzip(try json(facetTable(archive, bucketHashes: bucketHashes)))
        let facetsHash = contentHash(facets)
        files.append(OutputFile(path: "search/facets-\(facetsHash).json.gz", data: facets))

        let manifest = Manifest(
            version: formatVersion, documents: postMortems.count, bucket_size: bucketSize,
            stop_words: SearchTokenizer.stopWords.sorted(), shards: shardHashes,
            facets: "facets-\(facetsHash).json.gz", k1: 1.2)
        files.append(OutputFile(path: "search/manifest.json", data: try json(manifest)))
        return files
    }

    /// A two-character shard's files: itself compressed, or split by three characters when that comes out large.
    static func encodeShard(_ key: String, _ terms: [String: [Int32]]) throws -> [(key: String, data: Data)] {
        let data = try gzip(try json(Shard(terms: terms)))
        guard data.count > splitBytes, terms.count > 1 else { return [(key, data)] }
        var split: [String: [String: [Int32]]] = [:]
        for (term, list) in terms { split[shardKey(term, length: 3), default: [:]][term] = list }
        return try split.sorted(by: { $0.key < $1.key }).map { ($0.key, try gzip(try json(Shard(terms: $0.value)))) }
    }

    /// The Git blob id of a shard's terms and postings: the `SearchCache` key of its files. Nil if hashing fails.
    static func shardContentKey(_ terms: [String: [Int32]]) -> ObjectID? {
        var writer = BinaryWriter()
        writer.string("shard")
        writer.varint(formatVersion)
        writer.varint(splitBytes)
        for (term, postings) in terms.sorted(by: { $0.key < $1.key }) {
            writer.string(term)
            writer.varint(postings.count)
            for value in postings { writer.varint(Int(value)) }
        }
        return try? Repository.blobID(hashing: writer.data)
    }

    /// One post-mortem's share of the index: its compressed fragment, field lengths and term counts.
    static func entry(_ pm: PostMortem) throws -> SearchCache.Entry {
        let document = SearchDocument(pm)
        let fragment = try gzip(try json(Fragment(pm, text: document.text)))
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

    /// A postings shard: each term's `[docDelta, weight, …]`.
    struct Shard: Encodable {
        let terms: [String: [Int32]]
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
        let text: String

        init(_ pm: PostMortem, text: String) {
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
            self.text = String(text.prefix(40_000))
        }
    }

    /// Facet values (in display order) and each document's values as indices into them.
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

    static func facetTable(_ archive: Archive, bucketHashes: [String]) -> FacetTable {
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
        func indices(_ values: [String], in positions: [String: Int]) -> [Int] {
            var seen = Set<Int>()
            return values.compactMap { positions[Normalise.slug($0)] }.filter { seen.insert($0).inserted }
        }
        let docs = archive.postMortems
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
