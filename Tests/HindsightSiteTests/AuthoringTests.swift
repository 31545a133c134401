import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// `hindsight new` and `hindsight init` through the real binary, in real repositories.
@Suite("authoring: new and init")
struct AuthoringTests {
    let cli = CommandLineTests()

    /// A repository with settings and one committed post-mortem, as an archive has.
    func archive() throws -> TemporaryRepository {
        let repo = try TemporaryRepository()
        try repo.commit([
            "hindsight.yml": "title: Test archive\nseverities: [SEV1, SEV2, SEV3, SEV4]\n",
            "Content/2024/2024-03-05-cache-stampede.md": postMortem(title: "Cache stampede"),
        ])
        return repo
    }

    func read(_ repo: TemporaryRepository, _ path: String) throws -> String {
        try String(contentsOf: repo.url.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("new writes Content/YYYY/YYYY-MM-DD-<slug>.md from the method's template")
    func newWritesTheTemplate() throws {
        let repo = try archive()
        let result = try cli.run(
            ["new", "Checkout errors: after deploy", "--date", "2025-06-07", "--severity", "sev2",
             "--service", "checkout", "--service", "payments api", "--near-miss"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        let path = "Content/2025/2025-06-07-checkout-errors-after-deploy.md"
        #expect(result.stdout.contains("Created \(path)"))
        let text = try read(repo, path)
        #expect(text.hasPrefix("---\ntitle: \"Checkout errors: after deploy\"\ndate: 2025-06-07\n"))
        #expect(text.contains("\nseverity: SEV2\n"), "the severity is written in the archive's spelling")
        #expect(text.contains("\nstatus: draft\n"))
        #expect(text.contains("\nvisibility: internal\n"))
        #expect(text.contains("\nnear_miss: true\n"))
        #expect(text.contains("\nservices: [checkout, payments api]\n"))
        #expect(text.contains("# Checkout errors: after deploy\n"))
        for heading in [
            "## Summary", "## Impact", "## Timeline", "## Five Whys", "## Contributing Factors", "## What Went Well",
            "## What Went Poorly", "## Where We Got Lucky", "## Action Items", "## Lessons Learned",
        ] {
            #expect(text.contains("\n\(heading)\n"), "\(heading) is in the template")
        }
        #expect(text.contains("Blameless ground rules"))
        #expect(text.contains("| Factor | Type | Contribution |"))
        #expect(text.contains("| Action | Owner | Priority | Status |"))

        // The parser reads it as the author asked.
        let snapshot = try SourceReader.read(.worktree(root: repo.path))
        let (archive, _) = ArchiveBuilder.build(snapshot, options: ArchiveOptions(includeDrafts: true))
        let pm = try #require(archive.postMortem(id: "2025-06-07-checkout-errors-after-deploy"))
        #expect(pm.title == "Checkout errors: after deploy")
        #expect(pm.severity == "SEV2" && pm.nearMiss && pm.services == ["checkout", "payments api"])
        #expect(pm.status == .draft && pm.visibility == .internal)
    }

    @Test("what new writes passes hindsight check, as a draft and once published")
    func newPassesCheck() throws {
        let repo = try archive()
        let made = try cli.run(["new", "Ledger replica lag", "--date", "2025-02-01", "--severity", "SEV1"], in: repo.url)
        #expect(made.status == 0, "\(made.stderr)")
        let path = "Content/2025/2025-02-01-ledger-replica-lag.md"

        let draft = try cli.run(["check", "--worktree", "--strict", path], in: repo.url)
        #expect(draft.status == 0, "\(draft.stdout)\(draft.stderr)")
        #expect(draft.stdout.contains("no problems found"))

        // Even published, with its TODO placeholders still in, the template follows every rule.
        let file = repo.url.appendingPathComponent(path)
        let published = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "status: draft", with: "status: published")
        try Data(published.utf8).write(to: file)
        let checked = try cli.run(["check", "--worktree", "--strict", "--format", "json", path], in: repo.url)
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [Any]
        #expect(findings?.isEmpty == true, "\(checked.stdout)")

        // And it builds: the page is there with --drafts.
        let out = try TemporaryFolder()
        let site = out.url.appendingPathComponent("site")
        let built = try cli.run(["build", "--worktree", "--drafts", "--output", site.path], in: repo.url)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(FileManager.default.fileExists(
            atPath: site.appendingPathComponent("postmortems/2025-02-01-ledger-replica-lag/index.html").path))
    }

    @Test("new never overwrites a file")
    func newNeverOverwrites() throws {
        let repo = try archive()
        #expect(try cli.run(["new", "Cache stampede", "--date", "2024-03-05"], in: repo.url).status == 1)
        #expect(try read(repo, "Content/2024/2024-03-05-cache-stampede.md") == postMortem(title: "Cache stampede"))

        #expect(try cli.run(["new", "DNS timeouts", "--date", "2024-05-02"], in: repo.url).status == 0)
        let path = "Content/2024/2024-05-02-dns-timeouts.md"
        try repo.write(path, "my edits\n")
        let again = try cli.run(["new", "DNS timeouts", "--date", "2024-05-02"], in: repo.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try read(repo, path) == "my edits\n")
    }

    @Test("the archive's own Theme/new.md replaces the built-in template")
    func ownTemplate() throws {
        let repo = try archive()
        try repo.write(
            "Theme/new.md",
            "---\ntitle: {{title_yaml}}\ndate: {{date}}\nseverity: {{severity}}\n---\n\nOur own template for {{title}} & co.\n")
        let result = try cli.run(["new", "Queue <backlog>", "--date", "2026-01-20", "--severity", "SEV3"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try read(repo, "Content/2026/2026-01-20-queue-backlog.md")
        #expect(text == "---\ntitle: \"Queue <backlog>\"\ndate: 2026-01-20\nseverity: SEV3\n---\n\nOur own template for Queue <backlog> & co.\n")
    }

    @Test("new finds the archive from a folder inside it, and follows its content folder")
    func newFromASubfolder() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": "content: reviews\n", "reviews/a.md": postMortem(title: "A")])
        let result = try cli.run(["new", "Edge certificate expiry", "--date", "2024-04-18"], in: repo.url.appendingPathComponent("reviews"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(
            atPath: repo.url.appendingPathComponent("reviews/2024/2024-04-18-edge-certificate-expiry.md").path))
    }

    @Test("bad usage exits 2: a date that is no date, a severity off the scale")
    func newUsage() throws {
        let repo = try archive()
        let badDate = try cli.run(["new", "X", "--date", "2025-13-40"], in: repo.url)
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("is not a date"))
        let badSeverity = try cli.run(["new", "X", "--severity", "SEV9"], in: repo.url)
        #expect(badSeverity.status == 2)
        #expect(badSeverity.stderr.contains("unknown severity 'SEV9'"))
        #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("Content/2025").path) == false)
    }

    @Test("init starts an archive: settings, an example that passes check, CI files and a Git repository")
    func initStartsAnArchive() throws {
        let folder = try TemporaryFolder()
        let result = try cli.run(["init", "postmortems", "--title", "Larkspur: post-mortems", "--ci", "both"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let root = folder.url.appendingPathComponent("postmortems")
        let fm = FileManager.default
        for path in ["hindsight.yml", "README.md", ".gitignore", ".github/workflows/hindsight.yml", ".gitlab-ci.yml"] {
            #expect(fm.fileExists(atPath: root.appendingPathComponent(path).path), "\(path)")
        }
        let repository = try Repository.open(at: root.path)
        #expect(repository.isEmpty, "a new repository, with nothing committed for the author")
        let workflow = try Data(contentsOf: root.appendingPathComponent(".github/workflows/hindsight.yml"))
        #expect(workflow == (try Data(contentsOf: packageRoot().appendingPathComponent("docs/ci/github-publish.yml"))))
        let gitlab = try Data(contentsOf: root.appendingPathComponent(".gitlab-ci.yml"))
        #expect(gitlab == (try Data(contentsOf: packageRoot().appendingPathComponent("docs/ci/gitlab-publish.yml"))))

        let check = try cli.run(["check", "--worktree", "--strict"], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Checked 1 post-mortem: no problems found"), "\(check.stdout)")

        let site = folder.url.appendingPathComponent("site")
        let built = try cli.run(["build", "--worktree", "--output", site.path], in: root)
        #expect(built.status == 0, "\(built.stderr)")
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Larkspur: post-mortems"))
        #expect(index.contains("Example: search timeouts after an index settings change"))

        // A post-mortem from the template lands beside the example.
        let new = try cli.run(["new", "First incident"], in: root)
        #expect(new.status == 0, "\(new.stderr)")
    }

    @Test("init --action writes a workflow that uses that action; without it a placeholder, and a note to replace it")
    func initAction() throws {
        let folder = try TemporaryFolder()
        let named = try cli.run(["init", "named", "--action", "acme/hindsight@v1.4.0"], in: folder.url)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("replace YOUR-ORG") == false)
        let workflow = try String(
            contentsOf: folder.url.appendingPathComponent("named/.github/workflows/hindsight.yml"), encoding: .utf8)
        let published = try String(contentsOf: packageRoot().appendingPathComponent("docs/ci/github-publish.yml"), encoding: .utf8)
        #expect(workflow == published.replacingOccurrences(of: "YOUR-ORG/hindsight@v1", with: "acme/hindsight@v1.4.0"))
        #expect(workflow.components(separatedBy: "uses: acme/hindsight@v1.4.0\n").count - 1 == 4, "every job that runs hindsight")
        #expect(workflow.contains("YOUR-ORG/hindsight@v1") == false)

        let placeholder = try cli.run(["init", "placeholder"], in: folder.url)
        #expect(placeholder.status == 0)
        #expect(placeholder.stdout.contains(
            "replace YOUR-ORG/hindsight@v1 in .github/workflows/hindsight.yml with the Hindsight repository you build from"))

        let bad = try cli.run(["init", "bad", "--action", "hindsight"], in: folder.url)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--action takes OWNER/REPO@REF (e.g. acme/hindsight@v1), not 'hindsight'"))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("bad").path) == false)
    }

    @Test("init in an existing repository keeps its files and its history")
    func initKeepsWhatExists() throws {
        let repo = try TemporaryRepository()
        let head = try repo.commit(["hindsight.yml": "title: Ours\n", "README.md": "# Ours\n"])
        let result = try cli.run(["init", "--ci", "none"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kept     hindsight.yml"))
        #expect(try String(contentsOf: repo.url.appendingPathComponent("hindsight.yml"), encoding: .utf8) == "title: Ours\n")
        #expect(try String(contentsOf: repo.url.appendingPathComponent("README.md"), encoding: .utf8) == "# Ours\n")
        #expect(try Repository.open(at: repo.path).commit("HEAD").id == head)
        #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent(".github").path) == false)
        #expect(result.stdout.contains("created  a Git repository") == false)
    }
}
