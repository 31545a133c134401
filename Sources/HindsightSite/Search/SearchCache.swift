import Foundation
import GitKit
import HindsightCore

/// Each post-mortem's share of the search index from the last build into the same folder: its compressed
/// fragment, its field lengths and its terms' counts, found by the Git blob id of everything they are made
/// from (`SearchDocument.key`). A rebuild tokenizes, encodes and compresses only the post-mortems that
/// changed; the postings, whose weights depend on every document, are still merged from all of them.
///
/// One file beside the output (`.<name>.cache/search`): a header naming the generator and its executable, the
/// entries, then an index of them (key, offset, length, checksum) and the index's offset in the last eight bytes. The
/// index is read whole; entries are read with `pread` when asked for, from any thread, so the old file is
/// never held in memory. The next build's file is written as this one is read and replaces it at `finish`.
final class SearchCache: @unchecked Sendable {
    /// One post-mortem's share: what `SearchIndexBuilder` needs of it.
    struct Entry {
        var fragment: Data
        /// Tokens per field (BM25 document lengths).
        var lengths: [Int]
        /// Each term with its count in each field.
        var terms: [(term: String, counts: SearchIndexBuilder.FieldCounts)]
    }

    private static let format = "hindsight-search-1"
    let file: URL
    private let header: Data
    private var old: Int32 = -1
    private var index: [ObjectID: (offset: UInt64, length: Int, checksum: UInt64)] = [:]
    private let next: URL
    private var out: FileHandle?
    private var written: [(ObjectID, UInt64, Int, UInt64)] = []
    private var offset: UInt64 = 0

    /// Opens the last build's entries at `file` (none when missing or written by another generator) and starts
    /// the next file beside it.
    init(file: URL, generator: String) {
        self.file = file
        header = Data("\(Self.format)\t\(generator)\t\(PageCache.executableIdentity)\n".utf8)
        next = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).new-\(getpid())")
        openOld()
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.createFile(atPath: next.path, contents: header), let handle = FileHandle(forWritingAtPath: next.path) {
            out = handle
            offset = UInt64(header.count)
            _ = try? handle.seekToEnd()
        }
    }

    deinit {
        if old >= 0 { close(old) }
        if out != nil {
            try? out?.close()
            unlink(next.path)
        }
    }

    private func openOld() {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= header.count + 8,
            let head = read(descriptor, at: 0, count: header.count), head == header,
            let tail = read(descriptor, at: UInt64(info.st_size) - 8, count: 8)
        else {
            close(descriptor)
            return
        }
        var reader = Reader(tail)
        let indexOffset = reader.fixed64()
        guard indexOffset >= UInt64(header.count), indexOffset < UInt64(info.st_size) - 8,
            let indexData = read(descriptor, at: indexOffset, count: Int(UInt64(info.st_size) - 8 - indexOffset))
        else {
            close(descriptor)
            return
        }
        var entries = Reader(indexData)
        var found: [ObjectID: (offset: UInt64, length: Int, checksum: UInt64)] = [:]
        while entries.atEnd == false {
            guard let key = ObjectID(hex: entries.string()) else { break }
            let start = entries.varint(), length = entries.varint(), checksum = entries.fixed64()
            guard entries.failed == false, UInt64(start) + UInt64(length) <= indexOffset else { break }
            found[key] = (UInt64(start), length, checksum)
        }
        old = descriptor
        index = found
    }

    private func read(_ descriptor: Int32, at offset: UInt64, count: Int) -> Data? {
        guard count >= 0 else { return nil }
        var data = Data(count: count)
        let got = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return got == count ? data : nil
    }

    /// The last build's entry for `key`, with its encoded bytes and their checksum (to be carried into the next
    /// file), if any.
    func entry(_ key: ObjectID) -> (entry: Entry, bytes: Data, checksum: UInt64)? {
        guard old >= 0, let place = index[key], let bytes = read(old, at: place.offset, count: place.length),
            Self.checksum(bytes) == place.checksum
        else { return nil }
        var reader = Reader(bytes)
        let entry = Self.decode(&reader)
        return reader.failed ? nil : (entry, bytes, place.checksum)
    }

    /// Adds an entry's bytes to the next file (entries in document order, from one thread); `checksum` when it
    /// is known already.
    func append(_ key: ObjectID, _ bytes: Data, checksum: UInt64? = nil) {
        guard let out else { return }
        do {
            try out.write(contentsOf: bytes)
        } catch {
            try? out.close()
            self.out = nil
            return
        }
        written.append((key, offset, bytes.count, checksum ?? Self.checksum(bytes)))
        offset += UInt64(bytes.count)
    }

    /// Writes the index and puts the next file in place of the last one.
    func finish() {
        guard let out else { return }
        var index = Writer()
        for (key, start, length, checksum) in written {
            index.string(key.hex)
            index.varint(Int(start))
            index.varint(length)
            index.fixed64(checksum)
        }
        index.fixed64(offset)
        do {
            try out.write(contentsOf: index.data)
            try out.close()
            self.out = nil
            if rename(next.path, file.path) != 0 { unlink(next.path) }
        } catch {
            try? out.close()
            self.out = nil
            unlink(next.path)
        }
    }

    // MARK: - Encoding

    /// The index's content hash of an entry's bytes: a damaged cache file is noticed rather than read into the index.
    static func checksum(_ data: Data) -> UInt64 {
        var hasher = ContentHasher()
        hasher.combine(data)
        return hasher.value
    }

    static func encode(_ entry: Entry) -> Data {
        var writer = Writer()
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

    static func decode(_ reader: inout Reader) -> Entry {
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

    /// Bytes out: unsigned LEB128 numbers, strings and data with their length first.
    struct Writer {
        var data = Data()

        mutating func varint(_ value: Int) {
            var rest = UInt64(max(0, value))
            while rest >= 0x80 {
                data.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            data.append(UInt8(rest))
        }

        mutating func string(_ text: String) {
            varint(text.utf8.count)
            data.append(contentsOf: text.utf8)
        }

        mutating func fixed64(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
    }

    /// Bytes in; anything short or malformed sets `failed` and reads as zero or empty.
    struct Reader {
        let data: Data
        var position: Int
        var failed = false

        init(_ data: Data) {
            self.data = data
            position = data.startIndex
        }

        var atEnd: Bool { position >= data.endIndex || failed }

        mutating func varint() -> Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < data.endIndex, shift < 63 {
                let byte = data[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(clamping: value) }
                shift += 7
            }
            failed = true
            return 0
        }

        mutating func bytes(_ count: Int) -> Data {
            guard failed == false, count >= 0, data.endIndex - position >= count else {
                failed = true
                return Data()
            }
            defer { position += count }
            return data[position..<position + count]
        }

        mutating func string() -> String {
            String(decoding: bytes(varint()), as: UTF8.self)
        }

        mutating func fixed64() -> UInt64 {
            let raw = bytes(8)
            guard raw.count == 8 else { return 0 }
            return raw.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
    }
}
