import Foundation
import TestSupport
import Testing

/// Nothing is lost: reading the archive never changes it, and a build that fails for any reason leaves the
/// previous site byte for byte as it was.
@Suite("Nothing is lost")
struct NothingLostTests {
    /// A file's bytes, permissions and modification time: what a write of any kind would change.
    struct FileState: Equatable, CustomStringConvertible {
        var data: Data?
        var permissions: Int
        var modified: Date
        var description: String { "\(data?.count ?? -1) bytes, mode \(String(permissions, radix: 8)), modified \(modified)" }
    }

    /// Every file, folder and link below `root` (hidden ones and `.git` included), with its state.
    func state(of root: URL) throws -> [String: FileState] {
        var out: [String: FileState] = [:]
        let fm = FileManager.default
        for case let relative as String in fm.enumerator(atPath: root.path) ?? FileManager.DirectoryEnumerator() {
            let path = root.appendingPathComponent(relative).path
            let attributes = try fm.attributesOfItem(atPath: path)
            let isFile = attributes[.type] as? FileAttributeType == .typeRegular
            out[relative] = FileState(
                data: isFile ? fm.contents(atPath: path) : nil,
                permissions: (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0,
                modified: attributes[.modificationDate] as? Date ?? .distantPast)
        }
        return out
    }

    /// The differences between two states, for a readable failure.
    func changes(_ before: [String: FileState], _ after: [String: FileState]) -> [String] {
        Set(before.keys).union(after.keys).sorted().compactMap { path in
            before[path] == after[path] ? nil : "\(path): \(before[path]?.description ?? "absent") → \(after[path]?.description ?? "absent")"
        }
    }

    @Test("build, check and report never write into the archive's repository or working tree")
    func readingChangesNothing() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": "title: Ours\n", "Content/a.md": postMortem(title: "Alpha")])
        try repo.commit(["Content/b.md": postMortem(title: "Beta")])
        // An uncommitted edit and an untracked file, as a working tree usually has.
        try repo.write("Content/a.md", postMortem(title: "Alpha, edited"))
        try repo.write("Content/c.md", postMortem(title: "Gamma, untracked"))
        let before = try state(of: repo.url)
        #expect(before.keys.contains(".git/index") && before.keys.contains(".git/HEAD"))

        let out = try TemporaryFolder()
        let commands: [[String]] = [
            ["build", "--repo", repo.path, "--output", out.url.appendingPathComponent("one").path],
            ["build", "--worktree", "--repo", repo.path, "--output", out.url.appendingPathComponent("two").path],
            ["build", "--public", "--repo", repo.path, "--ref", "HEAD~1", "--output", out.url.appendingPathComponent("three").path],
            ["check", "--repo", repo.path],
            ["check", "--worktree", "--repo", repo.path],
            ["check", "--repo", repo.path, "--changed-since", "HEAD~1"],
            ["report", "--repo", repo.path],
        ]
        for command in commands {
            let run = try HindsightCommand.run(command, in: out.url)
            #expect(run.status == 0 || (command[0] == "check" && run.status == 1), "\(command): \(run.stderr)")
            let after = try state(of: repo.url)
            #expect(after == before, "\(command.joined(separator: " ")) changed: \(changes(before, after))")
        }
    }

    @Test("a build that fails (content, repository or writing) leaves the previous site byte-identical, with nothing left over")
    func failedBuildsKeepThePreviousSite() throws {
        let repo = try TemporaryRepository()
        let first = try repo.commit(["Content/a.md": postMortem(title: "Alpha"), "Content/b/index.md": postMortem(title: "Bundle")])
        let out = try TemporaryFolder()
        let site = out.url.appendingPathComponent("_site")
        let build = ["build", "--repo", repo.path, "--output", site.path]
        #expect(try HindsightCommand.run(build, in: out.url).status == 0)
        let published = try state(of: site)
        let beside = try FileManager.default.contentsOfDirectory(atPath: out.url.path).sorted()

        // Content errors (caught before anything is written), a write-stage refusal (two attachments that
        // differ only by case, caught after the new site was started), and a damaged repository.
        try repo.commit(["Content/a.md": "---\nseverity: SEV9\n---\n"])
        let content = try HindsightCommand.run(build, in: out.url)
        #expect(content.status == 1 && content.stderr.contains("left untouched"), "\(content.stderr)")
        #expect(changes(published, try state(of: site)).isEmpty)

        try repo.commit(["Content/a.md": postMortem(title: "Alpha"), "Content/b/Plan.png": "one", "Content/b/plan.png": "two"])
        let writing = try HindsightCommand.run(build, in: out.url)
        #expect(writing.status == 1 && writing.stderr.contains("differ only by case"), "\(writing.stderr)")
        #expect(changes(published, try state(of: site)).isEmpty)

        let damaged = try repo.commit(["Content/b/plan.png": nil])
        try FileManager.default.removeItem(at: repo.gitFolder.appendingPathComponent("objects/\(damaged.hex.prefix(2))/\(damaged.hex.dropFirst(2))"))
        let repository = try HindsightCommand.run(build, in: out.url)
        #expect(repository.status == 1 && repository.stderr.contains("missing"), "\(repository.stderr)")
        #expect(changes(published, try state(of: site)).isEmpty)

        // No staging or retired folders are left beside the site.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.url.path).sorted() == beside)
        #expect(try HindsightCommand.run(build + ["--ref", first.hex], in: out.url).status == 0)
    }

    @Test("a build into the archive's own folder, a folder above it, or a Git checkout is refused and changes nothing")
    func outputThatHoldsTheArchiveIsRefused() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "Alpha")])
        let checkout = try TemporaryFolder()
        try Data("keep".utf8).write(to: checkout.url.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: checkout.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let cases: [(output: String, worktree: Bool, says: String)] = [
            (".", false, "the archive"),
            (".", true, "the archive"),
            ("..", false, "the archive"),
            (checkout.url.path, false, "a Git repository"),
        ]
        for item in cases {
            let before = (try state(of: repo.url), try state(of: checkout.url))
            let run = try HindsightCommand.run(
                ["build", "--repo", ".", "--output", item.output] + (item.worktree ? ["--worktree"] : []), in: repo.url)
            #expect(run.status == 1, "\(item.output): \(run.stdout)")
            #expect(run.stderr.contains("refusing to publish into") && run.stderr.contains(item.says), "\(run.stderr)")
            #expect(changes(before.0, try state(of: repo.url)).isEmpty)
            #expect(changes(before.1, try state(of: checkout.url)).isEmpty)
        }
        // The usual place inside the repository is fine.
        #expect(try HindsightCommand.run(["build", "--repo", ".", "--output", "_site"], in: repo.url).status == 0)
    }
}
