import Foundation
import GitKit

/// What `hindsight check` is asked to do.
public struct CheckRequest: Sendable {
    /// Where to read the archive: a revision of a repository, or the working tree.
    public var source: SourceLocator
    /// Files or folders to check, as given on the command line (relative to `workingDirectory` or the repository root); empty checks all.
    public var paths: [String]
    /// Check only post-mortems added or changed since the merge base of this revision and the checked one.
    public var changedSince: String?
    /// The folder relative paths are resolved against.
    public var workingDirectory: String
    /// Accepted findings to leave out of the result (`--baseline`).
    public var baseline: Baseline?
    /// Whether to record every finding as a baseline in the report (`--write-baseline`).
    public var recordBaseline: Bool

    public init(
        source: SourceLocator, paths: [String] = [], changedSince: String? = nil,
        workingDirectory: String = FileManager.default.currentDirectoryPath, baseline: Baseline? = nil,
        recordBaseline: Bool = false
    ) {
        self.source = source
        self.paths = paths
        self.changedSince = changedSince
        self.workingDirectory = workingDirectory
        self.baseline = baseline
        self.recordBaseline = recordBaseline
    }
}

/// What a check found, with what is needed to report it.
public struct CheckReport: Sendable {
    public var result: LintResult
    /// The rules that ran (with their default severities), for SARIF's rule list.
    public var rules: [RuleDescriptor]
    /// The commit checked, when read from Git.
    public var revision: Commit?
    /// The merge base `--changed-since` compared against.
    public var mergeBase: ObjectID?
    /// Wall-clock seconds the check took.
    public var seconds: Double
    /// How many findings the request's baseline hid (left out of `result`).
    public var baselined = 0
    /// Whether the request had a baseline.
    public var usedBaseline = false
    /// Every finding, the baselined ones too, as a baseline: set when the request asks to record one.
    public var recorded: Baseline?
}

/// A request that cannot be carried out as asked (a path that is no post-mortem, a revision that does not exist).
public struct CheckUsageError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Runs a whole check: reads the archive, its settings and its people, selects the files, lints them.
public enum Checker {
    /// Reads, selects and checks. Throws `CheckUsageError` for requests that cannot be carried out, and
    /// Git errors for repositories that cannot be read.
    public static func run(_ request: CheckRequest) throws -> CheckReport {
        let clock = ContinuousClock()
        let start = clock.now
        // No history walk up front: only a checked file that gives no date of its own needs one
        // (`completeness/date`), and the walk stops once those few are dated.
        let snapshot = try SourceReader.read(request.source, history: false)
        let place = try Place(request.source)

        // The check's own settings live beside the site's in hindsight.yml.
        var settings = LintConfiguration()
        var settingsFindings: [Finding] = []
        if let data = snapshot.settingsData {
            (settings, settingsFindings) = LintConfiguration.parse(data, path: place.configurationPath)
        }

        var authors: [CommitAuthor] = []
        if settings.peopleFromHistory, let repository = place.repository, let revision = snapshot.revision {
            authors = try repository.authors(from: revision.id)
        }
        let people = PeopleDirectory(authors: authors, configured: settings.people, allowed: settings.allowedWords)
        let context = LintContext(configuration: snapshot.configuration, settings: settings, people: people)

        var selected: Set<String>?
        var mergeBase: ObjectID?
        if let since = request.changedSince {
            let changes = try place.changes(since: since, snapshot: snapshot)
            mergeBase = changes.base
            // A change to hindsight.yml can change every file's findings: check them all.
            if changes.paths.contains(place.configurationPath) == false { selected = changes.paths }
        }
        if request.paths.isEmpty == false {
            let wanted = try place.select(request.paths, from: snapshot, workingDirectory: request.workingDirectory)
            selected = selected.map { $0.intersection(wanted) } ?? wanted
        }

        let linter = Linter(context: context)
        var result = try linter.check(snapshot, only: selected) { undated in
            try SourceReader.histories(of: undated, in: snapshot, from: request.source)
        }
        for finding in settingsFindings {
            guard let descriptor = RuleCatalog.descriptor(finding.ruleID),
                case .severity(let severity) = settings.level(for: descriptor)
            else { continue }
            var copy = finding
            copy.severity = severity
            result.findings.append(copy)
        }
        if settingsFindings.isEmpty == false { result.findings.sort() }

        var baselined = 0
        var recorded: Baseline?
        if request.baseline != nil || request.recordBaseline {
            var files: [String: Data] = [:]
            for file in snapshot.files { files[file.path] = file.data }
            if let data = snapshot.settingsData { files[place.configurationPath] = data }
            let texts = BaselineTexts(files: files)
            if request.recordBaseline { recorded = Baseline(findings: result.findings, texts: texts) }
            if let baseline = request.baseline {
                (result.findings, baselined) = baseline.filter(result.findings, texts: texts)
            }
        }
        let elapsed = clock.now - start
        return CheckReport(
            result: result, rules: linter.enabledRules, revision: snapshot.revision, mergeBase: mergeBase,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            baselined: baselined, usedBaseline: request.baseline != nil, recorded: recorded)
    }
}

/// Where the archive is: its repository (when there is one), the folder paths are relative to, and how to read hindsight.yml.
private struct Place {
    let source: SourceLocator
    let repository: Repository?
    /// The working tree root of the repository (or the worktree folder outside Git), with no trailing slash.
    let root: String?
    /// For `--worktree` below the repository root: the folder's path from the root, with a trailing slash.
    let prefix: String

    init(_ source: SourceLocator) throws {
        self.source = source
        switch source {
        case .git(let path, _):
            let repository = try Repository.open(at: path)
            self.repository = repository
            root = repository.workdir.map { Self.canonical($0) }
            prefix = ""
        case .worktree(let path, _, _):
            let folder = Self.canonical(path)
            repository = try? Repository.open(at: folder)
            if let workdir = repository?.workdir.map({ Self.canonical($0) }), folder.hasPrefix(workdir + "/") {
                prefix = String(folder.dropFirst(workdir.count + 1)) + "/"
                root = workdir
            } else {
                prefix = ""
                root = repository?.workdir.map { Self.canonical($0) } ?? folder
            }
        }
    }

    /// hindsight.yml's path from the repository root, as findings name it.
    var configurationPath: String { prefix + Configuration.fileName }

    /// The files added or changed between the merge base of `revision` and what is checked.
    func changes(since revision: String, snapshot: SourceSnapshot) throws -> (base: ObjectID, paths: Set<String>) {
        guard let repository else {
            throw CheckUsageError("--changed-since needs a Git repository; '\(sourcePath)' is not inside one")
        }
        guard let head = snapshot.revision else {
            throw CheckUsageError("--changed-since needs at least one commit in the repository")
        }
        let other: Commit
        do {
            other = try repository.commit(revision)
        } catch let error as GitError where error.kind == .revisionNotFound {
            throw CheckUsageError(
                "revision '\(revision)' does not exist\(repository.isShallow ? " in this shallow clone" : ""); "
                    + "fetch it first (in CI: a full-depth checkout, fetch-depth: 0)")
        }
        guard let base = try repository.mergeBase(other.id, head.id) else {
            throw CheckUsageError(
                repository.isShallow
                    ? "no common history with '\(revision)' in this shallow clone; fetch the full history (fetch-depth: 0)"
                    : "'\(revision)' and the checked revision have no common history")
        }
        switch source {
        case .git:
            return (base, Set(try repository.changedPaths(from: base, to: head.id)))
        case .worktree:
            // The working tree is compared with the merge base file by file: uncommitted edits count as changes.
            var paths = Set<String>()
            let committed = try repository.blobIDs(in: base, under: "")
            for file in snapshot.files {
                if try repository.blobID(hashing: file.data) != committed[file.path] { paths.insert(file.path) }
            }
            if let data = snapshot.settingsData {
                if try repository.blobID(hashing: data) != committed[configurationPath] { paths.insert(configurationPath) }
            }
            return (base, paths)
        }
    }

    /// The post-mortems that `arguments` (files or folders) name.
    func select(_ arguments: [String], from snapshot: SourceSnapshot, workingDirectory: String) throws -> Set<String> {
        var selected = Set<String>()
        for argument in arguments {
            let path = relative(argument, workingDirectory: workingDirectory)
            let matches = snapshot.files.map(\.path).filter { path.isEmpty || $0 == path || $0.hasPrefix(path + "/") }
            if matches.isEmpty {
                throw CheckUsageError(
                    "'\(argument)' is not a post-mortem or a folder of post-mortems under \(prefix)\(snapshot.configuration.contentFolder)/")
            }
            selected.formUnion(matches)
        }
        return selected
    }

    /// An argument as a path from the repository root: arguments that exist on disk are taken from the
    /// working directory, others as already relative to the root (a file at a revision need not be checked out).
    private func relative(_ argument: String, workingDirectory: String) -> String {
        var trimmed = argument
        while trimmed.hasSuffix("/"), trimmed.count > 1 { trimmed.removeLast() }
        let absolute = trimmed.hasPrefix("/") ? trimmed : URL(fileURLWithPath: workingDirectory).appendingPathComponent(trimmed).path
        if let root, FileManager.default.fileExists(atPath: absolute) {
            let resolved = Self.canonical(absolute)
            if resolved == root { return "" }
            if resolved.hasPrefix(root + "/") { return String(resolved.dropFirst(root.count + 1)) }
        }
        return trimmed.hasPrefix("./") ? String(trimmed.dropFirst(2)) : trimmed
    }

    private var sourcePath: String {
        switch source {
        case .git(let path, _), .worktree(let path, _, _): return path
        }
    }

    /// An absolute path with symbolic links resolved and no trailing slash.
    static func canonical(_ path: String) -> String {
        var resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        while resolved.hasSuffix("/"), resolved.count > 1 { resolved.removeLast() }
        return resolved
    }
}
