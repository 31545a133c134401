import Foundation
internal import CGit2

/// One version of a file on the first-parent line: the commit that made it and the blob it holds.
public struct FileVersion: Sendable, Hashable {
    /// The commit that changed the file to this content (for a merged pull request, the merge).
    public let commit: CommitStamp
    /// The file's blob at that commit.
    public let blob: ObjectID

    public init(commit: CommitStamp, blob: ObjectID) {
        self.commit = commit
        self.blob = blob
    }
}

extension Repository {
    /// Every version of each wanted file along first-parent history, from one walk, oldest first.
    ///
    /// Like `fileHistories`, each commit's tree under `folder` is compared with its first parent's by object
    /// id, descending only into subtrees whose ids differ; every added or changed wanted blob yields a
    /// version. The walk stops once every wanted file has met the commit that added it. Paths are from the
    /// repository root; a file never met has no entry.
    public func fileVersions(
        under folder: String, paths wanted: Set<String>, from head: ObjectID
    ) throws -> [String: [FileVersion]] {
        try walkVersions(under: folder, paths: wanted, from: head, until: nil).versions
    }

    /// `fileVersions`, continued from an earlier walk: `known` are the versions every wanted file had at
    /// `knownHead` (what `fileVersions` returned there). Only the commits after `knownHead` are walked, when it
    /// is on the first-parent line of `head`; otherwise the whole line is, and `known` is not used. Returns
    /// nil when `known` cannot be trusted (a wanted file neither added since nor known then): walk it all.
    public func fileVersions(
        under folder: String, paths wanted: Set<String>, from head: ObjectID,
        continuing known: [String: [FileVersion]], at knownHead: ObjectID
    ) throws -> [String: [FileVersion]]? {
        let walk = try walkVersions(under: folder, paths: wanted, from: head, until: knownHead)
        guard walk.reachedStop else { return walk.versions }
        var versions: [String: [FileVersion]] = [:]
        for path in wanted {
            let since = walk.versions[path] ?? []
            // Added (again) after knownHead: its versions start there, whatever came before.
            if walk.added.contains(path) {
                versions[path] = since
            } else if let before = known[path] {
                versions[path] = before + since
            } else {
                return nil
            }
        }
        return versions
    }

    /// The walk itself: from `head` along first parents, newest first, until every wanted file has met the
    /// commit that added it or, with `stop`, until `stop` (which is not walked).
    private func walkVersions(
        under folder: String, paths wanted: Set<String>, from head: ObjectID, until stop: ObjectID?
    ) throws -> (versions: [String: [FileVersion]], added: Set<String>, reachedStop: Bool) {
        var newestFirst: [String: [FileVersion]] = [:]
        var unresolved = wanted
        var added = Set<String>()
        if unresolved.isEmpty { return ([:], [], false) }

        // First parents one by one (not a revwalk, which insists on loading every parent): a shallow
        // clone's boundary commits end the line, and any other missing commit is a damaged repository.
        let boundary = shallowBoundary
        let prefix = folder.isEmpty ? "" : folder + "/"
        var oid = head.raw
        var next: OpaquePointer?
        try checkObject(git_commit_lookup(&next, handle, &oid), "git_commit_lookup", id: &oid)
        defer { if let next { git_commit_free(next) } }
        // A commit's parent is the next commit walked: its trees, loaded here as the old side, are the new
        // side of the next comparison. Kept for one step, each tree version is inflated and parsed once,
        // not twice (large folders' trees are megabytes at 100,000 files, and libgit2 does not cache them).
        let trees = TreeMemo(repository: self)
        defer { trees.freeAll() }
        while unresolved.isEmpty == false, let commit = next {
            trees.nextStep()
            next = nil
            defer { git_commit_free(commit) }
            let id = ObjectID(git_commit_id(commit)!)
            if id == stop { return (newestFirst.mapValues { Array($0.reversed()) }, added, true) }
            let stamp = CommitStamp(id: id, time: Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))))
            if git_commit_parentcount(commit) > 0, boundary.contains(id) == false {
                try checkObject(git_commit_parent(&next, commit, 0), "git_commit_parent", id: git_commit_parent_id(commit, 0))
            }

            let newTree = try versionSubtree(of: commit, at: folder, trees: trees)
            let oldTree = try next.flatMap { try versionSubtree(of: $0, at: folder, trees: trees) }

            guard let newTree else { continue }
            if let oldTree, git_oid_equal(git_tree_id(newTree), git_tree_id(oldTree)) == 1 { continue }
            try changedBlobs(oldTree, newTree, prefix: prefix, trees: trees) { path, blob, isAdded in
                guard wanted.contains(path), unresolved.contains(path) else { return }
                newestFirst[path, default: []].append(FileVersion(commit: stamp, blob: blob))
                if isAdded {
                    unresolved.remove(path)
                    added.insert(path)
                }
            }
        }
        return (newestFirst.mapValues { Array($0.reversed()) }, added, false)
    }

    /// The tree at `folder` in a commit, owned by `trees`, or nil when absent.
    private func versionSubtree(of commit: OpaquePointer, at folder: String, trees: TreeMemo) throws -> OpaquePointer? {
        let root = try trees.tree(git_commit_tree_id(commit))
        if folder.isEmpty { return root }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, folder) == 0 else { return nil }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE else { return nil }
        return try trees.tree(git_tree_entry_id(entry))
    }

    /// Reports blobs added or changed from `old` to `new`, with the new blob's id.
    private func changedBlobs(
        _ old: OpaquePointer?, _ new: OpaquePointer, prefix: String, trees: TreeMemo,
        _ report: (_ path: String, _ blob: ObjectID, _ added: Bool) -> Void
    ) throws {
        let oldCount = old.map { git_tree_entrycount($0) } ?? 0
        let newCount = git_tree_entrycount(new)
        var i = 0, j = 0
        while j < newCount {
            let newEntry = git_tree_entry_byindex(new, j)!
            let oldEntry = i < oldCount ? git_tree_entry_byindex(old, i) : nil
            let order = oldEntry.map { git_tree_entry_cmp($0, newEntry) } ?? 1
            if order < 0 {
                i += 1
                continue
            }
            j += 1
            var oldMatch: OpaquePointer?
            if order == 0, let oldEntry {
                i += 1
                if git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) == 1 { continue }
                oldMatch = oldEntry
            }
            // Only changed entries get a path: a folder of thousands of files changed by one commit costs
            // a comparison of ids per entry, not a string each.
            let newIsTree = git_tree_entry_filemode(newEntry) == GIT_FILEMODE_TREE
            let path = prefix + String(cString: git_tree_entry_name(newEntry))
            if newIsTree {
                let oldIsTree = oldMatch.map { git_tree_entry_filemode($0) == GIT_FILEMODE_TREE } ?? false
                let oldSub = oldIsTree ? try trees.tree(git_tree_entry_id(oldMatch)) : nil
                let newSub = try trees.tree(git_tree_entry_id(newEntry))
                try changedBlobs(oldSub, newSub, prefix: path + "/", trees: trees, report)
            } else {
                let oldWasBlob = oldMatch.map { git_tree_entry_filemode($0) != GIT_FILEMODE_TREE } ?? false
                report(path, ObjectID(git_tree_entry_id(newEntry)!), oldWasBlob == false)
            }
        }
    }

}

/// Trees loaded during a history walk, kept until the step after the one that last used them.
private final class TreeMemo {
    private let repository: Repository
    private var loaded: [ObjectID: (tree: OpaquePointer, step: Int)] = [:]
    private var step = 0

    init(repository: Repository) { self.repository = repository }

    /// The tree with this id, loaded once while consecutive steps use it; owned by the memo.
    func tree(_ id: UnsafePointer<git_oid>?) throws -> OpaquePointer {
        let key = ObjectID(id!)
        if let hit = loaded[key] {
            loaded[key] = (hit.tree, step)
            return hit.tree
        }
        var tree: OpaquePointer?
        try checkObject(git_tree_lookup(&tree, repository.handle, id), "git_tree_lookup", id: id)
        loaded[key] = (tree!, step)
        return tree!
    }

    /// Starts the next commit's step, freeing trees the previous step did not use.
    func nextStep() {
        step += 1
        for (key, entry) in loaded where entry.step < step - 1 {
            git_tree_free(entry.tree)
            loaded[key] = nil
        }
    }

    func freeAll() {
        for entry in loaded.values { git_tree_free(entry.tree) }
        loaded = [:]
    }
}
