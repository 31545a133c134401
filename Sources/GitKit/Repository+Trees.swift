import Foundation
internal import CGit2

/// One entry of a tree, listed recursively.
public struct TreeEntry: Sendable, Hashable {
    /// What the entry is; symlinks and submodules are reported so callers can skip them.
    public enum Kind: Sendable, Hashable {
        case file, executable, symlink, submodule, tree
    }
    /// Path from the repository root, `/`-separated.
    public let path: String
    public let id: ObjectID
    public let kind: Kind
}

extension Repository {
    /// Lists every entry below `folder` (recursively) in a commit's tree; an empty list when the folder is absent.
    public func entries(in commit: ObjectID, under folder: String) throws -> [TreeEntry] {
        try withTree(of: commit, at: folder) { tree in
            guard let tree else { return [] }
            var out: [TreeEntry] = []
            try walk(tree, prefix: folder.isEmpty ? "" : folder + "/", into: &out)
            return out
        }
    }

    private func walk(_ tree: OpaquePointer, prefix: String, into out: inout [TreeEntry]) throws {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let id = ObjectID(git_tree_entry_id(entry)!)
            let path = prefix + name
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                var sub: OpaquePointer?
                var oid = id.raw
                try checkObject(git_tree_lookup(&sub, handle, &oid), "git_tree_lookup", id: &oid)
                defer { git_tree_free(sub) }
                out.append(TreeEntry(path: path, id: id, kind: .tree))
                try walk(sub!, prefix: path + "/", into: &out)
            case GIT_FILEMODE_BLOB_EXECUTABLE:
                out.append(TreeEntry(path: path, id: id, kind: .executable))
            case GIT_FILEMODE_LINK:
                out.append(TreeEntry(path: path, id: id, kind: .symlink))
            case GIT_FILEMODE_COMMIT:
                out.append(TreeEntry(path: path, id: id, kind: .submodule))
            default:
                out.append(TreeEntry(path: path, id: id, kind: .file))
            }
        }
    }

    /// Reads a blob's bytes.
    public func blob(_ id: ObjectID) throws -> Data {
        var oid = id.raw
        var blob: OpaquePointer?
        try checkObject(git_blob_lookup(&blob, handle, &oid), "git_blob_lookup", id: &oid)
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// The first part of `path` (`a`, `a/b`, …) that is a symbolic link or submodule in a commit's tree, or nil.
    public func linkOnPath(_ path: String, in commit: ObjectID) throws -> (path: String, kind: TreeEntry.Kind)? {
        try withCommitTree(commit) { root in
            var prefix: [Substring] = []
            for part in path.split(separator: "/") {
                prefix.append(part)
                var entry: OpaquePointer?
                guard git_tree_entry_bypath(&entry, root, prefix.joined(separator: "/")) == 0 else { return nil }
                defer { git_tree_entry_free(entry) }
                let mode = git_tree_entry_filemode(entry)
                if mode == GIT_FILEMODE_LINK { return (prefix.joined(separator: "/"), .symlink) }
                if mode == GIT_FILEMODE_COMMIT { return (prefix.joined(separator: "/"), .submodule) }
            }
            return nil
        }
    }

    /// Reads the file at `path` in a commit, or nil when there is no such file.
    public func file(at path: String, in commit: ObjectID) throws -> Data? {
        let id: ObjectID? = try withCommitTree(commit) { root in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, root, path)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try check(code, "git_tree_entry_bypath")
            defer { git_tree_entry_free(entry) }
            let mode = git_tree_entry_filemode(entry)
            guard mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE else { return nil }
            return ObjectID(git_tree_entry_id(entry)!)
        }
        return try id.map { try blob($0) }
    }

    func withCommitTree<T>(_ commit: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        try withCommit(commit) { commitHandle in
            var tree: OpaquePointer?
            try checkObject(git_commit_tree(&tree, commitHandle), "git_commit_tree", id: git_commit_tree_id(commitHandle))
            defer { git_tree_free(tree) }
            return try body(tree!)
        }
    }

    /// Calls `body` with the tree at `folder` in a commit (the root tree for ""), or nil when absent.
    func withTree<T>(of commit: ObjectID, at folder: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        try withCommitTree(commit) { root in
            if folder.isEmpty { return try body(root) }
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, root, folder)
            if code == GIT_ENOTFOUND.rawValue { return try body(nil) }
            try check(code, "git_tree_entry_bypath")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE else { return try body(nil) }
            var sub: OpaquePointer?
            try checkObject(git_tree_lookup(&sub, handle, git_tree_entry_id(entry)), "git_tree_lookup", id: git_tree_entry_id(entry))
            defer { git_tree_free(sub) }
            return try body(sub)
        }
    }
}
