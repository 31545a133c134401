import Foundation
import GitKit
import HindsightCore

/// What the last search index build into the same folder made, so a rebuild redoes only what a commit changed.
///
/// - Each post-mortem's share: its compressed fragment, its field lengths and its terms' counts, found by the Git
///   key (`ContentKey`) of everything they are made from (`SearchDocument.key`). A rebuild tokenizes, encodes and compresses
///   only the post-mortems that changed.
/// - Each two-character shard's postings and compressed files, found by the key of its postings.
/// - The layout of the last index: every document's key and field lengths in index order, the fragment buckets'
///   hashes and each shard's entry and files. With it, a rebuild whose documents kept their numbers patches
///   only the shards holding a term whose weight changed in a changed post-mortem (lengths are weighed on a
///   grid, so a small edit moves no other posting) and never reads the unchanged post-mortems' entries.
///
/// One `CacheFile` beside the output (`.<name>.cache/search`).
final class SearchCache: Sendable {
    /// One post-mortem's share: what `SearchIndexBuilder` needs of it.
    struct Entry {
        var fragment: Data
        /// Tokens per field (BM25 document lengths).
        var lengths: [Int]
        /// Each term with its count in each field.
        var terms: [(term: String, counts: SearchIndexBuilder.FieldCounts)]
    }

    /// One two-character shard as the last build wrote it.
    struct ShardInfo {
        /// The cache entry holding its postings and files (the key of its postings).
        var entry: ObjectID
        /// Its files' shard keys (itself, or its three-character parts) and content hashes.
        var files: [(key: String, hash: String)]
    }

    /// The last index: enough to tell what a rebuild has to redo.
    struct Layout {
        /// Every document's `SearchDocument.key`, in index order.
        var keys: [ObjectID]
        /// Every document's field lengths, in index order.
        var lengths: [[Int]]
        /// The average field lengths the weights were made with (`SearchIndexBuilder.averages`).
        var averages: [Double]
        /// Each fragment bucket's content hash.
        var buckets: [String]
        /// Each two-character shard.
        var shards: [String: ShardInfo]
    }

    private static let format = "hindsight-search-2"
    private let store: CacheFile
    /// The site the last build wrote, whose unchanged index files a rebuild links instead of reading them back.
    private let previousSite: PreviousSite

    /// Opens the last build's entries at `file` (none when missing or written by another generator); `output` is
    /// the site folder the index is written to, `previousFiles` its regular files when listed already.
    init(file: URL, generator: String, output: URL? = nil, previousFiles: SiteWriter.Inventory? = nil) {
        store = CacheFile(file: file, format: Self.format, generator: generator)
        previousSite = PreviousSite(output, files: previousFiles)
    }

    /// The last build's entry for `key`, with its encoded bytes and their checksum (to be handed to `append`
    /// when used), if any.
    func entry(_ key: ObjectID) -> (entry: Entry, bytes: Data, checksum: UInt64)? {
        guard let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        let entry = Self.decode(&reader)
        return reader.failed ? nil : (entry, hit.bytes, hit.checksum)
    }

    /// Only the fragment of the last build's entry for `key` (its terms are not decoded).
    func fragment(_ key: ObjectID) -> Data? {
        guard let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        let fragment = Data(reader.bytes(reader.varint()))
        return reader.failed ? nil : fragment
    }

    /// Keeps an entry for the next build; `checksum` when it is known already (`CacheFile.append`).
    func append(_ key: ObjectID, _ bytes: Data, checksum: UInt64? = nil) {
        store.append(key, bytes, checksum: checksum)
    }

    /// Keeps the last build's entry for `key` for the next build without reading it (`CacheFile.keepUnread`); false
    /// when it is missing. A damaged one is found when it is next read, and the index is then built whole.
    func keepUnread(_ key: ObjectID) -> Bool { store.keepUnread(key) }

    /// The last build's shard entry `key`: its files, and its postings unless `postings` is false; with its bytes and
    /// their checksum, to be handed to `append` when it is kept.
    func shard(_ key: ObjectID, postings: Bool = true) -> (
        files: [(key: String, data: Data)], terms: [String: [SearchIndexBuilder.Posting]], bytes: Data, checksum: UInt64
    )? {
        guard let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        var files: [(key: String, data: Data)] = []
        for _ in 0..<reader.count() {
            files.append((reader.string(), Data(reader.bytes(reader.varint()))))
        }
        var terms: [String: [SearchIndexBuilder.Posting]] = [:]
        if postings {
            for _ in 0..<reader.count() {
                let term = reader.string()
                var list: [SearchIndexBuilder.Posting] = []
                var doc = 0
                for _ in 0..<reader.count() {
                    doc += reader.varint()
                    list.append(.init(doc: Int32(truncatingIfNeeded: doc), weight: Int32(truncatingIfNeeded: reader.varint())))
                }
                terms[term] = list
            }
        }
        guard reader.failed == false, files.isEmpty == false, postings == false || reader.atEnd else { return nil }
        return (files, terms, hit.bytes, hit.checksum)
    }

    /// A shard's entry: its files, then its postings (`SearchIndexBuilder.postingsBytes`).
    static func shardEntry(files: [(key: String, data: Data)], postings: Data) -> Data {
        var writer = BinaryWriter()
        writer.varint(files.count)
        for (name, data) in files {
            writer.string(name)
            writer.bytes(data)
        }
        writer.append(postings)
        return writer.data
    }

    /// The previous site's file at `path`, to be linked rather than written, when it is still there.
    func previousFile(_ path: String) -> OutputFile? { previousSite.file(path) }

    private static let layoutKey = Optional(ContentKey.of(Array("hindsight search layout".utf8)))

    /// The last build's layout, if it kept one.
    func layout() -> Layout? {
        guard let key = Self.layoutKey, let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        let fields = SearchDocument.Field.allCases.count
        var layout = Layout(keys: [], lengths: [], averages: [], buckets: [], shards: [:])
        for _ in 0..<reader.count() {
            guard let key = ObjectID(hex: reader.string()) else { return nil }
            layout.keys.append(key)
            layout.lengths.append((0..<fields).map { _ in reader.varint() })
        }
        layout.averages = (0..<fields).map { _ in reader.double() }
        for _ in 0..<reader.count() { layout.buckets.append(reader.string()) }
        for _ in 0..<reader.count() {
            let prefix = reader.string()
            guard let entry = ObjectID(hex: reader.string()) else { return nil }
            var files: [(key: String, hash: String)] = []
            for _ in 0..<reader.count() { files.append((reader.string(), reader.string())) }
            layout.shards[prefix] = ShardInfo(entry: entry, files: files)
        }
        return reader.failed || reader.atEnd == false ? nil : layout
    }

    /// Keeps this build's layout for the next one.
    func save(_ layout: Layout) {
        guard let key = Self.layoutKey else { return }
        var writer = BinaryWriter()
        writer.varint(layout.keys.count)
        for (key, lengths) in zip(layout.keys, layout.lengths) {
            writer.string(key.hex)
            for length in lengths { writer.varint(length) }
        }
        for average in layout.averages { writer.double(average) }
        writer.varint(layout.buckets.count)
        for bucket in layout.buckets { writer.string(bucket) }
        writer.varint(layout.shards.count)
        for (prefix, info) in layout.shards.sorted(by: { $0.key < $1.key }) {
            writer.string(prefix)
            writer.string(info.entry.hex)
            writer.varint(info.files.count)
            for file in info.files {
                writer.string(file.key)
                writer.string(file.hash)
            }
        }
        store.append(key, writer.data)
    }

    /// Writes the index of the entries this build used (`CacheFile.finish`).
    func finish() { store.finish() }

    /// How many entries (post-mortems, shards and the layout) the last build kept.
    var storedCount: Int { store.storedCount }

    // MARK: - Encoding

    static func encode(_ entry: Entry) -> Data {
        var writer = BinaryWriter()
        writer.varint(entry.fragment.count)
        writer.append(entry.fragment)
        for length in entry.lengths { writer.varint(length) }
        writer.varint(entry.terms.count)
        for (term, counts) in entry.terms {
            writer.string(term)
            for field in 0..<SearchDocument.Field.allCases.count { writer.varint(counts[field]) }
        }
        return writer.data
    }

    static func decode(_ reader: inout BinaryReader) -> Entry {
        // A copy: a slice would keep the whole entry's bytes alive for as long as the index holds the fragment.
        let fragment = Data(reader.bytes(reader.varint()))
        let fields = SearchDocument.Field.allCases.count
        let lengths = (0..<fields).map { _ in reader.varint() }
        let count = reader.varint()
        var terms: [(term: String, counts: SearchIndexBuilder.FieldCounts)] = []
        terms.reserveCapacity(reader.failed ? 0 : min(count, 100_000))
        for _ in 0..<count {
            let term = reader.string()
            var counts = SearchIndexBuilder.FieldCounts(doc: 0)
            for field in 0..<fields { counts.set(field, reader.varint()) }
            if reader.failed { break }
            terms.append((term, counts))
        }
        return Entry(fragment: fragment, lengths: lengths, terms: terms)
    }
}
