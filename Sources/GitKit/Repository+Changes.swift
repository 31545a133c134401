import Foundation
internal import CGit2

extension Repository {
    /// The best common ancestor of two commits (what a pull request is compared against), or nil when they share no history.
    ///
    /// In a shallow clone the common ancestor may lie beyond the fetched history; that is reported as nil too,
    /// so callers can say "fetch the full history" rather than show libgit2's message.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        var a = one.raw
        var b = two.raw
        var out = git_oid()
        let code = git_merge_base(&out, handle, &a, &b)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_merge_base", kind: .objectMissing)
        return ObjectID(out)
    }

    /// Paths of the files added or changed from `old` to `new` (renames and copies count under their new path).
    ///
    /// The trees are compared by libgit2's tree diff, which skips subtrees whose ids are equal, so the cost
    /// follows the size of the change rather than of the repository. Deleted files are left out: they no
    /// longer exist to be checked. Paths are from the repository root.
    public func changedPaths(from old: ObjectID, to new: ObjectID) throws -> [String] {
        try withCommitTree(old) { oldTree in
            try withCommitTree(new) { newTree in
                var options = git_diff_options()
                try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
                var diff: OpaquePointer?
                try check(git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options), "git_diff_tree_to_tree")
                defer { git_diff_free(diff) }
                var paths: [String] = []
                for index in 0..<git_diff_num_deltas(diff) {
                    guard let delta = git_diff_get_delta(diff, index) else { continue }
                    switch delta.pointee.status {
                    case GIT_DELTA_ADDED, GIT_DELTA_MODIFIED, GIT_DELTA_RENAMED, GIT_DELTA_COPIED, GIT_DELTA_TYPECHANGE:
                        if let path = delta.pointee.new_file.path { paths.append(String(cString: path)) }
                    default:
                        break
                    }
                }
                return paths.sorted()
            }
        }
    }

    /// The id Git would give `data` stored as a blob: compares a working-tree file with a committed one without writing anything.
    public func blobID(hashing data: Data) throws -> ObjectID { try Self.blobID(hashing: data) }

    /// The id Git would give `data` stored as a blob, with no repository: a content fingerprint.
    public static func blobID(hashing data: Data) throws -> ObjectID {
        _ = initialised
        var out = git_oid()
        // An empty file still needs a valid pointer: libgit2 does not accept NULL.
        let bytes = data.isEmpty ? Data([0]) : data
        let code = bytes.withUnsafeBytes { buffer in
            git_odb_hash(&out, buffer.baseAddress, data.count, GIT_OBJECT_BLOB)
        }
        try check(code, "git_odb_hash")
        return ObjectID(out)
    }

    /// The blob ids of every file below `folder` in a commit, keyed by path from the repository root.
    public func blobIDs(in commit: ObjectID, under folder: String) throws -> [String: ObjectID] {
        var out: [String: ObjectID] = [:]
        for entry in try entries(in: commit, under: folder) where entry.kind == .file || entry.kind == .executable {
            out[entry.path] = entry.id
        }
        return out
    }
}
