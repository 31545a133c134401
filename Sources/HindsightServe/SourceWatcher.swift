import Foundation
import HindsightCore

/// Polls what a build reads (the content folder, `Theme/`, `hindsight.yml`) by modification time and size.
///
/// Polling is portable (no inotify or FSEvents) and cheap at archive sizes: one `stat` per file.
struct SourceWatcher: Sendable {
    let root: URL

    /// A file's modification time and size.
    struct Stamp: Hashable, Sendable {
        var modified: Double
        var size: UInt64
    }

    /// Every watched file (path from the root) and its stamp.
    func fingerprint() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        let config = root.appendingPathComponent(Configuration.fileName)
        var contentFolder = Configuration().contentFolder
        if let data = FileManager.default.contents(atPath: config.path) {
            stamps[Configuration.fileName] = stamp(config.path)
            if let parsed = try? Configuration.parse(data) { contentFolder = parsed.contentFolder }
        }
        for folder in Set([contentFolder, "Theme"]) where folder.isEmpty == false {
            walk(folder, into: &stamps)
        }
        return stamps
    }

    /// The paths added, changed or removed between two fingerprints, sorted.
    static func changes(from old: [String: Stamp], to new: [String: Stamp]) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }

    private func walk(_ folder: String, into stamps: inout [String: Stamp]) {
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return }
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            // Editors' swap and backup files change on every keystroke and are never built.
            if name.hasPrefix(".") || name.hasSuffix("~") {
                if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { enumerator.skipDescendants() }
                continue
            }
            let path = base.appendingPathComponent(relative).path
            if let stamp = stamp(path) { stamps[folder + "/" + relative] = stamp }
        }
    }

    private func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        let modified = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        return Stamp(modified: modified, size: UInt64(info.st_size))
    }
}
