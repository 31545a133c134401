import Foundation
import GitKit

/// A real Git repository in a temporary folder, made with libgit2, removed when released.
public final class TemporaryRepository {
    public let url: URL
    public let repository: Repository
    private var clock: Date

    /// Creates an empty repository; commits start at `start` and move one hour per commit.
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        repository = try Repository.create(at: url.path)
        clock = start
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    public var path: String { url.path }

    /// Commits files (nil deletes) and returns the commit id.
    @discardableResult
    public func commit(_ files: [String: String?], message: String = "Update", at date: Date? = nil) throws -> ObjectID {
        let time = date ?? clock
        clock = time.addingTimeInterval(3600)
        let signature = Signature(name: "Test Author", email: "author@example.invalid", time: time)
        return try repository.commit(
            files: files.mapValues { $0.map { Data($0.utf8) } }, message: message, author: signature)
    }

    /// Commits raw bytes.
    @discardableResult
    public func commit(data files: [String: Data?], message: String = "Update") throws -> ObjectID {
        let time = clock
        clock = time.addingTimeInterval(3600)
        return try repository.commit(
            files: files, message: message, author: Signature(name: "Test Author", email: "author@example.invalid", time: time))
    }

    /// Commits symbolic links (path → target) and submodule entries (path → a commit id of another repository).
    @discardableResult
    public func commit(symlinks: [String: String] = [:], submodules: [String: ObjectID] = [:], message: String = "Update") throws -> ObjectID {
        let time = clock
        clock = time.addingTimeInterval(3600)
        return try repository.commit(
            files: [:], symlinks: symlinks, submodules: submodules, message: message,
            author: Signature(name: "Test Author", email: "author@example.invalid", time: time))
    }

    /// Writes a file into the working tree without committing it.
    public func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    /// A bare clone beside this repository, removed with it.
    public func bareClone() throws -> URL {
        let target = url.appendingPathComponent(".bare-clone.git")
        _ = try Repository.clone(from: url.path, to: target.path, bare: true)
        return target
    }
}

/// A temporary folder removed when released.
public final class TemporaryFolder {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The package's root folder (for the bundled Content/ and shared fixtures): the nearest folder up
/// from this file that holds Package.swift.
public func packageRoot() -> URL {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url.deleteLastPathComponent()
    }
    return url
}
