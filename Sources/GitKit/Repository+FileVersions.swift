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
    ///
    /// The line of commits is read in chunks; the comparisons of a chunk's commits with their parents are
    /// independent, so they run on every core, each worker with a repository handle of its own (libgit2
    /// handles are not shared between threads). Their findings are then taken newest first, as one walk
    /// would, so the result does not depend on how the work was split.
    private func walkVersions(
        under folder: String, paths wanted: Set<String>, from head: ObjectID, until stop: ObjectID?
    ) throws -> (versions: [String: [FileVersion]], added: Set<String>, reachedStop: Bool) {
        var newestFirst: [String: [FileVersion]] = [:]
        var unresolved = wanted
        var added = Set<String>()
        if unresolved.isEmpty { return ([:], [], false) }

        let line = try FirstParentLine(repository: self, head: head, stop: stop)
        let prefix = folder.isEmpty ? "" : folder + "/"
        // Small chunks first, so a short resumed walk or an early stop does little extra work.
        var chunkSize = 16
        while unresolved.isEmpty == false {
            let chunk = try line.next(chunkSize)
            if chunk.isEmpty { break }
            chunkSize = min(chunkSize * 2, 512)
            let changes = try compare(chunk, under: folder, prefix: prefix, wanted: wanted)
            for (link, found) in zip(chunk, changes) {
                let stamp = CommitStamp(id: link.id, time: link.time)
                for change in found where unresolved.contains(change.path) {
                    newestFirst[change.path, default: []].append(FileVersion(commit: stamp, blob: change.blob))
                    if change.added {
                        unresolved.remove(change.path)
                        added.insert(change.path)
                    }
                }
                if unresolved.isEmpty { break }
            }
        }
        return (newestFirst.mapValues { Array($0.reversed()) }, added, line.reachedStop)
    }

    /// A wanted blob that a commit added or changed.
    private struct Change: Sendable {
        let path: String
        let blob: ObjectID
        let added: Bool
    }

    /// Each link's changes to wanted files, in the links' order, compared on every core.
    private func compare(
        _ links: [FirstParentLine.Link], under folder: String, prefix: String, wanted: Set<String>
    ) throws -> [[Change]] {
        try onWorkers(splitting: links.count, atLeast: 4) { repository, range in
            // A commit's parent is the next link: its trees, loaded as the old side of one comparison, are
            // the new side of the next. Kept for one step, each tree version is inflated and parsed once,
            // not twice (libgit2 does not cache trees of megabytes).
            let trees = TreeMemo(repository: repository)
            defer { trees.freeAll() }
            return try links[range].map { link in
                trees.nextStep()
                var found: [Change] = []
                guard let newTree = try repository.versionSubtree(link.tree, at: folder, trees: trees) else { return found }
                let oldTree = try link.parentTree.flatMap { try repository.versionSubtree($0, at: folder, trees: trees) }
                if let oldTree, git_oid_equal(git_tree_id(newTree), git_tree_id(oldTree)) == 1 { return found }
                try repository.changedBlobs(oldTree, newTree, prefix: prefix, trees: trees) { path, blob, isAdded in
                    if wanted.contains(path) { found.append(Change(path: path, blob: blob, added: isAdded)) }
                }
                return found
            }
        }.flatMap { $0 }
    }

    /// The tree at `folder` below a commit's root tree, owned by `trees`, or nil when absent.
    private func versionSubtree(_ rootID: ObjectID, at folder: String, trees: TreeMemo) throws -> OpaquePointer? {
        var raw = rootID.raw
        let root = try trees.tree(&raw)
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

/// The first-parent line from a commit, read a chunk at a time, newest first.
///
/// First parents one by one (not a revwalk, which insists on loading every parent): a shallow clone's
/// boundary commits end the line, and any other missing commit is a damaged repository.
private final class FirstParentLine {
    /// One commit of the line with its root tree and its first parent's (nil for a root or boundary commit).
    struct Link: Sendable {
        let id: ObjectID
        let time: Date
        let tree: ObjectID
        let parentTree: ObjectID?
    }

    private let repository: Repository
    private let stop: ObjectID?
    private let boundary: Set<ObjectID>
    private var next: OpaquePointer?
    /// Whether the line ended at `stop`.
    private(set) var reachedStop = false

    init(repository: Repository, head: ObjectID, stop: ObjectID?) throws {
        self.repository = repository
        self.stop = stop
        boundary = repository.shallowBoundary
        var oid = head.raw
        try checkObject(git_commit_lookup(&next, repository.handle, &oid), "git_commit_lookup", id: &oid)
    }

    deinit { if let next { git_commit_free(next) } }

    /// Up to `count` more commits; empty at the end of the line.
    func next(_ count: Int) throws -> [Link] {
        var links: [Link] = []
        while links.count < count, let commit = next {
            next = nil
            defer { git_commit_free(commit) }
            let id = ObjectID(git_commit_id(commit)!)
            if id == stop {
                reachedStop = true
                break
            }
            if git_commit_parentcount(commit) > 0, boundary.contains(id) == false {
                try checkObject(git_commit_parent(&next, commit, 0), "git_commit_parent", id: git_commit_parent_id(commit, 0))
            }
            links.append(Link(
                id: id, time: Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))),
                tree: ObjectID(git_commit_tree_id(commit)!), parentTree: next.map { ObjectID(git_commit_tree_id($0)!) }))
        }
        return links
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
