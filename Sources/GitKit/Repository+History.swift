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
    /// wanted file has met the commit that added it. Paths are from the repository root.
    public func fileHistories(
        under folder: String, paths wanted: Set<String>, from head: ObjectID
    ) throws -> [String: FileHistory] {
        var result: [String: FileHistory] = [:]
        var unresolved = wanted
        if unresolved.isEmpty { return result }

        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, handle), "git_revwalk_new")
        defer { git_revwalk_free(walker) }
        var start = head.raw
        try check(git_revwalk_push(walker, &start), "git_revwalk_push")
        try check(git_revwalk_simplify_first_parent(walker), "git_revwalk_simplify_first_parent")

        let prefix = folder.isEmpty ? "" : folder + "/"
        var oid = git_oid()
        while unresolved.isEmpty == false {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "git_revwalk_next", kind: .objectMissing)

            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup", kind: .objectMissing)
            defer { git_commit_free(commit) }
            let stamp = CommitStamp(
                id: ObjectID(oid), time: Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))))

            let newTree = try subtree(of: commit!, at: folder)
            defer { if let newTree { git_tree_free(newTree) } }
            var oldTree: OpaquePointer?
            if git_commit_parentcount(commit) > 0 {
                var parent: OpaquePointer?
                // A shallow clone's boundary commit names a parent that is not there: treat it as a root.
                if git_commit_parent(&parent, commit, 0) == 0 {
                    defer { git_commit_free(parent) }
                    oldTree = try subtree(of: parent!, at: folder)
                }
            }
            defer { if let oldTree { git_tree_free(oldTree) } }

            if let newTree, let oldTree, git_oid_equal(git_tree_id(newTree), git_tree_id(oldTree)) == 1 {
                continue
            }
            guard let newTree else { continue }
            try compare(oldTree, newTree, prefix: prefix) { path, added in
                guard unresolved.contains(path) else { return }
                if var history = result[path] {
                    history.created = stamp
                    history.revisions += 1
                    result[path] = history
                } else {
                    result[path] = FileHistory(created: stamp, updated: stamp, revisions: 1)
                }
                if added { unresolved.remove(path) }
            }
        }
        return result
    }

    /// The tree at `folder` in a commit, owned by the caller, or nil when absent.
    private func subtree(of commit: OpaquePointer, at folder: String) throws -> OpaquePointer? {
        var root: OpaquePointer?
        try check(git_commit_tree(&root, commit), "git_commit_tree", kind: .objectMissing)
        if folder.isEmpty { return root }
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, folder) == 0 else { return nil }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE else { return nil }
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, git_tree_entry_id(entry)), "git_tree_lookup", kind: .objectMissing)
        return tree
    }

    /// Reports blobs added or changed from `old` to `new` (deletions do not matter to a file that exists).
    private func compare(
        _ old: OpaquePointer?, _ new: OpaquePointer, prefix: String,
        _ report: (_ path: String, _ added: Bool) -> Void
    ) throws {
        let oldCount = old.map { git_tree_entrycount($0) } ?? 0
        let newCount = git_tree_entrycount(new)
        var i = 0, j = 0
        while j < newCount {
            let newEntry = git_tree_entry_byindex(new, j)!
            let oldEntry = i < oldCount ? git_tree_entry_byindex(old, i) : nil
            // Both lists are sorted the way Git sorts trees; git_tree_entry_cmp uses that order.
            let order = oldEntry.map { git_tree_entry_cmp($0, newEntry) } ?? 1
            if order < 0 {
                i += 1
                continue
            }
            let newIsTree = git_tree_entry_filemode(newEntry) == GIT_FILEMODE_TREE
            let path = prefix + String(cString: git_tree_entry_name(newEntry))
            if order == 0, let oldEntry {
                i += 1
                j += 1
                if git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) == 1 { continue }
                if newIsTree {
                    let oldIsTree = git_tree_entry_filemode(oldEntry) == GIT_FILEMODE_TREE
                    let oldSub = oldIsTree ? try lookupTree(git_tree_entry_id(oldEntry)) : nil
                    defer { if let oldSub { git_tree_free(oldSub) } }
                    let newSub = try lookupTree(git_tree_entry_id(newEntry))
                    defer { git_tree_free(newSub) }
                    try compare(oldSub, newSub, prefix: path + "/", report)
                } else {
                    report(path, false)
                }
            } else {
                j += 1
                if newIsTree {
                    let newSub = try lookupTree(git_tree_entry_id(newEntry))
                    defer { git_tree_free(newSub) }
                    try compare(nil, newSub, prefix: path + "/", report)
                } else {
                    report(path, true)
                }
            }
        }
    }

    private func lookupTree(_ id: UnsafePointer<git_oid>?) throws -> OpaquePointer {
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, id), "git_tree_lookup", kind: .objectMissing)
        return tree!
    }
}
