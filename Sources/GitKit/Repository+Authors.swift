import Foundation
internal import CGit2

/// Someone who authored commits in the repository, as `.mailmap` names them.
public struct CommitAuthor: Sendable, Hashable {
    public let name: String
    public let email: String
    /// How many of the walked commits they authored.
    public let commits: Int

    public init(name: String, email: String, commits: Int) {
        self.name = name
        self.email = email
        self.commits = commits
    }
}

extension Repository {
    /// The distinct authors of the commits reachable from `head` (every parent, not only the first), most commits first.
    ///
    /// Names go through the repository's `.mailmap`, so one person with two spellings counts once. The walk
    /// stops after `limit` commits, and at the edge of a shallow clone (whose older parents are missing)
    /// instead of failing: the people who wrote recent history are the ones a post-mortem might name.
    public func authors(from head: ObjectID, limit: Int = 50_000) throws -> [CommitAuthor] {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, handle), "git_revwalk_new")
        defer { git_revwalk_free(walker) }
        var start = head.raw
        try check(git_revwalk_push(walker, &start), "git_revwalk_push")

        // A missing or unreadable .mailmap only means names are taken as written.
        var mailmap: OpaquePointer?
        if git_mailmap_from_repository(&mailmap, handle) != 0 { mailmap = nil }
        defer { if let mailmap { git_mailmap_free(mailmap) } }

        var byKey: [String: (name: String, email: String, commits: Int, first: Int)] = [:]
        var oid = git_oid()
        var walked = 0
        while walked < limit {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue || code < 0 { break }
            walked += 1
            var commit: OpaquePointer?
            guard git_commit_lookup(&commit, handle, &oid) == 0 else { continue }
            defer { git_commit_free(commit) }

            var mapped: UnsafeMutablePointer<git_signature>?
            guard git_commit_author_with_mailmap(&mapped, commit, mailmap) == 0, let signature = mapped else { continue }
            defer { git_signature_free(signature) }
            let name = signature.pointee.name.map { String(cString: $0) }?.trimmingCharacters(in: .whitespaces) ?? ""
            let email = signature.pointee.email.map { String(cString: $0) } ?? ""
            guard name.isEmpty == false else { continue }
            let key = name.lowercased()
            if var known = byKey[key] {
                known.commits += 1
                byKey[key] = known
            } else {
                byKey[key] = (name, email, 1, byKey.count)
            }
        }
        return byKey.values
            .sorted { ($1.commits, $0.first) < ($0.commits, $1.first) }
            .map { CommitAuthor(name: $0.name, email: $0.email, commits: $0.commits) }
    }
}
