import Foundation
import GitKit
import HindsightCore

/// Each post-mortem's share of the search index from the last build into the same folder: its compressed
/// fragment, its field lengths and its terms' counts, found by the Git blob id of everything they are made
/// from (`SearchDocument.key`), and each shard's compressed files, found by the blob id of its postings. A
/// rebuild tokenizes, encodes and compresses only the post-mortems that changed; the postings, whose weights
/// depend on every document, are still merged from all of them, but only the shards whose postings changed
/// are encoded and compressed again.
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

    private static let format = "hindsight-search-1"
    private let store: CacheFile

    /// Opens the last build's entries at `file` (none when missing or written by another generator).
    init(file: URL, generator: String) {
        store = CacheFile(file: file, format: Self.format, generator: generator)
    }

    /// The last build's entry for `key`, with its encoded bytes and their checksum (to be handed to `append`
    /// when used), if any.
    func entry(_ key: ObjectID) -> (entry: Entry, bytes: Data, checksum: UInt64)? {
        guard let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        let entry = Self.decode(&reader)
        return reader.failed ? nil : (entry, hit.bytes, hit.checksum)
    }

    /// Keeps an entry for the next build; `checksum` when it is known already (`CacheFile.append`).
    func append(_ key: ObjectID, _ bytes: Data, checksum: UInt64? = nil) {
        store.append(key, bytes, checksum: checksum)
    }

    /// The last build's files of a shard whose postings hash to `key` (`SearchIndexBuilder.shardContentKey`),
    /// kept for the next build when found.
    func shard(_ key: ObjectID) -> [(key: String, data: Data)]? {
        guard let hit = store.entry(key) else { return nil }
        var reader = BinaryReader(hit.bytes)
        var files: [(key: String, data: Data)] = []
        for _ in 0..<reader.count() {
            files.append((reader.string(), Data(reader.bytes(reader.varint()))))
        }
        guard reader.failed == false, reader.atEnd, files.isEmpty == false else { return nil }
        store.append(key, hit.bytes, checksum: hit.checksum)
        return files
    }

    /// Keeps a shard's files for the next build.
    func appendShard(_ key: ObjectID, _ files: [(key: String, data: Data)]) {
        var writer = BinaryWriter()
        writer.varint(files.count)
        for (name, data) in files {
            writer.string(name)
            writer.bytes(data)
        }
        store.append(key, writer.data)
    }

    /// Writes the index of the entries this build used (`CacheFile.finish`).
    func finish() { store.finish() }

    /// How many entries (post-mortems and shards) the last build kept.
    var storedCount: Int { store.storedCount }

    // MARK: - Encoding

    static func encode(_ entry: Entry) -> Data {
        var writer = BinaryWriter()
        writer.varint(entry.fragment.count)
        writer.data.append(entry.fragment)
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
