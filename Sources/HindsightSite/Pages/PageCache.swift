import Foundation
import HindsightCore

/// Pages whose template values did not change since the last build into the same folder are taken from that
/// build's output instead of being rendered again.
///
/// Each page's fingerprint is the key (`ContentKey`) of its template name and its template values written out in a
/// canonical order, seeded with the theme's own fingerprint and the generator's version: anything that would
/// change the page's bytes changes its fingerprint. The fingerprints of the last build are kept beside the
/// output folder (`.<name>.cache/pages`, see `Site.cacheFolder`), not in it; a page is reused only when its fingerprint matches and the
/// previous site still has the file. Rendering is what a page costs, not building its values, so this is
/// where a rebuild after a small commit saves its time.
final class PageCache: @unchecked Sendable {
    /// What the last build recorded of one page.
    struct Entry {
        /// The page's fingerprint.
        var fingerprint: String
        /// What the page was made from, for pages that note it (`page(_:template:context:inputs:render:)`).
        var inputs: String?
    }

    /// The fingerprints file beside the output.
    let file: URL
    private let previousSite: PreviousSite
    private let seed: String
    private let known: [String: Entry]
    /// The context the last build's pages noted (`context`).
    let previousContext: String?
    private var current: [String: Entry] = [:]
    private var currentContext: String?
    private var reused = 0
    private let lock = NSLock()

    /// Reads the last build's fingerprints for `output` from `file` (none when the file or the site is missing);
    /// `previousFiles`, the site's regular files when they were listed already (`PreviousSite`).
    init(file: URL, output: URL, theme: Theme, generator: String, previousFiles: SiteWriter.Inventory? = nil) {
        let target = output.standardizedFileURL
        self.file = file
        // The executable's identity too: a deferred value's key names what it is made from, not the code that
        // makes it, so another build of the generator must not reuse pages.
        seed = generator + "\u{0}" + theme.fingerprint + "\u{0}" + CacheFile.executableIdentity
        previousSite = PreviousSite(target, files: previousFiles)
        var known: [String: Entry] = [:]
        var previousContext: String?
        if previousSite.path != nil, let data = FileManager.default.contents(atPath: file.path) {
            // One "path<TAB>fingerprint[<TAB>inputs]" per line; a "seed<TAB>id[<TAB>context]" line first, so another
            // theme or version reuses nothing. Split as bytes: splitting the text by Character is slow, and there is
            // a line per page.
            let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"))
            let fields = { (line: ArraySlice<UInt8>) in
                line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            }
            let head = lines.first.map(fields) ?? []
            if head.count >= 2, head[0] == "seed", head[1] == Self.seedID(seed) {
                previousContext = head.count > 2 ? head[2] : nil
                for line in lines.dropFirst() {
                    let parts = fields(line)
                    if parts.count >= 2 { known[parts[0]] = Entry(fingerprint: parts[1], inputs: parts.count > 2 ? parts[2] : nil) }
                }
            }
        }
        self.known = known
        self.previousContext = previousContext
    }

    /// The page at `path`: the previous build's bytes when its fingerprint is unchanged, else `render()`. `inputs`,
    /// when given, is kept with the fingerprint for the next build (`inputs(of:)`).
    func page(
        _ path: String, template: String, context: [String: Any], inputs: String? = nil, render: () -> String
    ) -> OutputFile {
        let fingerprint = Self.fingerprint(template, context)
        if known[path]?.fingerprint == fingerprint, let previous = previousSite.file(path) {
            record(path, Entry(fingerprint: fingerprint, inputs: inputs), reused: true)
            return previous
        }
        let file = OutputFile(path: path, data: Data(render().utf8))
        record(path, Entry(fingerprint: fingerprint, inputs: inputs))
        return file
    }

    /// What the last build noted the page at `path` was made from, if it noted it.
    func inputs(of path: String) -> String? { known[path]?.inputs }

    /// The previous build's page at `path`, kept as it is without its values being built, when the caller knows
    /// they are unchanged (`PageSet`); nil when there is no such page.
    func reuse(_ path: String) -> OutputFile? {
        guard let entry = known[path], let previous = previousSite.file(path) else { return nil }
        record(path, entry, reused: true)
        return previous
    }

    /// What every page that notes its inputs was made from besides them (the site's values, the repeats); kept
    /// for the next build (`previousContext`).
    var context: String? {
        get { lock.withLock { currentContext } }
        set { lock.withLock { currentContext = newValue } }
    }

    private func record(_ path: String, _ entry: Entry, reused: Bool = false) {
        lock.lock()
        current[path] = entry
        if reused { self.reused += 1 }
        lock.unlock()
    }

    /// How many pages were taken from the previous build.
    var reusedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return reused
    }

    /// Writes this build's fingerprints (`encoded`, made while the new site is published) once it is in place.
    func save(_ encoded: Data) {
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? encoded.write(to: file, options: .atomic)
    }

    /// This build's fingerprints as the file keeps them.
    func encoded() -> Data {
        lock.lock()
        let entries = current
        lock.unlock()
        let context = self.context.flatMap { $0.isLineField ? "\t" + $0 : nil } ?? ""
        var text = Array(("seed\t" + Self.seedID(seed) + context + "\n").utf8)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) where path.isLineField {
            text.append(contentsOf: path.utf8)
            text.append(UInt8(ascii: "\t"))
            text.append(contentsOf: entry.fingerprint.utf8)
            if let inputs = entry.inputs, inputs.isLineField {
                text.append(UInt8(ascii: "\t"))
                text.append(contentsOf: inputs.utf8)
            }
            text.append(UInt8(ascii: "\n"))
        }
        return Data(text)
    }

    /// Forgets the fingerprints (a failed build's pages were never published).
    func discard() {
        try? FileManager.default.removeItem(at: file)
    }

    /// The key (`ContentKey`, hex) of `values` written out canonically after `template`.
    static func fingerprint(_ template: String, _ values: Any) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16_384)
        write(template, to: &bytes)
        write(values, to: &bytes)
        return ContentKey.of(bytes).hex
    }

    private static func seedID(_ seed: String) -> String {
        ContentKey.of(Array(seed.utf8)).hex
    }

    /// Template values written out canonically: a type tag, then the value; dictionary keys sorted.
    static func write(_ value: Any, to bytes: inout [UInt8]) {
        // The common types by their exact dynamic type first: a failed `as?` cast from `Any` looks for bridging
        // and boxes on the way, and a page's values are thousands of casts (a sixth of a rebuild's time).
        let type = Swift.type(of: value)
        if type == String.self {
            writeString(value as! String, to: &bytes)
            return
        } else if type == [String: Any].self {
            writeDictionary(value as! [String: Any], to: &bytes)
            return
        } else if type == [[String: Any]].self {
            writeList(value as! [[String: Any]], to: &bytes)
            return
        } else if type == [String].self {
            let list = value as! [String]
            bytes.append(0x61)  // a
            write(length: list.count, to: &bytes)
            for text in list { writeString(text, to: &bytes) }
            return
        } else if type == Bool.self {
            bytes.append(value as! Bool ? 0x54 : 0x46)  // T F
            return
        } else if type == Int.self {
            writeInt(value as! Int, to: &bytes)
            return
        } else if type == NSNull.self {
            bytes.append(0x6E)  // n
            return
        } else if type == Deferred.self {
            bytes.append(0x44)  // D
            write((value as! Deferred).key, to: &bytes)
            return
        }
        switch value {
        case let text as String: writeString(text, to: &bytes)
        case let dictionary as [String: Any]: writeDictionary(dictionary, to: &bytes)
        // Lists of values and of strings first: casting them to [Any] would box every element anew.
        case let array as [[String: Any]]: writeList(array, to: &bytes)
        case let array as [String]: writeList(array, to: &bytes)
        case let array as [Any]: writeList(array, to: &bytes)
        case let flag as Bool:
            bytes.append(flag ? 0x54 : 0x46)  // T F
        case let number as Int: writeInt(number, to: &bytes)
        case is NSNull:
            bytes.append(0x6E)  // n
        case let deferred as Deferred:
            bytes.append(0x44)  // D
            write(deferred.key, to: &bytes)
        default:
            // Anything else (a Double, a chart's values): its description, tagged.
            bytes.append(0x6F)  // o
            write(String(describing: value), to: &bytes)
        }
    }

    private static func writeInt(_ number: Int, to bytes: inout [UInt8]) {
        bytes.append(0x69)  // i
        bytes.append(contentsOf: String(number).utf8)
        bytes.append(0)
    }

    private static func writeString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x73)  // s
        write(length: text.utf8.count, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func writeDictionary(_ dictionary: [String: Any], to bytes: inout [UInt8]) {
        bytes.append(0x64)  // d
        write(length: dictionary.count, to: &bytes)
        for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            writeString(key, to: &bytes)
            write(value, to: &bytes)
        }
    }

    private static func writeList(_ list: [[String: Any]], to bytes: inout [UInt8]) {
        bytes.append(0x61)  // a
        write(length: list.count, to: &bytes)
        for element in list { writeDictionary(element, to: &bytes) }
    }

    private static func writeList<Element>(_ list: [Element], to bytes: inout [UInt8]) {
        bytes.append(0x61)  // a
        write(length: list.count, to: &bytes)
        for element in list { write(element, to: &bytes) }
    }

    private static func write(length: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(length).utf8)
        bytes.append(0x3A)  // :
    }
}

/// A template value made only when its page is rendered, such as a card's HTML or a chart's SVG.
///
/// In the page's fingerprint it stands as its `key`, which must name everything the value is made from (the
/// theme and the generator are in the cache's seed): a page taken from the previous build never makes it. The
/// page's render step replaces it with `make()` before the template sees it.
struct Deferred {
    let key: String
    let make: () -> Any

    /// `values` with the deferred value at `path` (nested dictionary keys) made.
    static func resolve(_ values: inout [String: Any], at path: ArraySlice<String>) {
        guard let first = path.first, let value = values[first] else { return }
        if path.count == 1 {
            if let deferred = value as? Deferred { values[first] = deferred.make() }
        } else if var nested = value as? [String: Any] {
            resolve(&nested, at: path.dropFirst())
            values[first] = nested
        }
    }

    /// The key under which a dictionary holds a `Deferred` of more of its own fields (`resolve(_:mergingAt:)`).
    static let fieldsKey = "deferred_fields"

    /// `values` with the dictionary at `path` given the fields its `fieldsKey` entry makes.
    static func resolve(_ values: inout [String: Any], mergingAt path: ArraySlice<String>) {
        if let first = path.first {
            guard var nested = values[first] as? [String: Any] else { return }
            resolve(&nested, mergingAt: path.dropFirst())
            values[first] = nested
        } else if let deferred = values.removeValue(forKey: fieldsKey) as? Deferred,
            let fields = deferred.make() as? [String: Any]
        {
            values.merge(fields) { mine, _ in mine }
        }
    }
}
