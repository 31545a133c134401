import Dispatch
import Foundation

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

    /// Writes `files` as the whole content of `output`, under the output's lock (`held`, or taken here).
    public static func write(_ files: [OutputFile], to output: URL, holding held: OutputLock? = nil) throws {
        let outputLock = try held ?? OutputLock(for: output)
        defer { if held == nil { outputLock.release() } }
        let fm = FileManager.default
        let target = output.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let name = target.lastPathComponent
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(name).new-\(token)")
        let retired = parent.appendingPathComponent(".\(name).old-\(token)")

        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            var made = Set<String>()
            var targets: [(file: OutputFile, relative: String)] = []
            targets.reserveCapacity(files.count)
            // Two files at one path would race, and two that differ only by case overwrite each other on
            // a case-insensitive file system (macOS, Windows): either way a page would silently be lost.
            var claimed: [String: String] = [:]
            for file in files {
                let components = try safeComponents(file.path)
                let key = components.joined(separator: "/").lowercased()
                if let other = claimed.updateValue(file.path, forKey: key) {
                    throw WriteError(message: other == file.path
                        ? "two files would be written to '\(file.path)'"
                        : "'\(other)' and '\(file.path)' differ only by case, so one would overwrite the other on a case-insensitive file system")
                }
                var folder = staging
                for component in components.dropLast() {
                    folder.appendPathComponent(component)
                    if made.insert(folder.path).inserted {
                        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                    }
                }
                targets.append((file, components.joined(separator: "/")))
            }
            // Files are written in parallel, without an fsync each (the swap below is what makes the
            // site appear at once); a file whose bytes equal the current site's is hard-linked to it
            // instead of rewritten, so unchanged pages keep their inode and cost no disk writes.
            let previous = fm.fileExists(atPath: target.path) ? target.path : nil
            let failures = WriteFailures()
            let jobs = targets
            DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                let (file, relative) = jobs[index]
                let destination = staging.path + "/" + relative
                if let previous, sameBytes(file.data, atPath: previous + "/" + relative),
                    link(previous + "/" + relative, destination) == 0
                {
                    return
                }
                if let problem = writeFile(file.data, to: destination) { failures.add(problem) }
            }
            if let problem = failures.first { throw WriteError(message: problem) }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }

        // Swap: the old site leaves, the new one arrives, then the old one is removed.
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                try? fm.removeItem(at: staging)
                throw WriteError(message: "\(target.path) exists and is not a folder")
            }
            try fm.moveItem(at: target, to: retired)
            do {
                try fm.moveItem(at: staging, to: target)
            } catch {
                try? fm.moveItem(at: retired, to: target)
                try? fm.removeItem(at: staging)
                throw error
            }
            try? fm.removeItem(at: retired)
        } else {
            try fm.moveItem(at: staging, to: target)
        }
    }

    /// Whether the file at `path` holds exactly `data`.
    static func sameBytes(_ data: Data, atPath path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == data.count else {
            return false
        }
        guard let existing = FileManager.default.contents(atPath: path) else { return false }
        return existing == data
    }

    /// Writes bytes with plain POSIX calls; returns a message on failure.
    static func writeFile(_ data: Data, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        return data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return "cannot write \(path): \(String(cString: strerror(errno)))"
                }
                offset += written
            }
            return nil
        }
    }

    /// A relative path's components; refuses anything that could leave the output folder.
    static func safeComponents(_ path: String) throws -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard path.hasPrefix("/") == false, components.isEmpty == false,
            components.allSatisfy({ $0.isEmpty == false && $0 != "." && $0 != ".." && !$0.contains("\0") && !$0.contains("\\") })
        else {
            throw WriteError(message: "refusing to write '\(path)': it is not a plain path inside the output folder")
        }
        return components
    }
}

/// The first failure among parallel writes.
final class WriteFailures: @unchecked Sendable {
    private var messages: [String] = []
    private let lock = NSLock()

    func add(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }

    var first: String? {
        lock.lock()
        defer { lock.unlock() }
        return messages.first
    }
}
