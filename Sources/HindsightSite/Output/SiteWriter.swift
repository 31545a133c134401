import Foundation
import HindsightCore

/// Writes a finished site into a new folder beside the target, then swaps it in, so a failed or
/// interrupted build never leaves a half-written site.
public enum SiteWriter {
    /// A problem writing the output.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// An exclusive lock on one output folder (`flock` on `.<name>.lock` beside it), held until released.
    ///
    /// A second build into the same folder, from this process or another, is refused while it is held.
    public final class OutputLock: @unchecked Sendable {
        /// The lock file beside the output folder.
        public let path: String
        private let lock = NSLock()
        private var descriptor: Int32

        /// Takes the lock for `output`, or throws `WriteError` at once when another build holds it.
        public init(for output: URL) throws {
            let target = output.standardizedFileURL
            let parent = target.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            path = parent.appendingPathComponent(".\(target.lastPathComponent).lock").path
            descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw WriteError(message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(descriptor)
                descriptor = -1
                if code == EWOULDBLOCK {
                    throw WriteError(
                        message: "another build is writing to \(target.path) (it holds \(path)); "
                            + "wait for it to finish, or build into another folder")
                }
                throw WriteError(message: "cannot lock \(path): \(String(cString: strerror(code)))")
            }
        }

        /// Releases the lock (also done when the value is released).
        public func release() {
            lock.lock()
            defer { lock.unlock() }
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }

        deinit { release() }
    }

    /// Refuses an output folder whose contents are not the generator's to replace: the archive's folder or one
    /// that holds it (`--output .` from the repository, `--output ..`), or any folder with a `.git` entry.
    /// Publishing removes every file the new site does not have, so either would lose the archive.
    public static func refuseUnsafeOutput(_ output: URL, source: SourceLocator) throws {
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        let target = resolved(output.path)
        let archive: String
        switch source {
        case .git(let repository, _): archive = resolved(repository)
        case .worktree(let root, let content, _): archive = resolved(content ?? root)
        }
        let holdsArchive = archive == target || archive.hasPrefix(target == "/" ? "/" : target + "/")
        if holdsArchive || FileManager.default.fileExists(atPath: target + "/.git") {
            throw WriteError(message: "refusing to publish into \(target): it holds "
                + (holdsArchive ? "the archive (\(archive))" : "a Git repository (.git)")
                + ", and publishing removes every file the site does not have; choose a folder of its own, such as _site")
        }
    }

    /// A new site being written into `.<output>.new-*` beside the output, file by file from any thread,
    /// then published by `commit` (or removed by `discard`). Pages are written as soon as they are
    /// rendered, so a build never holds the whole site in memory.
    ///
    /// Into an empty place the staging folder becomes the site. Over a previous site made only of folders and
    /// regular files (what a build writes), only new and changed files are staged. When they are at most a tenth
    /// of the site, `commit` moves them in and removes the files the new site no longer has, so a rebuild
    /// creates no folder for an unchanged page (a site has a folder per page); otherwise the unchanged files are hard-linked into the staging folder and it is
    /// swapped in whole. A site holding anything else, such as a symbolic link, is replaced whole.
    public final class Staging: @unchecked Sendable {
        private let fm = FileManager.default
        private let target: URL
        private let staging: URL
        private let retired: URL
        /// The current site, whose unchanged files are kept (or, when it is replaced whole, hard-linked).
        private let previous: String?
        /// The current site's regular files and folders, when it is updated in place (nil: replaced whole).
        private let inPlace: Inventory?
        private let lock = NSLock()
        private var folders = Set<String>()
        private var claimed: [String: String] = [:]
        private var paths: [String] = []
        /// Staged files that replace or add to the current site (in-place updates only).
        private var changed: [String] = []
        /// Which of the current site's files (by their number in `inPlace`) were written again: the others are
        /// removed by an in-place update.
        private var writtenAgain: [Bool] = []
        /// Files written that the current site does not have (in-place updates only).
        private var added: [String] = []

        /// Creates the staging folder; the caller holds `lock` for the output until `commit` or `discard`.
        public init(for output: URL, holding lock: OutputLock) throws {
            target = output.standardizedFileURL
            let parent = target.deletingLastPathComponent()
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            let name = target.lastPathComponent
            let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            staging = parent.appendingPathComponent(".\(name).new-\(token)")
            retired = parent.appendingPathComponent(".\(name).old-\(token)")
            var isFolder: ObjCBool = false
            previous = fm.fileExists(atPath: target.path, isDirectory: &isFolder) ? target.path : nil
            inPlace = previous != nil && isFolder.boolValue ? SiteWriter.inventory(target.path) : nil
            writtenAgain = Array(repeating: false, count: inPlace?.paths.count ?? 0)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        }

        /// The current site's regular files and folders, when it is updated in place.
        public var currentFiles: Inventory? { inPlace }

        /// Writes one file (safe from any thread). A file whose bytes equal the current site's is kept (or
        /// hard-linked to it), so unchanged pages keep their inode and cost no disk writes; there is no fsync
        /// per file (the commit is what makes the site appear at once).
        public func write(_ file: OutputFile) throws {
            let components = try safeComponents(file.path)
            let relative = components.joined(separator: "/")
            try claim(relative)
            if let pieces = file.pieces {
                // Spliced from the current site's file: never equal to it (it would have been reused instead).
                guard let previous else { throw WriteError(message: "cannot splice \(relative): there is no previous site") }
                try makeFolders(components.dropLast())
                if let problem = writeSpliced(pieces, from: previous + "/" + relative, to: staging.path + "/" + relative) {
                    throw WriteError(message: problem)
                }
                record(relative, changed: inPlace != nil)
                return
            }
            if let inPlace {
                let kept = inPlace.contains(relative)
                    && (file.reusesPrevious || sameBytes(file.data, atPath: target.path + "/" + relative))
                if kept {
                    record(relative)
                    return
                }
                guard file.reusesPrevious == false else {
                    throw WriteError(message: "cannot reuse \(relative): the previous site's file is gone")
                }
            }
            try makeFolders(components.dropLast())
            let destination = staging.path + "/" + relative
            if file.reusesPrevious {
                guard let previous else {
                    throw WriteError(message: "cannot reuse \(relative): there is no previous site")
                }
                try linkIntoStaging(relative, from: previous)
                record(relative)
                return
            }
            if inPlace == nil, let previous, sameBytes(file.data, atPath: previous + "/" + relative),
                link(previous + "/" + relative, destination) == 0
            {
                record(relative)
                return
            }
            if let problem = writeFile(file.data, to: destination) { throw WriteError(message: problem) }
            record(relative, changed: inPlace != nil)
        }

        /// Hard-links the file at `relative` below `site` into the staging folder, reading and writing it only
        /// when linking is impossible.
        private func linkIntoStaging(_ relative: String, from site: String) throws {
            let (source, destination) = (site + "/" + relative, staging.path + "/" + relative)
            if link(source, destination) != 0 {
                guard let data = fm.contents(atPath: source) else {
                    throw WriteError(message: "cannot reuse \(relative): the previous site's file is gone")
                }
                if let problem = SiteWriter.writeFile(data, to: destination) { throw WriteError(message: problem) }
            }
        }

        /// Reserves an output path; two files with one path, or paths that differ only by case, are an error.
        private func claim(_ path: String) throws {
            lock.lock()
            defer { lock.unlock() }
            if let other = claimed.updateValue(path, forKey: path.lowercased()) {
                let (first, second) = (min(other, path), max(other, path))
                throw WriteError(message: other == path
                    ? "two files would be written to '\(path)'"
                    : "'\(first)' and '\(second)' differ only by case, so one would overwrite the other on a case-insensitive file system")
            }
        }

        private func record(_ path: String, changed isChanged: Bool = false) {
            let number = inPlace?.files[path]
            lock.lock()
            paths.append(path)
            if isChanged { changed.append(path) }
            if let number { writtenAgain[number] = true } else if inPlace != nil { added.append(path) }
            lock.unlock()
        }

        /// Creates the staging folders for a file (each once).
        private func makeFolders(_ components: ArraySlice<String>) throws {
            try lock.withLock { try SiteWriter.makeFolders(components, below: staging.path, known: &folders) }
        }

        /// Removes the staging folder; the current site stays as it was.
        public func discard() {
            removeTree(staging.path)
        }

        /// Publishes the staged site: swapped in whole, or, over a site updated in place, its changed files moved
        /// in and the files it no longer has removed.
        public func commit() throws {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
                try fm.moveItem(at: staging, to: target)
                return
            }
            guard isDirectory.boolValue else {
                discard()
                throw WriteError(message: "\(target.path) exists and is not a folder")
            }
            if let inPlace {
                let (all, changedCount) = lock.withLock { (paths, changed.count) }
                // A small update is moved in file by file (a kill in those few renames leaves part of it published,
                // and the next build completes it); a large one is completed in the staging folder and swapped in
                // whole, as a build into an empty place is.
                if changedCount * Self.inPlaceShare <= all.count {
                    try update(inPlace)
                    return
                }
                do {
                    try completeStaging(all)
                } catch {
                    discard()
                    throw error
                }
            }
            try fm.moveItem(at: target, to: retired)
            do {
                try fm.moveItem(at: staging, to: target)
            } catch {
                try? fm.moveItem(at: retired, to: target)
                discard()
                throw error
            }
            removeTree(retired.path)
        }

        /// An in-place update is used when at most one file in this many changed.
        static let inPlaceShare = 10

        /// Links the current site's kept files into the staging folder, which then holds the whole new site.
        private func completeStaging(_ all: [String]) throws {
            let changed = Set(lock.withLock { self.changed })
            for relative in all where changed.contains(relative) == false {
                try makeFolders(relative.split(separator: "/").dropLast().map(String.init)[...])
                try linkIntoStaging(relative, from: target.path)
            }
        }

        /// Updates the current site in place: stale files out, then changed files in, then empty folders out.
        /// Its work is in proportion to the files removed and added, not to the site.
        private func update(_ current: Inventory) throws {
            let (changed, writtenAgain, added) = lock.withLock { (self.changed.sorted(), self.writtenAgain, self.added) }
            // Files below each folder once the stale files are gone and the new ones are in; a folder left with none
            // is removed (as is one that held none, or a folder that is now a file: its files are all stale).
            var below = current.filesBelow
            var emptied = current.emptyFolders
            for (number, path) in current.paths.enumerated() where writtenAgain[number] == false {
                unlink(target.path + "/" + path)
                for folder in SiteWriter.folders(above: path) {
                    below[folder, default: 0] -= 1
                    emptied.insert(folder)
                }
            }
            for path in added {
                for folder in SiteWriter.folders(above: path) where below[folder] != nil { below[folder]! += 1 }
            }
            emptied = emptied.filter { below[$0, default: 0] <= 0 }
            // Deepest first, so a folder is empty by the time it is removed (sorted by bytes: a folder's path is
            // longer than its parent's).
            for folder in emptied.sorted(by: { $0.utf8.count > $1.utf8.count }) {
                SiteWriter.removeTree(target.path + "/" + folder)
            }
            // The folders still there need not be made (copying the set of them all cost more than the rest).
            var made = Set<String>()
            for path in changed {
                for folder in SiteWriter.folders(above: path) where current.folders.contains(folder) && emptied.contains(folder) == false {
                    made.insert(folder)
                }
                try SiteWriter.makeFolders(path.split(separator: "/").dropLast().map(String.init), below: target.path, known: &made)
                let (source, destination) = (staging.path + "/" + path, target.path + "/" + path)
                if rename(source, destination) != 0 {
                    // An output folder that is a mount point of its own: the bytes are copied across instead.
                    let problem: String?
                    if errno == EXDEV {
                        if let data = fm.contents(atPath: source) {
                            problem = SiteWriter.writeFile(data, to: destination)
                        } else {
                            problem = "the staged file cannot be read"
                        }
                    } else {
                        problem = String(cString: strerror(errno))
                    }
                    if let problem { throw WriteError(message: "cannot move \(path) into \(target.path): \(problem)") }
                }
            }
            removeTree(staging.path)
        }
    }

    /// The folders above the relative `path`, nearest first.
    static func folders(above path: String) -> [String] {
        var folders: [String] = []
        var folder = Substring(path)
        while let slash = folder.lastIndex(of: "/") {
            folder = folder[..<slash]
            folders.append(String(folder))
        }
        return folders
    }

    /// A site's regular files and folders (relative paths), as `inventory` lists them.
    public struct Inventory: Sendable {
        /// Each file's path with its number (its place in `paths`).
        public let files: [String: Int]
        /// The files, in the order they were listed.
        let paths: [String]
        /// Every folder.
        let folders: Set<String>
        /// How many files each folder holds at any depth (folders that hold none are left out).
        let filesBelow: [String: Int]
        /// The folders that hold no file at any depth.
        let emptyFolders: Set<String>

        init(paths: [String], folders: Set<String>) {
            self.paths = paths
            self.folders = folders
            var files: [String: Int] = [:]
            files.reserveCapacity(paths.count)
            var below: [String: Int] = [:]
            for (number, path) in paths.enumerated() {
                files[path] = number
                for folder in SiteWriter.folders(above: path) { below[folder, default: 0] += 1 }
            }
            self.files = files
            filesBelow = below
            emptyFolders = folders.filter { below[$0] == nil }
        }

        /// Whether the site has a regular file at the relative `path`.
        public func contains(_ path: String) -> Bool { files[path] != nil }
    }

    /// Creates each folder on the way to `components` below `root` that `known` does not hold yet, and notes it there.
    static func makeFolders(_ components: some Sequence<String>, below root: String, known: inout Set<String>) throws {
        var folder = ""
        for component in components {
            folder += folder.isEmpty ? component : "/" + component
            guard known.insert(folder).inserted else { continue }
            let path = root + "/" + folder
            if mkdir(path, 0o755) != 0, errno != EEXIST {
                throw WriteError(message: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The regular files and folders below `root` (relative paths); nil when it holds anything else (a
    /// symbolic link, say) or a name that is not UTF-8, so that it is never updated in place.
    static func inventory(_ root: String) -> Inventory? {
        var files: [String] = [], folders = Set<String>()
        // A level of folders at a time, listed on every core: a post-mortem has a folder of its own, so a large
        // site's third level is ten thousand folders.
        var level = [""]
        while level.isEmpty == false {
            let listed = Parallel.map(level.count) { [level] index in
                entries(of: level[index].isEmpty ? root : root + "/" + level[index])
            }
            var next: [String] = []
            for (relative, found) in zip(level, listed) {
                guard let found else { return nil }
                for entry in found {
                    guard entry.isUTF8 else { return nil }
                    let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
                    switch entry.kind {
                    case .folder:
                        folders.insert(path)
                        next.append(path)
                    case .file: files.append(path)
                    case .other: return nil
                    }
                }
            }
            level = next
        }
        return Inventory(paths: files, folders: folders)
    }

    /// Removes a folder and everything in it, never following symbolic links. A large site has tens of thousands
    /// of files: each folder is read once (the entry type comes with readdir, no stat per file) and the top-level
    /// folders are removed in parallel.
    static func removeTree(_ path: String) {
        let children = entries(of: path) ?? []
        _ = Parallel.map(children.count) { index in
            let child = path + "/" + children[index].name
            if children[index].kind == .folder { removeFolder(child) } else { unlink(child) }
        }
        // Anything left (a name that is not UTF-8, say) goes the slow way.
        if rmdir(path) != 0, errno != ENOENT { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func removeFolder(_ path: String) {
        for entry in entries(of: path) ?? [] {
            let child = path + "/" + entry.name
            if entry.kind == .folder { removeFolder(child) } else { unlink(child) }
        }
        rmdir(path)
    }

    /// What a folder entry is; a symbolic link, even to a folder, is `other`.
    enum EntryKind { case folder, file, other }

    /// The entries of a folder, without `.` and `..`, from readdir's type (no stat per entry where the file
    /// system gives one); nil when the folder cannot be opened. A name that is not UTF-8 is decoded with
    /// replacements and marked.
    private static func entries(of path: String) -> [(name: String, kind: EntryKind, isUTF8: Bool)]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var out: [(String, EntryKind, Bool)] = []
        while let entry = readdir(folder) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            let valid = String(validating: bytes, as: UTF8.self)
            let name = valid ?? String(decoding: bytes, as: UTF8.self)
            if name == "." || name == ".." { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let mode = lstat(path + "/" + name, &info) == 0 ? info.st_mode & S_IFMT : 0
                type = mode == S_IFDIR ? UInt8(DT_DIR) : mode == S_IFREG ? UInt8(DT_REG) : 0
            }
            let kind: EntryKind = type == UInt8(DT_DIR) ? .folder : type == UInt8(DT_REG) ? .file : .other
            out.append((name, kind, valid != nil))
        }
        return out
    }

    /// Whether the file at `path` holds exactly `data`.
    static func sameBytes(_ data: Data, atPath path: String) -> Bool {
        guard regularFileSize(path) == data.count else { return false }
        guard let existing = FileManager.default.contents(atPath: path) else { return false }
        return existing == data
    }

    /// The size of the regular file at `path`; nil for anything else, a symbolic link included (`lstat`): a
    /// link placed in the old site is never linked into, or read for, the new one.
    static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Writes bytes with plain POSIX calls; returns a message on failure.
    static func writeFile(_ data: Data, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        return data.withUnsafeBytes { writeAll($0, to: descriptor, path: path) }
    }

    /// Writes all of `bytes` to the open file `descriptor` (named `path` in the message); a message, or nil.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return "cannot write \(path): \(String(cString: strerror(errno)))"
            }
            offset += written
        }
        return nil
    }

    /// Writes `pieces` to a new file at `path`: new bytes as they are, ranges copied from the file at `source` a
    /// megabyte at a time. An error message, or nil.
    static func writeSpliced(_ pieces: [OutputFile.Piece], from source: String, to path: String) -> String? {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { return "cannot read \(source): \(String(cString: strerror(errno)))" }
        defer { close(input) }
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(output) }
        func put(_ bytes: UnsafeRawBufferPointer) -> String? { writeAll(bytes, to: output, path: path) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        for piece in pieces {
            switch piece {
            case .bytes(let data):
                if let problem = data.withUnsafeBytes(put) { return problem }
            case .previous(let offset, let count):
                var done = 0
                while done < count {
                    let got = pread(input, chunk.baseAddress, min(chunk.count, count - done), off_t(offset + done))
                    if got < 0, errno == EINTR { continue }
                    guard got > 0 else { return "cannot read \(source): it is shorter than the last build left it" }
                    if let problem = put(UnsafeRawBufferPointer(rebasing: chunk[0..<got])) { return problem }
                    done += got
                }
            }
        }
        return nil
    }

    /// A relative path's components; refuses anything that could leave the output folder.
    static func safeComponents(_ path: String) throws -> [String] {
        // Bytes, as the file system reads the path (a "/" followed by a combining mark is still a separator), and
        // fast: every output file's path is checked.
        let bytes = path.utf8
        let components = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard bytes.first != UInt8(ascii: "/"), components.isEmpty == false,
            bytes.contains(0) == false, bytes.contains(UInt8(ascii: "\\")) == false,
            components.allSatisfy({ $0.isEmpty == false && !$0.elementsEqual(".".utf8) && !$0.elementsEqual("..".utf8) })
        else {
            throw WriteError(message: "refusing to write '\(path)': it is not a plain path inside the output folder")
        }
        return components.map { String(Substring($0)) }
    }
}
