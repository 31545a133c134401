import Foundation
import HindsightCore

/// Pages whose key (`PageKey`) is unchanged since the last build into the same folder are taken from that
/// build's output instead of being rendered again.
///
/// The keys of the last build are kept beside the output folder (`.<name>.cache/pages`, see `Site.cacheFolder`),
/// not in it, under a seed naming the generator, the theme and the executable: another theme or build of the
/// generator reuses nothing. A page is reused only when its key matches and the previous site still has the file.
final class PageCache: @unchecked Sendable {
    /// The keys file beside the output.
    let file: URL
    private let previousSite: PreviousSite
    private let seed: String
    private let known: [String: String]
    private var current: [String: String] = [:]
    private var reused = 0
    private let lock = NSLock()

    /// Reads the last build's keys for `output` from `file` (none when the file or the site is missing);
    /// `previousFiles`, the site's regular files when they were listed already (`PreviousSite`).
    init(file: URL, output: URL, theme: Theme, generator: String, previousFiles: SiteWriter.Inventory? = nil) {
        self.file = file
        seed = ContentKey.of(Array((generator + "\u{0}" + theme.fingerprint + "\u{0}" + CacheFile.executableIdentity).utf8)).hex
        previousSite = PreviousSite(output.standardizedFileURL, files: previousFiles)
        var known: [String: String] = [:]
        if previousSite.path != nil, let data = FileManager.default.contents(atPath: file.path) {
            // A "seed<TAB>id" line, then one "path<TAB>key" per page; split as bytes (there is a line per page).
            let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"))
            let fields = { (line: ArraySlice<UInt8>) in
                line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            }
            if let head = lines.first.map(fields), head == ["seed", seed] {
                for line in lines.dropFirst() {
                    let parts = fields(line)
                    if parts.count == 2 { known[parts[0]] = parts[1] }
                }
            }
        }
        self.known = known
    }

    /// The previous build's page at `path` when it was made with the same `key` and is still there.
    func reuse(_ path: String, key: String) -> OutputFile? {
        guard known[path] == key, let previous = previousSite.file(path) else { return nil }
        lock.withLock {
            current[path] = key
            reused += 1
        }
        return previous
    }

    /// Notes the key of a page rendered by this build.
    func record(_ path: String, key: String) {
        lock.withLock { current[path] = key }
    }

    /// How many pages were taken from the previous build.
    var reusedCount: Int { lock.withLock { reused } }

    /// Writes this build's keys (`encoded`, made while the new site is published) once it is in place.
    func save(_ encoded: Data) {
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? encoded.write(to: file, options: .atomic)
    }

    /// This build's keys as the file keeps them.
    func encoded() -> Data {
        let entries = lock.withLock { current }
        var text = Array("seed\t\(seed)\n".utf8)
        for (path, key) in entries.sorted(by: { $0.key < $1.key }) where path.isLineField {
            text.append(contentsOf: path.utf8)
            text.append(UInt8(ascii: "\t"))
            text.append(contentsOf: key.utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return Data(text)
    }

    /// Forgets the keys (a failed build's pages were never published).
    func discard() {
        try? FileManager.default.removeItem(at: file)
    }
}
