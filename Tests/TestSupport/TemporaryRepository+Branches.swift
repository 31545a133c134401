import Foundation
import GitKit

/// Branches and authors for tests that need a pull request's shape: a main line, a branch off it, and
/// commits by named people. Branches are written as loose refs, Git's own on-disk format.
extension TemporaryRepository {
    /// The branch HEAD points at, e.g. `main` or `master` (whatever `init.defaultBranch` says).
    public var currentBranch: String {
        get throws {
            let head = try String(contentsOf: gitFolder.appendingPathComponent("HEAD"), encoding: .utf8)
            let ref = head.trimmingCharacters(in: .whitespacesAndNewlines)
            return ref.hasPrefix("ref: refs/heads/") ? String(ref.dropFirst("ref: refs/heads/".count)) : ref
        }
    }

    /// Creates (or moves) a branch at a commit, without switching to it.
    public func createBranch(_ name: String, at commit: ObjectID) throws {
        let ref = gitFolder.appendingPathComponent("refs/heads/\(name)")
        try FileManager.default.createDirectory(at: ref.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((commit.hex + "\n").utf8).write(to: ref)
    }

    /// Points HEAD at a branch, so the next commit goes onto it.
    ///
    /// The index and working tree are left as they are (there is no checkout): the next commit records
    /// them plus its own files, so delete what the branch should not have in that commit.
    public func switchBranch(_ name: String) throws {
        try Data("ref: refs/heads/\(name)\n".utf8).write(to: gitFolder.appendingPathComponent("HEAD"))
    }

    /// Commits files as a named author.
    @discardableResult
    public func commit(
        _ files: [String: String?], author name: String, email: String, message: String = "Update",
        at date: Date = Date(timeIntervalSince1970: 1_700_000_000)
    ) throws -> ObjectID {
        try repository.commit(
            files: files.mapValues { $0.map { Data($0.utf8) } }, message: message,
            author: Signature(name: name, email: email, time: date))
    }

    /// The `.git` folder (or the bare repository itself).
    public var gitFolder: URL { URL(fileURLWithPath: repository.gitDirectory) }
}
