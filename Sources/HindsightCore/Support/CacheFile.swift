import Foundation
import GitKit

/// A file of byte entries found by key, kept beside the output from one build to the next (the parse cache, the
/// search index's cache, the export's, the action items' completions).
///
/// Layout: a header line naming the format, the generator and its executable, then the entries, then an index
/// of them (key, offset, length, checksum) and the index's offset in the last eight bytes. The index is read
/// whole; entries are read with `pread` when asked for, from any thread, so the file is never held in memory.
///
/// A build hands every entry it uses to `append`, and `finish` writes the index of those. An entry the last
/// build kept is not written again: the file is appended to in place, and only new entries are written after
/// the old ones (the parse cache is 190 MB at 10,000 post-mortems; a rebuild writes one entry). Once more than
/// half of the file is entries no longer used, the next build writes a new file with only the live ones and
/// puts it in place of the old.
///
/// Anything unexpected (another generator, a short file, a checksum that does not match) reads as no entry:
/// the caller makes the value again, which is always correct, only slower.
public final class CacheFile: @unchecked Sendable {
    /// Where the entries are kept.
    public let file: URL
    private let header: Data
    /// The last build's file, for reading (and, when appending in place, for writing).
    private var old: Int32 = -1
    private var index: [ObjectID: (offset: UInt64, length: Int, checksum: UInt64)] = [:]
    /// Where the last build's entries end (its index started there).
    private var oldEnd: UInt64 = 0
    /// A new file beside `file` when not appending in place.
    private let next: URL
    private var out: Int32 = -1
    /// Whether this build's entries go after the last build's in the same file (else into `next`).
    private var inPlace = false
    /// Whether writing has started (at the first `append` or `finish`): a cache only read leaves its file as it was.
    private var started = false
    private var written: [(ObjectID, UInt64, Int, UInt64)] = []
    private var offset: UInt64 = 0
    private let lock = NSLock()

    /// Opens the last build's entries at `file` (none when missing, or written in another `format` or by
    /// another generator or executable) and gets ready to write this build's.
    public init(file: URL, format: String, generator: String) {
        self.file = file
        header = Data("\(format)\t\(generator)\t\(Self.executableIdentity)\n".utf8)
        next = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).new-\(getpid())")
        openOld()
        let live = index.values.reduce(UInt64(0)) { $0 + UInt64($1.length) }
        inPlace = old >= 0 && live * 2 > oldEnd - UInt64(header.count)
    }

    /// Gets the file ready for this build's entries (under the lock).
    private func start() {
        guard started == false else { return }
        started = true
        // In place, the old index goes first: a build that stops half way leaves a file no later build trusts.
        if inPlace, ftruncate(old, off_t(oldEnd)) == 0 {
            out = old
            offset = oldEnd
            return
        }
        inPlace = false
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(next.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        if write(descriptor, header, at: 0) {
            out = descriptor
            offset = UInt64(header.count)
        } else {
            close(descriptor)
            unlink(next.path)
        }
    }

    deinit {
        // A build that stopped before `finish`: in place, what it wrote is kept (each entry is whole and checked);
        // a new file is dropped and the old one left as it was.
        if inPlace, out >= 0 { finish() }
        if out >= 0, out != old {
            close(out)
            unlink(next.path)
        }
        if old >= 0 { close(old) }
    }

    /// Size and modification time of the running executable ("" when unknown): caches name it, since their keys
    /// name a value's inputs, not the code that makes it.
    public static let executableIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
    }()

    private func openOld() {
        let descriptor = open(file.path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= header.count + 8,
            let head = read(descriptor, at: 0, count: header.count), head == header,
            let tail = read(descriptor, at: UInt64(info.st_size) - 8, count: 8)
        else {
            close(descriptor)
            return
        }
        var reader = BinaryReader(tail)
        let indexOffset = reader.fixed64()
        guard indexOffset >= UInt64(header.count), indexOffset < UInt64(info.st_size) - 8,
            let indexData = read(descriptor, at: indexOffset, count: Int(UInt64(info.st_size) - 8 - indexOffset))
        else {
            close(descriptor)
            return
        }
        var entries = BinaryReader(indexData)
        var found: [ObjectID: (offset: UInt64, length: Int, checksum: UInt64)] = [:]
        while entries.atEnd == false {
            guard let key = ObjectID(hex: entries.string()) else { break }
            let start = entries.varint(), length = entries.varint(), checksum = entries.fixed64()
            guard entries.failed == false, start >= header.count, UInt64(start) + UInt64(length) <= indexOffset else { break }
            found[key] = (UInt64(start), length, checksum)
        }
        old = descriptor
        oldEnd = indexOffset
        index = found
    }

    private func read(_ descriptor: Int32, at offset: UInt64, count: Int) -> Data? {
        guard count > 0 else { return count == 0 ? Data() : nil }
        // Into memory that is not zeroed first: `Data(count:)` wrote every byte of the 190 MB a rebuild reads twice.
        guard let buffer = malloc(count) else { return nil }
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if got <= 0 { break }
            done += got
        }
        guard done == count else {
            free(buffer)
            return nil
        }
        return Data(bytesNoCopy: buffer, count: count, deallocator: .free)
    }

    private func write(_ descriptor: Int32, _ data: Data, at offset: UInt64) -> Bool {
        data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if wrote <= 0 { return false }
                done += wrote
            }
            return true
        }
    }

    /// How many entries the last build kept.
    public var storedCount: Int { index.count }

    /// Whether the last build kept an entry under `key` (not read, so not yet checked).
    public func contains(_ key: ObjectID) -> Bool { old >= 0 && index[key] != nil }

    /// The last build's bytes for `key` and their checksum (to be handed to `append` when used), if any.
    public func entry(_ key: ObjectID) -> (bytes: Data, checksum: UInt64)? {
        guard old >= 0, let place = index[key], let bytes = read(old, at: place.offset, count: place.length),
            Self.checksum(bytes) == place.checksum
        else { return nil }
        return (bytes, place.checksum)
    }

    /// Keeps an entry for the next build, from any thread; `checksum` when it is known already (an entry the last
    /// build kept, which is then not written again when appending in place).
    public func append(_ key: ObjectID, _ bytes: Data, checksum: UInt64? = nil) {
        let sum = checksum ?? Self.checksum(bytes)
        lock.lock()
        defer { lock.unlock() }
        start()
        guard out >= 0 else { return }
        // Only an entry read back from this file (its checksum given, so checked) stays where it is: new bytes equal
        // to an entry whose bytes on disk are damaged must be written, not pointed at the damage.
        if inPlace, checksum != nil, let place = index[key], place.length == bytes.count, place.checksum == sum {
            written.append((key, place.offset, place.length, sum))
            return
        }
        guard write(out, bytes, at: offset) else {
            abandon()
            return
        }
        written.append((key, offset, bytes.count, sum))
        offset += UInt64(bytes.count)
    }

    /// Keeps the last build's entry for `key` for the next build. It is read and checked (a damaged entry must not
    /// be carried on), but not written again when appending in place. False when there is no such entry, or it is
    /// damaged.
    public func keep(_ key: ObjectID) -> Bool {
        guard let hit = entry(key) else { return false }
        append(key, hit.bytes, checksum: hit.checksum)
        return true
    }

    /// Keeps the last build's entry for `key` for the next build without reading it: for an entry read later, if
    /// at all, by a reader that checks it then (a post-mortem's body, which most rebuilds never read). Appending in
    /// place, it stays where it is, unread; writing a new file, it is read, checked and copied. False when there is
    /// no such entry (or, copied, it is damaged).
    public func keepUnread(_ key: ObjectID) -> Bool {
        guard old >= 0, let place = index[key] else { return false }
        lock.lock()
        start()
        if inPlace, out >= 0 {
            written.append((key, place.offset, place.length, place.checksum))
            lock.unlock()
            return true
        }
        lock.unlock()
        return keep(key)
    }

    /// Writes the index of this build's entries and, when not appending in place, puts the new file in place of
    /// the last one.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        start()
        guard out >= 0 else { return }
        var index = BinaryWriter()
        for (key, start, length, checksum) in written {
            index.string(key.hex)
            index.varint(Int(start))
            index.varint(length)
            index.fixed64(checksum)
        }
        index.fixed64(offset)
        guard write(out, index.data, at: offset), ftruncate(out, off_t(offset) + off_t(index.data.count)) == 0 else {
            abandon()
            return
        }
        if inPlace {
            inPlace = false
        } else {
            close(out)
            if rename(next.path, file.path) != 0 { unlink(next.path) }
        }
        out = -1
    }

    /// Gives up writing (a full disk): no index is written, so no later build reads what was.
    private func abandon() {
        if inPlace {
            _ = ftruncate(out, off_t(header.count))
            inPlace = false
        } else {
            close(out)
            unlink(next.path)
        }
        out = -1
    }

    /// A checksum of an entry's bytes: a damaged cache file is noticed rather than read.
    ///
    /// FNV-1a's step over eight bytes at a time, with a shift to carry high bits down: every entry is checked on
    /// every build (200 MB at 10,000 post-mortems), and a byte at a time took a tenth of a second of it.
    public static func checksum(_ data: Data) -> UInt64 {
        data.withUnsafeBytes { bytes -> UInt64 in
            var value: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
            var offset = 0
            while offset + 8 <= bytes.count {
                value = (value ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                    &* 0x0000_0100_0000_01B3
                value ^= value >> 32
                offset += 8
            }
            while offset < bytes.count {
                value = (value ^ UInt64(bytes[offset])) &* 0x0000_0100_0000_01B3
                offset += 1
            }
            return value
        }
    }
}

/// Bytes out: unsigned LEB128 numbers, strings and data with their length first.
public struct BinaryWriter {
    /// The bytes so far. An array, not `Data`: appending text to `Data` goes through generic paths and dynamic
    /// casts, a third of the time of the cache keys made on every rebuild.
    public private(set) var buffer: [UInt8] = []

    public init() {}

    /// The bytes so far, as `Data`.
    public var data: Data { Data(buffer) }

    public mutating func varint(_ value: Int) {
        var rest = UInt64(max(0, value))
        while rest >= 0x80 {
            buffer.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        buffer.append(UInt8(rest))
    }

    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            varint(utf8.count)
            buffer.append(contentsOf: utf8)
        }
    }

    /// An optional text: a marker byte first, so nil and "" differ.
    public mutating func optional(_ text: String?) {
        bool(text != nil)
        string(text ?? "")
    }

    public mutating func bytes(_ data: Data) {
        varint(data.count)
        append(data)
    }

    /// Bytes as they are, without their length.
    public mutating func append(_ data: Data) {
        buffer.append(contentsOf: data)
    }

    /// Bytes as they are, without their length.
    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// A double, exactly (its bit pattern).
    public mutating func double(_ value: Double) { fixed64(value.bitPattern) }

    public mutating func bool(_ value: Bool) { buffer.append(value ? 1 : 0) }
}

/// Bytes in; anything short or malformed sets `failed` and reads as zero or empty.
///
/// It reads from its own copy of the bytes as an array: reading a `Data` byte by byte goes through its storage's
/// cases at every byte, and a rebuild reads millions of values from its caches.
public struct BinaryReader {
    private let buffer: [UInt8]
    private var position = 0
    public private(set) var failed = false

    public init(_ data: Data) {
        buffer = [UInt8](data)
    }

    public var atEnd: Bool { position >= buffer.count || failed }

    /// Marks the bytes as not what was expected (a value out of range).
    public mutating func fail() { failed = true }

    public mutating func varint() -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < buffer.count, shift < 63 {
            let byte = buffer[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return Int(clamping: value) }
            shift += 7
        }
        failed = true
        return 0
    }

    public mutating func bytes(_ count: Int) -> Data {
        guard failed == false, count >= 0, buffer.count - position >= count else {
            failed = true
            return Data()
        }
        defer { position += count }
        return Data(buffer[position..<position + count])
    }

    public mutating func string() -> String {
        let count = varint()
        guard failed == false, count >= 0, buffer.count - position >= count else {
            failed = true
            return ""
        }
        defer { position += count }
        return String(decoding: buffer[position..<position + count], as: UTF8.self)
    }

    public mutating func fixed64() -> UInt64 {
        guard failed == false, buffer.count - position >= 8 else {
            failed = true
            return 0
        }
        var value: UInt64 = 0
        for offset in (0..<8).reversed() { value = value << 8 | UInt64(buffer[position + offset]) }
        position += 8
        return value
    }

    public mutating func double() -> Double { Double(bitPattern: fixed64()) }

    public mutating func bool() -> Bool {
        guard failed == false, position < buffer.count else {
            failed = true
            return false
        }
        let byte = buffer[position]
        position += 1
        switch byte {
        case 0: return false
        case 1: return true
        default:
            failed = true
            return false
        }
    }

    /// A count of things to read, refused when the bytes left could not hold that many (a damaged length
    /// would otherwise reserve gigabytes).
    public mutating func count() -> Int {
        let value = varint()
        guard value <= buffer.count - position else {
            failed = true
            return 0
        }
        return value
    }
}

/// FNV-1a 64-bit over the bytes: a stable content fingerprint for cache-busting names and cache checksums
/// (not security).
public struct ContentHasher {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ data: Data) {
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
    }

    /// The first ten hex digits of the hash.
    public func finish() -> String {
        let state = value
        let hex = String(state, radix: 16)
        return (String(repeating: "0", count: 16 - hex.count) + hex).prefix(10).description
    }
}

extension String {
    /// Whether the text can be a field of a tab-separated line (the history and page fingerprint files): no tab
    /// or line break. Checked as bytes: Foundation's `contains` searched each path as a string.
    public var isLineField: Bool {
        !utf8.contains { $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") }
    }
}
