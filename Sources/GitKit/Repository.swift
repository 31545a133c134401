import Foundation
internal import CGit2

/// An open Git repository. One owner frees the libgit2 handle; keep it inside one task and hand out plain values.
public final class Repository {
    let handle: OpaquePointer

    static let initialised: Bool = {
        git_libgit2_init()
        return true
    }()

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    /// Opens the repository at `path` or the nearest enclosing one; bare repositories work.
    public static func open(at path: String) throws -> Repository {
        _ = initialised
        var repo: OpaquePointer?
        let code = git_repository_open_ext(&repo, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue {
            throw GitError(
                kind: .notARepository, code: code, function: "git_repository_open_ext",
                message: "'\(path)' is not inside a Git repository")
        }
        try check(code, "git_repository_open_ext")
        return Repository(handle: repo!)
    }

    /// Creates a new, empty repository at `path`.
    public static func create(at path: String, bare: Bool = false) throws -> Repository {
        _ = initialised
        var repo: OpaquePointer?
        try check(git_repository_init(&repo, path, bare ? 1 : 0), "git_repository_init")
        return Repository(handle: repo!)
    }

    /// Clones a local repository (used for bare clones in tests and tools).
    public static func clone(from source: String, to destination: String, bare: Bool) throws -> Repository {
        _ = initialised
        var options = git_clone_options()
        try check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), "git_clone_options_init")
        options.bare = bare ? 1 : 0
        var repo: OpaquePointer?
        try check(git_clone(&repo, source, destination, &options), "git_clone")
        return Repository(handle: repo!)
    }

    /// Whether the repository has no working tree.
    public var isBare: Bool { git_repository_is_bare(handle) == 1 }

    /// Whether this is a shallow clone, whose history (and so every date read from it) is cut short.
    public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// The commits a shallow clone was cut at (listed in its `shallow` file): their parents were never
    /// fetched, so history ends there. Empty for a full clone.
    var shallowBoundary: Set<ObjectID> {
        guard isShallow, let text = try? String(contentsOfFile: gitDirectory + "shallow", encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).compactMap { ObjectID(hex: String($0)) })
    }

    /// Whether the repository has no commits.
    public var isEmpty: Bool { git_repository_is_empty(handle) == 1 }

    /// The working tree's root, with a trailing slash; nil for a bare repository.
    public var workdir: String? {
        guard let dir = git_repository_workdir(handle) else { return nil }
        return String(cString: dir)
    }

    /// The `.git` folder (or the bare repository itself).
    public var gitDirectory: String { String(cString: git_repository_path(handle)) }

    /// Resolves any rev-parse expression (`HEAD`, `main~2`, an id) to a commit.
    public func commit(_ revision: String) throws -> Commit {
        if isEmpty {
            throw GitError(
                kind: .emptyRepository, function: "git_revparse_single",
                message: "the repository has no commits yet")
        }
        var object: OpaquePointer?
        let code = git_revparse_single(&object, handle, revision)
        if code == GIT_ENOTFOUND.rawValue, let target = referenceTarget(revision) {
            // The name exists but the commit it points at does not: damage, not a typo.
            var oid = target.raw
            var missing: OpaquePointer?
            let lookup = git_commit_lookup(&missing, handle, &oid)
            git_commit_free(missing)
            try checkObject(lookup, "git_commit_lookup", id: &oid)
        }
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue || code == GIT_EINVALIDSPEC.rawValue {
            throw GitError(
                kind: .revisionNotFound, code: code, function: "git_revparse_single",
                message: "revision '\(revision)' does not exist")
        }
        try check(code, "git_revparse_single")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        if git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) < 0 {
            let type = git_object_type2string(git_object_type(object)).map { String(cString: $0) } ?? "object"
            throw GitError(
                kind: .revisionNotFound, function: "git_object_peel",
                message: "revision '\(revision)' names a \(type), not a commit")
        }
        defer { git_object_free(peeled) }
        return Repository.copyCommit(peeled!)
    }

    /// The id a branch, tag or `HEAD` points at (symbolic references followed), or nil when no reference
    /// has that name.
    private func referenceTarget(_ name: String) -> ObjectID? {
        var reference: OpaquePointer?
        guard git_reference_dwim(&reference, handle, name) == 0 else { return nil }
        defer { git_reference_free(reference) }
        var resolved: OpaquePointer?
        guard git_reference_resolve(&resolved, reference) == 0 else { return nil }
        defer { git_reference_free(resolved) }
        return git_reference_target(resolved).map { ObjectID($0) }
    }

    /// Looks up a commit by id.
    public func commit(id: ObjectID) throws -> Commit {
        try withCommit(id) { Repository.copyCommit($0) }
    }

    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.raw
        var commit: OpaquePointer?
        try checkObject(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup", id: &oid)
        defer { git_commit_free(commit) }
        return try body(commit!)
    }

    static func copyCommit(_ commit: OpaquePointer) -> Commit {
        var parents: [ObjectID] = []
        let count = git_commit_parentcount(commit)
        for index in 0..<count {
            if let parent = git_commit_parent_id(commit, index) { parents.append(ObjectID(parent)) }
        }
        let author = git_commit_author(commit)
        let name = author?.pointee.name.map { String(cString: $0) } ?? ""
        let email = author?.pointee.email.map { String(cString: $0) } ?? ""
        let authorTime = author.map { Date(timeIntervalSince1970: TimeInterval($0.pointee.when.time)) } ?? .distantPast
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        return Commit(
            id: ObjectID(git_commit_id(commit)!),
            parents: parents,
            time: Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))),
            authorTime: authorTime,
            authorName: name,
            authorEmail: email,
            summary: summary)
    }
}
