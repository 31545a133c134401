import Foundation
import GitKit
import TestSupport
import Testing

/// What `hindsight build` does with a repository in every state a user's can be in: a clear message and
/// exit status 1 when it cannot be read, a build (with a warning where dates may be wrong) when it can.
@Suite("Git faults")
struct GitFaultTests {
    /// Where each test's site goes; removed with the suite's instance.
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// Runs `hindsight build` on `repository` into a fresh `_site` folder of its own.
    func build(_ repository: String, _ arguments: [String] = []) throws -> (CommandRun, URL) {
        let site = folder.url.appendingPathComponent("site-\(UUID().uuidString)")
        let run = try HindsightCommand.run(["build", "--repo", repository, "--output", site.path] + arguments, in: folder.url)
        return (run, site)
    }

    /// The loose object file of `id`: `objects/ab/cdef…` under the Git folder.
    func looseObject(_ id: ObjectID, in repo: TemporaryRepository) -> URL {
        repo.gitFolder.appendingPathComponent("objects/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))")
    }

    /// Asserts a failed run: exit 1, an `error:` line with every one of `phrases`, no crash and no site.
    func expectFailure(_ run: CommandRun, site: URL, saying phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "exit status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        let errorLine = run.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") } ?? ""
        for phrase in phrases {
            #expect(errorLine.contains(phrase), "'\(phrase)' not in: \(run.stderr)", sourceLocation: sourceLocation)
        }
        #expect(run.stderr.contains("Fatal error") == false && run.stderr.contains("Stack dump") == false,
            "crashed: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(FileManager.default.fileExists(atPath: site.path) == false, "nothing is written", sourceLocation: sourceLocation)
    }

    @Test("a folder that is not a repository")
    func notARepository() throws {
        let plain = try TemporaryFolder()
        let (run, site) = try build(plain.url.path)
        expectFailure(run, site: site, saying: ["not inside a Git repository", plain.url.path])
    }

    @Test("an empty repository, with no commit yet")
    func emptyRepository() throws {
        let repo = try TemporaryRepository()
        let (run, site) = try build(repo.path)
        expectFailure(run, site: site, saying: ["has no commits yet"])
    }

    @Test("a revision that does not exist, and one that names a file rather than a commit")
    func missingRevision() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A")])
        let (missing, site) = try build(repo.path, ["--ref", "v9.9"])
        expectFailure(missing, site: site, saying: ["revision 'v9.9' does not exist"])
        let (blob, blobSite) = try build(repo.path, ["--ref", "HEAD:Content/a.md"])
        expectFailure(blob, site: blobSite, saying: ["HEAD:Content/a.md", "not a commit"])
    }

    @Test("a detached HEAD builds the commit it points at")
    func detachedHead() throws {
        let repo = try TemporaryRepository()
        let first = try repo.commit(["Content/a.md": postMortem(title: "Detached alpha")])
        try repo.commit(["Content/b.md": postMortem(title: "Later beta")])
        try Data((first.hex + "\n").utf8).write(to: repo.gitFolder.appendingPathComponent("HEAD"))
        let (run, site) = try build(repo.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Built 1 post-mortem,"))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Detached alpha"))
        #expect(index.contains("Later beta") == false)
    }

    @Test("a bare repository builds")
    func bareRepository() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "Bare alpha")])
        let (run, site) = try build(try repo.bareClone().path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "no warning for a bare repository: \(run.stderr)")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("Bare alpha"))
    }

    @Test("a shallow clone builds, and warns that dates may be wrong")
    func shallowClone() throws {
        // What `git clone --depth 1` leaves: the tip's parent is named but absent, and `shallow` lists the tip.
        let repo = try TemporaryRepository()
        let first = try repo.commit(["Content/a.md": postMortem(title: "Shallow alpha")])
        let tip = try repo.commit(["Content/b.md": postMortem(title: "Shallow beta")])
        try FileManager.default.removeItem(at: looseObject(first, in: repo))
        try Data((tip.hex + "\n").utf8).write(to: repo.gitFolder.appendingPathComponent("shallow"))

        let (run, site) = try build(repo.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Built 2 post-mortems,"), "\(run.stdout)")
        #expect(run.stderr.contains("warning: the repository is a shallow clone: created and updated dates may be wrong"))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Shallow alpha") && index.contains("Shallow beta"))
    }

    @Test("a corrupt object: exit 1 naming the object and the file, and a hint to run git fsck")
    func corruptObject() throws {
        let repo = try TemporaryRepository()
        let commit = try repo.commit(["Content/a.md": postMortem(title: "A"), "Content/b.md": postMortem(title: "B")])
        let blob = try #require(try repo.repository.entries(in: commit, under: "Content").first { $0.path == "Content/b.md" })
        let file = looseObject(blob.id, in: repo)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try Data("this is not a zlib stream".utf8).write(to: file)
        let (run, site) = try build(repo.path)
        expectFailure(run, site: site, saying: ["Content/b.md", blob.id.short, "git fsck"])
        // The pull-request gate says the same, as "could not run" (2), not as a finding in the content.
        let check = try HindsightCommand.run(["check", "--repo", repo.path], in: folder.url)
        #expect(check.status == 2, "\(check.stderr)")
        #expect(check.stderr.contains("Content/b.md: object \(blob.id.short) cannot be read"), "\(check.stderr)")
    }

    @Test("a missing object: exit 1 naming the object and the file, and a hint to run git fsck")
    func missingObject() throws {
        let repo = try TemporaryRepository()
        let commit = try repo.commit(["Content/a.md": postMortem(title: "A"), "Content/b.md": postMortem(title: "B")])
        let blob = try #require(try repo.repository.entries(in: commit, under: "Content").first { $0.path == "Content/a.md" })
        try FileManager.default.removeItem(at: looseObject(blob.id, in: repo))
        let (run, site) = try build(repo.path)
        expectFailure(run, site: site, saying: ["Content/a.md", blob.id.short, "missing", "git fsck"])
        let check = try HindsightCommand.run(["check", "--repo", repo.path], in: folder.url)
        #expect(check.status == 2, "\(check.stderr)")
        #expect(check.stderr.contains("Content/a.md: object \(blob.id.short) is missing"), "\(check.stderr)")
    }

    @Test("a rebuild reads only the files its parse cache lacks: an unchanged file's lost object goes unnoticed until its cached parse is lost too")
    func rebuildReadsOnlyUncachedFiles() throws {
        let repo = try TemporaryRepository()
        let commit = try repo.commit([
            "Content/a.md": postMortem(title: "Kept alpha"), "Content/b.md": postMortem(title: "Changed beta"),
        ])
        let site = folder.url.appendingPathComponent("site")
        let build = { try HindsightCommand.run(["build", "--repo", repo.path, "--output", site.path], in: self.folder.url) }
        #expect(try build().status == 0)
        let alpha = try #require(try repo.repository.entries(in: commit, under: "Content").first { $0.path == "Content/a.md" })
        try repo.commit(["Content/b.md": postMortem(title: "Changed beta again")])
        try FileManager.default.removeItem(at: looseObject(alpha.id, in: repo))

        // a.md is unchanged: its parse comes from the cache and its object is never looked for.
        let rebuild = try build()
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        let page = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("Kept alpha") && page.contains("Changed beta again"))

        // With its cached parse gone as well, the file must be read: the damage is reported, naming it, and the
        // site is left as it was.
        let cache = folder.url.appendingPathComponent(".site.cache/parse")
        try FileManager.default.removeItem(at: cache)
        let failed = try build()
        #expect(failed.status == 1)
        let errorLine = failed.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") } ?? ""
        #expect(errorLine.contains("Content/a.md") && errorLine.contains(alpha.id.short) && errorLine.contains("git fsck"), "\(failed.stderr)")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("Changed beta again"))
    }

    @Test("HEAD naming a commit that is missing is damage, not an unknown revision")
    func missingHeadCommit() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A")])
        let head = try repo.commit(["Content/b.md": postMortem(title: "B")])
        try FileManager.default.removeItem(at: looseObject(head, in: repo))
        let (run, site) = try build(repo.path)
        expectFailure(run, site: site, saying: ["object \(head.short) is missing", "git fsck"])
    }

    @Test("a commit missing from history (not a shallow clone) is an error, not silently shorter history")
    func missingCommitInHistory() throws {
        let repo = try TemporaryRepository()
        let first = try repo.commit(["Content/a.md": postMortem(title: "A")])
        try repo.commit(["Content/b.md": postMortem(title: "B")])
        try FileManager.default.removeItem(at: looseObject(first, in: repo))
        let (run, site) = try build(repo.path)
        expectFailure(run, site: site, saying: [first.short, "missing", "git fsck"])
    }
}
