import Foundation
import GitKit

/// One post-mortem file as read from the source.
public struct SourceFile: Sendable, Hashable {
    /// Path from the repository root, `/`-separated.
    public var path: String
    /// Path below the content folder.
    public var contentPath: String
    /// The blob id when read from Git; nil for the working tree.
    public var blobID: ObjectID?
    public var data: Data
    /// Whether the contents are still in the repository (`SourceSnapshot.unreadContents`): `data` is then empty.
    public var isUnread = false

    public init(path: String, contentPath: String, blobID: ObjectID? = nil, data: Data) {
        self.path = path
        self.contentPath = contentPath
        self.blobID = blobID
        self.data = data
    }
}

/// Everything a build reads from the archive, read once: config, content, theme overrides and history.
public struct SourceSnapshot: Sendable {
    /// The commit built, nil for a working tree outside Git.
    public var revision: Commit?
    /// Where the archive was read from, for messages (`HEAD of /repo`, `working tree /repo`).
    public var origin: String
    public var configuration: Configuration
    /// Markdown files under the content folder, sorted by path.
    public var files: [SourceFile]
    /// Other files under the content folder that a page bundle may use (images, attachments).
    public var resources: [SourceFile] = []
    /// The archive's own `Theme/` files (path below `Theme/` → bytes), overriding the built-in theme.
    public var themeFiles: [String: Data]
    /// Per-file history keyed by path from the repository root.
    public var histories: [String: History]
    /// Every version of each Markdown file along first-parent history, oldest first, from the same walk as
    /// `histories` (Git sources; nil otherwise): insights read action-item completions from them without walking again.
    public var versions: [String: [FileVersion]]?
    /// `hindsight.yml` as read (nil when there is none): the insights read their `insights:` settings from it.
    public var settingsData: Data?
    /// Reads old versions of files from the repository the snapshot came from (nil outside Git): the insights'
    /// completion dates come from the old versions in `versions`.
    public var blobs: BlobReader?
    /// Problems met while reading (skipped symlinks, a shallow clone, a bad `hindsight.yml`).
    public var diagnostics: [Diagnostic]
    /// Set when the Markdown files were listed but not read (`SourceReader.read(_:deferringContents:)`): their
    /// `data` is empty, and this reads whichever of them a build needs.
    public var unreadContents: ContentReader?

    public init(
        revision: Commit?, origin: String, configuration: Configuration, files: [SourceFile],
        themeFiles: [String: Data], histories: [String: History], diagnostics: [Diagnostic]
    ) {
        self.revision = revision
        self.origin = origin
        self.configuration = configuration
        self.files = files
        self.themeFiles = themeFiles
        self.histories = histories
        self.diagnostics = diagnostics
    }
}

/// Reads blobs of the repository a snapshot was read from: old versions of files, by id.
public struct BlobReader: Sendable {
    let repositoryPath: String

    /// The repository, opened for this reader's caller (a `Repository` stays on the thread that opened it).
    public func repository() throws -> Repository { try Repository.open(at: repositoryPath) }
}

/// Reads Markdown files left in the object database by a snapshot (`SourceSnapshot.unreadContents`): a
/// build whose parse cache already holds a file never inflates its blob.
public struct ContentReader: Sendable {
    let repositoryPath: String

    /// `files` with their contents, in order (read on every core); a file whose object is missing or corrupt is
    /// a failure that names the file.
    public func read(_ files: [SourceFile]) -> [Result<SourceFile, GitError>] {
        guard files.isEmpty == false else { return [] }
        let ids = files.compactMap(\.blobID)
        let results: [Result<Data, GitError>]
        do {
            // Every file listed from a tree has its id; one without is an error of the caller's.
            guard ids.count == files.count else { throw GitError(kind: .other, function: "read", message: "a file without a blob id") }
            results = try Repository.open(at: repositoryPath).blobs(ids)
        } catch {
            let failure = error as? GitError ?? GitError(kind: .other, function: "git_repository_open", message: "\(error)")
            results = files.map { _ in .failure(failure) }
        }
        return zip(files, results).map { file, result in
            result.map { data in
                var read = file
                read.data = data
                read.isUnread = false
                return read
            }.mapError { GitSource.naming(file.path, $0) }
        }
    }
}

/// Where a build reads the archive from: the Git object database at a revision, or the working tree.
public enum SourceLocator: Sendable, Hashable {
    case git(repository: String, revision: String)
    /// The working tree at `root`; `content` and `configuration` read the post-mortems from another folder
    /// and the settings from another file (an archive that is not a repository, read where it lies).
    case worktree(root: String, content: String? = nil, configuration: String? = nil)

    /// The settings file a working tree is read with: the given one, else `hindsight.yml` at its root.
    public var worktreeConfigurationFile: URL? {
        guard case .worktree(let root, _, let configuration) = self else { return nil }
        return configuration.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: root).appendingPathComponent(Configuration.fileName)
    }
}

/// Reads a snapshot from a locator. Both kinds of source go through here.
public enum SourceReader {
    /// Reads config, content, theme overrides and history in one go.
    ///
    /// With a `historyCache`, a Git source's history walk resumes from the commit it was last saved for.
    /// With `history: false` no history is walked (the snapshot's `histories` are empty): `histories(of:)`
    /// can then date only the files that need it.
    ///
    /// With `deferringContents`, a Git source's Markdown files are listed with their blob ids but not read
    /// (`SourceSnapshot.unreadContents` reads them later); a working tree's are read anyway, since their ids
    /// are hashed from their bytes.
    public static func read(
        _ locator: SourceLocator, historyCache: HistoryCache? = nil, history: Bool = true, deferringContents: Bool = false
    ) throws -> SourceSnapshot {
        switch locator {
        case .git(let repository, let revision):
            return try GitSource(
                repositoryPath: repository, revision: revision, historyCache: historyCache, walksHistory: history,
                defersContents: deferringContents
            ).read()
        case .worktree(let root, let content, let configuration):
            return try WorktreeSource(root: root, content: content, configuration: configuration, walksHistory: history).read()
        }
    }

    /// The histories of `paths` alone (paths from the repository root), for a snapshot read with
    /// `history: false`. The walk stops as soon as every one of them has met the commit that added it, so a
    /// few recent files cost a few commits, not the whole history.
    public static func histories(
        of paths: Set<String>, in snapshot: SourceSnapshot, from locator: SourceLocator
    ) throws -> [String: History] {
        // The commit the snapshot was read at (HEAD for a working tree); none outside Git or before a first commit.
        guard paths.isEmpty == false, let head = snapshot.revision?.id else { return [:] }
        let folder = snapshot.configuration.contentFolder
        switch locator {
        case .git(let repository, _):
            return try GitSource.histories(of: paths, repository: Repository.open(at: repository), folder: folder, head: head)
        case .worktree(let root, let content, _):
            guard content == nil else { return [:] }
            return try WorktreeSource(root: root).histories(of: paths, folder: folder, head: head)
        }
    }

    /// Whether a file is read as a post-mortem: Markdown (`.md`, `.markdown`, `.mdown`, `.mkd`), Quarto
    /// (`.qmd`), or a file without an extension (read only when it opens like Markdown: the parser decides).
    static func isMarkdown(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        guard let dot = name.lastIndex(of: ".") else { return name.isEmpty == false }
        return ["md", "markdown", "mdown", "mkd", "qmd"].contains(name[name.index(after: dot)...])
    }

    /// Files a page bundle may publish beside its page; never HTML or SVG, which could carry script.
    static func isResource(_ path: String) -> Bool {
        let allowed = ["png", "jpg", "jpeg", "gif", "webp", "avif", "pdf", "txt", "csv", "log", "json"]
        guard let dot = path.lastIndex(of: ".") else { return false }
        return allowed.contains(path[path.index(after: dot)...].lowercased())
    }

    static func themePath(_ path: String) -> Bool {
        path.hasPrefix("templates/") || path.hasPrefix("assets/") || path == "new.md"
    }
}
