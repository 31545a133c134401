import Foundation

/// A commit's metadata, copied out of libgit2.
public struct Commit: Sendable, Hashable {
    public let id: ObjectID
    public let parents: [ObjectID]
    /// Committer time: when the change landed on the branch.
    public let time: Date
    /// Author time: when the change was written.
    public let authorTime: Date
    public let authorName: String
    public let authorEmail: String
    public let summary: String
}

/// A person who signs a commit (author and committer).
public struct Signature: Sendable {
    public var name: String
    public var email: String
    public var time: Date

    public init(name: String, email: String, time: Date) {
        self.name = name
        self.email = email
        self.time = time
    }
}
