import Foundation
import GitKit

/// Reads the archive from the Git object database at a revision, with no checkout (bare repositories work).
struct GitSource {
    let repositoryPath: String
    let revision: String
    /// The last build's file versions, when the caller keeps them.
    var historyCache: HistoryCache? = nil
    /// Whether to walk the history at all (`hindsight check` dates only the files that need it).
    var walksHistory = true
    /// Whether the Markdown files are left unread (`SourceSnapshot.unreadContents`).
    var defersContents = false

    func read() throws -> SourceSnapshot {
        let repository = try Repository.open(at: repositoryPath)
        let commit = try repository.commit(revision)
        var diagnostics: [Diagnostic] = []
        if repository.isShallow {
            diagnostics.append(
                .warning(
                    "the repository is a shallow clone: created and updated dates may be wrong; fetch the full history (fetch-depth: 0)"))
        }

        var configuration = Configuration()
        let settingsData = try repository.file(at: Configuration.fileName, in: commit.id)
        if let data = settingsData {
            do {
                configuration = try Configuration.parse(data)
            } catch {
                diagnostics.append(error)
            }
        }

        let folder = configuration.contentFolder
        // The content folder or Theme/ committed as a link: Git stores only the target's name, so there
        // is nothing to read, but silence would look like an empty archive.
        for folder in [folder, "Theme"] where folder.isEmpty == false {
            if let link = try repository.linkOnPath(folder, in: commit.id) {
                diagnostics.append(.warning(
                    "skipped \(link.kind == .symlink ? "symbolic link" : "submodule"); it is not followed",
                    at: SourceLocation(path: link.path)))
            }
        }
        var markdown: [TreeEntry] = []
        let prefixLength = folder.isEmpty ? 0 : folder.count + 1
        var resources: [SourceFile] = []
        for entry in try repository.entries(in: commit.id, under: folder) {
            // Whatever their names, links and submodules point outside the content tree: never followed.
            if entry.kind == .symlink || entry.kind == .submodule {
                diagnostics.append(
                    .warning("skipped \(entry.kind == .symlink ? "symbolic link" : "submodule"); it is not followed",
                        at: SourceLocation(path: entry.path)))
                continue
            }
            if entry.kind == .file, SourceReader.isResource(entry.path) {
                resources.append(SourceFile(
                    path: entry.path, contentPath: String(entry.path.dropFirst(prefixLength)), blobID: entry.id,
                    data: try blob(entry, in: repository)))
                continue
            }
            guard SourceReader.isMarkdown(entry.path) else { continue }
            if entry.kind == .file || entry.kind == .executable { markdown.append(entry) }
        }
        var files = markdown.map { entry in
            var file = SourceFile(path: entry.path, contentPath: String(entry.path.dropFirst(prefixLength)), blobID: entry.id, data: Data())
            file.isUnread = defersContents
            return file
        }
        if defersContents == false {
            // Thousands of blobs to inflate: read on every core.
            for (index, read) in try repository.blobs(markdown.map(\.id)).enumerated() {
                files[index].data = try read.mapError { Self.naming(files[index].path, $0) }.get()
            }
        }
        files.sort { $0.path < $1.path }
        let wanted = Set(files.map(\.path))

        var themeFiles: [String: Data] = [:]
        for entry in try repository.entries(in: commit.id, under: "Theme") where entry.kind == .file {
            let relative = String(entry.path.dropFirst("Theme/".count))
            guard SourceReader.themePath(relative) else { continue }
            themeFiles[relative] = try blob(entry, in: repository)
        }

        // One walk: histories are each file's first and last version; insights reuse the versions. It resumes
        // from the last build's commit when that build's versions are at hand.
        var versions: [String: [FileVersion]]?
        if walksHistory {
            if let cached = historyCache?.load(folder: folder) {
                versions = try repository.fileVersions(
                    under: folder, paths: wanted, from: commit.id, continuing: cached.versions, at: cached.head)
            }
            versions = try versions ?? repository.fileVersions(under: folder, paths: wanted, from: commit.id)
        }
        let histories = versions.map(Self.histories(from:)) ?? [:]

        var snapshot = SourceSnapshot(
            revision: commit, origin: "\(revision) (\(commit.id.short)) of \(repositoryPath)",
            configuration: configuration, files: files, themeFiles: themeFiles, histories: histories,
            diagnostics: diagnostics)
        snapshot.resources = resources
        snapshot.versions = versions
        snapshot.settingsData = settingsData
        snapshot.blobs = BlobReader(repositoryPath: repositoryPath)
        if defersContents { snapshot.unreadContents = ContentReader(repositoryPath: repositoryPath) }
        return snapshot
    }

    /// The histories of `paths` under `folder` alone, from a walk that stops once they are all dated.
    static func histories(
        of paths: Set<String>, repository: Repository, folder: String, head: ObjectID
    ) throws -> [String: History] {
        histories(from: try repository.fileVersions(under: folder, paths: paths, from: head))
    }

    /// Each file's first and last version and their count.
    static func histories(from versions: [String: [FileVersion]]) -> [String: History] {
        versions.compactMapValues { list -> History? in
            guard let first = list.first, let last = list.last else { return nil }
            return History(created: first.commit, updated: last.commit, revisions: list.count)
        }
    }

    /// A file's bytes; when its object is missing or corrupt, the error says which file it is.
    private func blob(_ entry: TreeEntry, in repository: Repository) throws -> Data {
        do {
            return try repository.blob(entry.id)
        } catch let error as GitError {
            throw Self.naming(entry.path, error)
        }
    }

    /// A read error that names the file whose object is missing or corrupt.
    static func naming(_ path: String, _ error: GitError) -> GitError {
        GitError(kind: error.kind, code: error.code, function: error.function, message: "\(path): \(error.message)")
    }
}
