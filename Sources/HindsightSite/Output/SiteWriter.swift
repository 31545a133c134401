import Foundation
import HindsightCore

/// Writes a finished site into a new folder beside the target, then exchanges it with the target in one
/// step, so a failed or interrupted build never leaves a half-written site (`docs/security.md`).
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
    /// The staging folder always ends up holding the whole new site: a file whose bytes equal the current
    /// site's is hard-linked from it, so an unchanged page costs a link rather than a write, and no file of a
    /// published site is ever written to. `commit` swaps the staging folder and the output in one
    /// `renameat2(RENAME_EXCHANGE)`, so the output is the old site or the new one at every instant. Where the
    /// file system cannot exchange two folders, two renames are used, and the next build puts back a site that
    /// a kill left between them (`Leftovers`).
    public final class Staging: @unchecked Sendable {
        private let fm = FileManager.default
        private let target: URL
        private let staging: URL
        private let retired: URL
        /// The current site, whose unchanged files are hard-linked.
        private let previous: String?
        /// The current site's regular files and folders; nil without one, or when it holds anything else.
        private let current: Inventory?
        private let lock = NSLock()
        private var folders = Set<String>()
        private var claimed: [String: String] = [:]
        private var paths: [String] = []
        /// What the build cleared up beside the output before it began.
        public let leftovers: Leftovers

        /// Creates the staging folder; the caller holds `lock` for the output until `commit` or `discard`, and
        /// while it does, every other staging folder beside the output is a dead build's and is removed.
        public init(for output: URL, holding lock: OutputLock) throws {
            target = output.standardizedFileURL
            let parent = target.deletingLastPathComponent()
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            leftovers = SiteWriter.clearLeftovers(beside: target)
            try SiteWriter.refuseMountPoint(target)
            let name = target.lastPathComponent
            let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            staging = parent.appendingPathComponent(".\(name).new-\(token)")
            retired = parent.appendingPathComponent(".\(name).old-\(token)")
            var isFolder: ObjCBool = false
            previous = fm.fileExists(atPath: target.path, isDirectory: &isFolder) && isFolder.boolValue ? target.path : nil
            current = previous.flatMap { SiteWriter.inventory($0) }
            if mkdir(staging.path, 0o755) != 0 {
                throw WriteError(message: "cannot create the staging folder \(staging.path): \(String(cString: strerror(errno)))")
            }
        }

        /// The current site's regular files and folders.
        public var currentFiles: Inventory? { current }

        /// Writes one file (safe from any thread). A file whose bytes equal the current site's is hard-linked
        /// to it, so unchanged pages keep their inode and cost no disk writes; there is no fsync per file (the
        /// exchange is what makes the site appear at once).
        public func write(_ file: OutputFile) throws {
            let components = try safeComponents(file.path)
            let relative = components.joined(separator: "/")
            try claim(relative)
            try makeFolders(components.dropLast())
            let destination = staging.path + "/" + relative
            if let pieces = file.pieces {
                // Spliced from the current site's file into a new one: the published file is only read.
                guard let previous else { throw WriteError(message: "cannot splice \(relative): there is no previous site") }
                if let problem = writeSpliced(pieces, from: previous + "/" + relative, to: destination) {
                    throw WriteError(message: problem)
                }
                record(relative)
                return
            }
            if file.reusesPrevious {
                guard let previous else { throw WriteError(message: "cannot reuse \(relative): there is no previous site") }
                try linkIntoStaging(relative, from: previous)
                record(relative)
                return
            }
            if let previous, current.map({ $0.contains(relative) }) ?? true, sameBytes(file.data, atPath: previous + "/" + relative),
                link(previous + "/" + relative, destination) == 0
            {
                record(relative)
                return
            }
            if let problem = writeFile(file.data, to: destination) { throw WriteError(message: problem) }
            record(relative)
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

        private func record(_ path: String) {
            lock.withLock { paths.append(path) }
        }

        /// Creates the staging folders for a file (each once).
        private func makeFolders(_ components: ArraySlice<String>) throws {
            try lock.withLock { try SiteWriter.makeFolders(components, below: staging.path, known: &folders) }
        }

        /// Removes the staging folder; the current site stays as it was.
        public func discard() {
            removeTree(staging.path)
        }

        /// Publishes the staged site: the output and the staging folder are exchanged in one step, then the
        /// old site (now in the staging folder's place) is removed.
        public func commit() throws {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
                if rename(staging.path, target.path) != 0 {
                    let problem = String(cString: strerror(errno))
                    discard()
                    throw WriteError(message: "cannot move the new site into \(target.path): \(problem)")
                }
                return
            }
            guard isDirectory.boolValue else {
                discard()
                throw WriteError(message: "\(target.path) exists and is not a folder")
            }
            switch SiteWriter.exchange(staging.path, target.path) {
            case .exchanged:
                removeTree(staging.path)
            case .unsupported:
                // Two renames: a kill between them leaves no output, and the next build renames the old site back.
                guard rename(target.path, retired.path) == 0 else {
                    let problem = String(cString: strerror(errno))
                    discard()
                    throw WriteError(message: "cannot move the previous site aside in \(target.deletingLastPathComponent().path): \(problem)")
                }
                guard rename(staging.path, target.path) == 0 else {
                    let problem = String(cString: strerror(errno))
                    _ = rename(retired.path, target.path)
                    discard()
                    throw WriteError(message: "cannot move the new site into \(target.path): \(problem)")
                }
                removeTree(retired.path)
            case .failed(let problem):
                discard()
                throw WriteError(message: "cannot publish into \(target.path): \(problem)")
            }
        }
    }

    /// What a build found and cleared beside its output before it began: staging folders and retired sites of
    /// builds that were killed, and a previous site put back when a kill came between two renames.
    public struct Leftovers: Sendable, Equatable {
        /// Staging folders and retired sites removed.
        public var removed = 0
        /// Their size on disk, in bytes.
        public var bytes: Int64 = 0
        /// Whether the output was missing and a retired site was put back as it.
        public var restored = false

        /// One line for the build's output, or nil when there was nothing to clear.
        public var summary: String? {
            guard removed > 0 || restored else { return nil }
            var parts: [String] = []
            if restored { parts.append("put back the previous site, which an interrupted build had moved aside") }
            if removed > 0 {
                let megabytes = Double(bytes) / 1_000_000
                let size = megabytes >= 1 ? "\(Int(megabytes.rounded())) MB" : "\(max(1, Int((Double(bytes) / 1000).rounded()))) kB"
                parts.append("removed \(removed) folder\(removed == 1 ? "" : "s") left by interrupted builds (\(size))")
            }
            let line = parts.joined(separator: "; ")
            return line.prefix(1).uppercased() + line.dropFirst()
        }
    }

    /// Clears what killed builds left beside `target`. Called with the output's lock held: no other build is
    /// running, so every `.<name>.new-*` and `.<name>.old-*` folder is dead, whatever process id it names.
    static func clearLeftovers(beside target: URL) -> Leftovers {
        let parent = target.deletingLastPathComponent().path
        let name = target.lastPathComponent
        var leftovers = Leftovers()
        guard let entries = entries(of: parent) else { return leftovers }
        let retired = entries.filter { $0.kind == .folder && $0.name.hasPrefix(".\(name).old-") }.map(\.name)
        // A kill between the two renames of a swap leaves no output and the previous site retired: it goes back.
        if retired.isEmpty == false, access(target.path, F_OK) != 0, let newest = retired.max(by: {
            modified(parent + "/" + $0) < modified(parent + "/" + $1)
        }) {
            if rename(parent + "/" + newest, target.path) == 0 { leftovers.restored = true }
        }
        for entry in entries where entry.kind == .folder
            && (entry.name.hasPrefix(".\(name).new-") || entry.name.hasPrefix(".\(name).old-"))
        {
            let path = parent + "/" + entry.name
            guard access(path, F_OK) == 0 else { continue }
            leftovers.bytes += diskUsage(path)
            removeTree(path)
            leftovers.removed += 1
        }
        return leftovers
    }

    private static func modified(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mtim.tv_sec : 0
    }

    /// The bytes the files below `path` take on disk (hard links to a published site are counted too: the
    /// figure is what removing the folder frees at most).
    static func diskUsage(_ path: String) -> Int64 {
        var total: Int64 = 0
        var info = stat()
        guard let items = entries(of: path) else { return 0 }
        for item in items {
            let child = path + "/" + item.name
            switch item.kind {
            case .folder: total += diskUsage(child)
            default: if lstat(child, &info) == 0 { total += Int64(info.st_blocks) * 512 }
            }
        }
        return total
    }

    /// Refuses an output folder that is a mount point: the site is published by exchanging two folders in
    /// one parent, and a mount point cannot be moved.
    static func refuseMountPoint(_ target: URL) throws {
        var own = stat(), parent = stat()
        guard lstat(target.path, &own) == 0, (own.st_mode & S_IFMT) == S_IFDIR,
            stat(target.deletingLastPathComponent().path, &parent) == 0, own.st_dev != parent.st_dev
        else { return }
        throw WriteError(message: """
            \(target.path) is a mount point: Hindsight publishes a site by swapping a new folder into its place, \
            which a mount point cannot be. Build into a folder inside it instead (--output \(target.path)/site)
            """)
    }

    /// How an exchange of two folders went.
    enum Exchange {
        case exchanged
        /// The kernel or the file system has no atomic exchange (an old kernel, some network file systems).
        case unsupported
        case failed(String)
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time: Swift's Glibc module leaves out the GNU extensions.
    private static let renameAt2: RenameAt2? = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2"), to: RenameAt2?.self)

    /// Swaps two folders in one step (`renameat2` with `RENAME_EXCHANGE`).
    static func exchange(_ a: String, _ b: String) -> Exchange {
        guard let renameAt2 else { return .unsupported }
        let renameExchange: UInt32 = 1 << 1
        if renameAt2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return .exchanged }
        switch errno {
        case EINVAL, ENOSYS, EOPNOTSUPP: return .unsupported
        case let code: return .failed(String(cString: strerror(code)))
        }
    }

    /// A site's regular files and folders (relative paths), as `inventory` lists them.
    public struct Inventory: Sendable {
        /// Each file's path with its number (its place in `paths`).
        public let files: [String: Int]
        /// The files, in the order they were listed.
        let paths: [String]
        /// Every folder.
        let folders: Set<String>

        init(paths: [String], folders: Set<String>) {
            self.paths = paths
            self.folders = folders
            var files: [String: Int] = [:]
            files.reserveCapacity(paths.count)
            for (number, path) in paths.enumerated() { files[path] = number }
            self.files = files
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
    /// symbolic link, say) or a name that is not UTF-8: such a site's files are each checked before one is linked.
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

    /// When the inode at `path` last changed (its `ctime`, in nanoseconds), not following a symbolic link; nil when
    /// there is nothing there, or, with `regularOnly`, anything but a regular file.
    static func changeTime(_ path: String, regularOnly: Bool = false) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, regularOnly == false || (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return info.st_ctim.tv_sec * 1_000_000_000 + info.st_ctim.tv_nsec
    }

    /// Writes the stamp that says when a site was published (an empty file; its change time is the figure).
    static func stamp(_ path: String) {
        mkdir(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]), 0o755)
        unlink(path)
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor >= 0 { close(descriptor) }
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
