import Foundation
import TestSupport
import Testing

/// The real `hindsight` binary: exit codes, the summary line and compiler-style diagnostics.
@Suite("hindsight command line")
struct CommandLineTests {


    func run(_ arguments: [String], in folder: URL) throws -> CommandRun {
        try HindsightCommand.run(arguments, in: folder)
    }

    @Test("a build prints one summary line and exits 0")
    func success() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A"), "Content/b.md": postMortem(title: "B")])
        let out = try TemporaryFolder()
        let result = try run(["build", "--repo", repo.path, "--output", out.url.appendingPathComponent("site").path], in: out.url)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Built 2 post-mortems,"))
        #expect(result.stdout.contains("pages in"))
        #expect(result.stdout.contains(out.url.appendingPathComponent("site").path))
        #expect(result.stderr.isEmpty, "no progress bar or colour when not on a terminal")
        #expect(FileManager.default.fileExists(atPath: out.url.appendingPathComponent("site/index.html").path))
    }

    @Test("content errors exit 1 with path:line:col diagnostics")
    func contentErrors() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": "---\nseverity: SEV9\n---\n# A\n"])
        let out = try TemporaryFolder()
        let result = try run(["build", "--repo", repo.path, "--output", out.url.appendingPathComponent("site").path], in: out.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Content/a.md:2:11: error: unknown severity 'SEV9'"))
        #expect(result.stderr.contains("left untouched"))
        #expect(FileManager.default.fileExists(atPath: out.url.appendingPathComponent("site").path) == false)
    }

    @Test("Git problems exit 1 with a clear message")
    func gitErrors() throws {
        let out = try TemporaryFolder()
        let notRepo = try run(["build", "--repo", out.url.path], in: out.url)
        #expect(notRepo.status == 1)
        #expect(notRepo.stderr.contains("not inside a Git repository"))

        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A")])
        let badRef = try run(["build", "--repo", repo.path, "--ref", "nope"], in: out.url)
        #expect(badRef.status == 1)
        #expect(badRef.stderr.contains("revision 'nope' does not exist"))
    }

    @Test("bad usage exits 2 and says why")
    func usage() throws {
        let out = try TemporaryFolder()
        let both = try run(["build", "--worktree", "--ref", "HEAD"], in: out.url)
        #expect(both.status == 2)
        #expect(both.stderr.contains("--worktree and --ref cannot be used together"))
        let unknown = try run(["build", "--no-such-flag"], in: out.url)
        #expect(unknown.status == 2)
        let help = try run(["build", "--help"], in: out.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--base-url"))
    }
}
