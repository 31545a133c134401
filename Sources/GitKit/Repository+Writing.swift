import Foundation
internal import CGit2

extension Repository {
    /// Writes files into the working tree, stages them and commits on HEAD; a nil content deletes the file.
    ///
    /// `symlinks` (path → target) are made as symbolic links and `submodules` (path → commit) recorded as
    /// submodule entries, as a contributor's push can carry them. Used by `hindsight init` and by tests
    /// that build real histories; never by the build.
    @discardableResult
    public func commit(
        files: [String: Data?], symlinks: [String: String] = [:], submodules: [String: ObjectID] = [:],
        message: String, author: Signature, committer: Signature? = nil
    ) throws -> ObjectID {
        guard let workdir else {
            throw GitError(kind: .other, function: "commit", message: "cannot commit files into a bare repository")
        }
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle), "git_repository_index")
        defer { git_index_free(index) }

        for (path, content) in files.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: workdir).appendingPathComponent(path)
            if let content {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try content.write(to: url)
                try check(git_index_add_bypath(index, path), "git_index_add_bypath")
            } else {
                try? FileManager.default.removeItem(at: url)
                try check(git_index_remove_bypath(index, path), "git_index_remove_bypath")
            }
        }
        for (path, target) in symlinks.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: workdir).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            try check(git_index_add_bypath(index, path), "git_index_add_bypath")
        }
        for (path, commit) in submodules.sorted(by: { $0.key < $1.key }) {
            var entry = git_index_entry()
            entry.mode = UInt32(GIT_FILEMODE_COMMIT.rawValue)
            entry.id = commit.raw
            try path.withCString { name in
                entry.path = name
                try check(git_index_add(index, &entry), "git_index_add")
            }
        }
        try check(git_index_write(index), "git_index_write")
        var treeID = git_oid()
        try check(git_index_write_tree(&treeID, index), "git_index_write_tree")
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &treeID), "git_tree_lookup")
        defer { git_tree_free(tree) }

        let authorSignature = try makeSignature(author)
        defer { git_signature_free(authorSignature) }
        let committerSignature = try makeSignature(committer ?? author)
        defer { git_signature_free(committerSignature) }

        var parent: OpaquePointer?
        if isEmpty == false {
            var head = git_oid()
            try check(git_reference_name_to_id(&head, handle, "HEAD"), "git_reference_name_to_id")
            try check(git_commit_lookup(&parent, handle, &head), "git_commit_lookup")
        }
        defer { if let parent { git_commit_free(parent) } }

        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        _ = try parents.withUnsafeMutableBufferPointer { buffer in
            try check(
                git_commit_create(
                    &commitID, handle, "HEAD", authorSignature, committerSignature, nil, message, tree,
                    buffer.count, buffer.baseAddress),
                "git_commit_create")
        }
        return ObjectID(commitID)
    }

    private func makeSignature(_ signature: Signature) throws -> UnsafeMutablePointer<git_signature> {
        var out: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(
                &out, signature.name, signature.email, git_time_t(signature.time.timeIntervalSince1970), 0),
            "git_signature_new")
        return out!
    }
}
