import Foundation
import GitKit

/// Reads the archive from the working tree (uncommitted edits included), for previews.
///
/// History still comes from Git when the folder is inside a repository: files not yet committed have none.
struct WorktreeSource {
    let root: String
    /// A content folder read instead of the configured one, anywhere (`--content`): its files are named by
    /// this path as given, and have no history unless the folder is inside the repository at `root`.
    var content: String?
    /// A settings file read instead of `hindsight.yml` at the root (`--config`).
    var configuration: String?
    /// Whether to walk the history at all (`hindsight check` dates only the files that need it).
    var walksHistory = true

    init(root: String, content: String? = nil, configuration: String? = nil, walksHistory: Bool = true) {
        self.root = root
        self.content = content
        self.configuration = configuration
        self.walksHistory = walksHistory
    }

    func read() throws -> SourceSnapshot {
        let fm = FileManager.default
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostic.error("'\(root)' is not a folder")
        }

        // Paths in diagnostics and the export are from the repository root when there is one.
        let (repository, repoPrefix) = enclosingRepository(rootURL)

        var configuration = Configuration()
        let configURL = self.configuration.map { URL(fileURLWithPath: $0) } ?? rootURL.appendingPathComponent(Configuration.fileName)
        let settingsData = fm.contents(atPath: configURL.path)
        if let data = settingsData {
            do {
                configuration = try Configuration.parse(data, path: self.configuration ?? repoPrefix + Configuration.fileName)
            } catch {
                diagnostics.append(error)
            }
        } else if let given = self.configuration {
            throw Diagnostic.error("cannot read the settings file '\(given)'")
        }

        var folder = configuration.contentFolder
        var contentURL = folder.isEmpty ? rootURL : rootURL.appendingPathComponent(folder)
        // Paths are from the repository root (`repoPrefix` + the folder); a folder outside it keeps the path given.
        var pathPrefix = repoPrefix + (folder.isEmpty ? "" : folder + "/")
        var walks = walksHistory
        if let content {
            contentURL = URL(fileURLWithPath: content).standardizedFileURL
            guard fm.fileExists(atPath: contentURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw Diagnostic.error("the content folder '\(content)' is not a folder")
            }
            let rootPath = rootURL.resolvingSymlinksInPath().path
            let contentPath = contentURL.resolvingSymlinksInPath().path
            if repository != nil, contentPath.hasPrefix(rootPath + "/") {
                folder = String(contentPath.dropFirst(rootPath.count + 1))
                pathPrefix = repoPrefix + folder + "/"
            } else {
                folder = ""
                pathPrefix = content.hasSuffix("/") ? content : content + "/"
                walks = false
            }
            configuration.contentFolder = folder
        }
        var files: [SourceFile] = []
        var resources: [SourceFile] = []
        let contentListed = (content == nil ? Self.linkedFolder(folder, in: rootURL) : nil).map { link in
            diagnostics.append(.warning("skipped symbolic link; it is not followed", at: SourceLocation(path: repoPrefix + link)))
            return [String]()
        } ?? Self.listFiles(in: contentURL, diagnostics: &diagnostics, pathPrefix: pathPrefix)
        for relative in contentListed {
            let isMarkdown = SourceReader.isMarkdown(relative)
            guard isMarkdown || SourceReader.isResource(relative),
                let data = fm.contents(atPath: contentURL.appendingPathComponent(relative).path)
            else { continue }
            let path = pathPrefix + relative
            let file = SourceFile(path: path, contentPath: relative, blobID: nil, data: data)
            if isMarkdown { files.append(file) } else { resources.append(file) }
        }
        files.sort { $0.path < $1.path }

        var themeFiles: [String: Data] = [:]
        let themeURL = rootURL.appendingPathComponent("Theme")
        var ignored: [Diagnostic] = []
        if let link = Self.linkedFolder("Theme", in: rootURL) {
            diagnostics.append(.warning("skipped symbolic link; it is not followed", at: SourceLocation(path: repoPrefix + link)))
        }
        let themeListed = Self.linkedFolder("Theme", in: rootURL) == nil
            ? Self.listFiles(in: themeURL, diagnostics: &ignored, pathPrefix: "Theme/") : []
        for relative in themeListed where SourceReader.themePath(relative) {
            themeFiles[relative] = fm.contents(atPath: themeURL.appendingPathComponent(relative).path)
        }

        var histories: [String: History] = [:]
        var versions: [String: [FileVersion]]?
        var revision: Commit?
        if let repository, repository.isEmpty == false, let head = try? repository.commit("HEAD") {
            revision = head
            if walks {
                // One walk, as from Git: histories are each file's first and last version; insights reuse them.
                let gitFolder = repoPrefix + folder
                versions = try repository.fileVersions(
                    under: gitFolder.hasSuffix("/") ? String(gitFolder.dropLast()) : gitFolder,
                    paths: Set(files.map(\.path)), from: head.id)
                histories = versions.map(GitSource.histories(from:)) ?? [:]
            }
            if repository.isShallow {
                diagnostics.append(.warning("the repository is a shallow clone: created and updated dates may be wrong"))
            }
        }

        var snapshot = SourceSnapshot(
            revision: revision, origin: "working tree \(root)", configuration: configuration, files: files,
            themeFiles: themeFiles, histories: histories, diagnostics: diagnostics)
        snapshot.resources = resources
        snapshot.versions = versions
        snapshot.settingsData = settingsData
        if repository != nil { snapshot.blobs = BlobReader(repositoryPath: rootURL.path) }
        return snapshot
    }

    /// The histories of `paths` (from the repository root) alone, walked from `head`, `folder` being the
    /// content folder below `root`; none outside a repository.
    func histories(of paths: Set<String>, folder: String, head: ObjectID) throws -> [String: History] {
        let (repository, repoPrefix) = enclosingRepository(URL(fileURLWithPath: root).standardizedFileURL)
        guard let repository else { return [:] }
        return try Self.histories(of: paths, repository: repository, gitFolder: repoPrefix + folder, head: head)
    }

    /// The repository the folder is in, if any, and the folder's path from its root (with a trailing slash, or "").
    private func enclosingRepository(_ rootURL: URL) -> (Repository?, String) {
        let repository = try? Repository.open(at: rootURL.path)
        var repoPrefix = ""
        if let workdir = repository?.workdir {
            let workdirPath = URL(fileURLWithPath: workdir).standardizedFileURL.resolvingSymlinksInPath().path
            let rootPath = rootURL.resolvingSymlinksInPath().path
            if rootPath.hasPrefix(workdirPath), rootPath != workdirPath {
                repoPrefix = String(rootPath.dropFirst(workdirPath.count + 1)) + "/"
            }
        }
        return (repository, repoPrefix)
    }

    /// The walk, as a Git source makes it, over the content folder's path from the repository root.
    private static func histories(
        of paths: Set<String>, repository: Repository, gitFolder: String, head: ObjectID
    ) throws -> [String: History] {
        try GitSource.histories(
            of: paths, repository: repository, folder: gitFolder.hasSuffix("/") ? String(gitFolder.dropLast()) : gitFolder,
            head: head)
    }

    /// The first part of `folder` (a path below `root`) that is a symbolic link, or nil: the content folder
    /// or `Theme/` pointing elsewhere would publish whatever is there.
    static func linkedFolder(_ folder: String, in root: URL) -> String? {
        var url = root
        var path: [String] = []
        for part in folder.split(separator: "/").map(String.init) {
            url.appendPathComponent(part)
            path.append(part)
            let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
            if type == .typeSymbolicLink { return path.joined(separator: "/") }
        }
        return nil
    }

    /// Regular files below `folder`, relative to it; symbolic links and submodules are reported and never followed.
    static func listFiles(in folder: URL, diagnostics: inout [Diagnostic], pathPrefix: String) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func visit(_ url: URL, relative: String) {
            guard let names = try? fm.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() where name.hasPrefix(".") == false {
                let child = url.appendingPathComponent(name)
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                guard let attributes = try? fm.attributesOfItem(atPath: child.path),
                    let type = attributes[.type] as? FileAttributeType
                else { continue }
                switch type {
                case .typeSymbolicLink:
                    diagnostics.append(
                        .warning("skipped symbolic link; it is not followed", at: SourceLocation(path: pathPrefix + childRelative)))
                case .typeDirectory:
                    // A submodule's checkout (it has a `.git` of its own) is another repository: skipped, as
                    // in a build from Git, where it is only a commit id.
                    if fm.fileExists(atPath: child.appendingPathComponent(".git").path) {
                        diagnostics.append(
                            .warning("skipped submodule; it is not followed", at: SourceLocation(path: pathPrefix + childRelative)))
                    } else {
                        visit(child, relative: childRelative)
                    }
                case .typeRegular:
                    out.append(childRelative)
                default:
                    break
                }
            }
        }
        visit(folder, relative: "")
        return out
    }
}
