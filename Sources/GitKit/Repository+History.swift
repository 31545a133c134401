import Foundation
internal import CGit2

/// A commit as far as a file's history needs it: which one, and when it landed.
public struct CommitStamp: Sendable, Hashable {
    public let id: ObjectID
    public let time: Date

    public init(id: ObjectID, time: Date) {
        self.id = id
        self.time = time
    }
}

/// What one walk of the history knows about a file.
public struct FileHistory: Sendable, Hashable {
    /// The commit that added the file (on the first-parent line: for a merged pull request, the merge).
    public var created: CommitStamp
    /// The last commit that changed the file.
    public var updated: CommitStamp
    /// How many commits changed the file, its addition included.
    public var revisions: Int
}

extension Repository {
    /// Every wanted file's history from one walk of first-parent history, newest first.
    ///
    /// Each commit's tree is compared with its first parent's by object id, descending only into
    /// subtrees whose ids differ, so unchanged folders cost nothing; the walk stops as soon as every
    /// wanted file has met the commit that added it. Paths are from the repository root. The walk is
    /// `fileVersions`; a history is its first and last version and their count.
    public func fileHistories(
        under folder: String, paths wanted: Set<String>, from head: ObjectID
    ) throws -> [String: FileHistory] {
        try fileVersions(under: folder, paths: wanted, from: head).compactMapValues { versions in
            guard let first = versions.first, let last = versions.last else { return nil }
            return FileHistory(created: first.commit, updated: last.commit, revisions: versions.count)
        }
    }
}
