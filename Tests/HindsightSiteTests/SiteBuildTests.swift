import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

@Suite("Site build")
struct SiteBuildTests {
    @Test("a bare repository builds, and --ref builds an older revision")
    func bareAndRevision() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/2024-01-02-first.md": postMortem(title: "First outage", date: "2024-01-02")])
        try repo.commit(["Content/2024-02-03-second.md": postMortem(title: "Second outage", date: "2024-02-03")])
        let bare = try repo.bareClone()

        let out = try TemporaryFolder()
        let (head, report) = try buildSite(.git(repository: bare.path, revision: "HEAD"), into: out)
        #expect(report.postMortems == 2)
        #expect(head.exists("postmortems/2024-02-03-second/index.html"))

        let older = try TemporaryFolder()
        let (previous, _) = try buildSite(.git(repository: bare.path, revision: "HEAD~1"), into: older)
        #expect(previous.exists("postmortems/2024-01-02-first/index.html"))
        #expect(previous.exists("postmortems/2024-02-03-second/index.html") == false)
    }

    @Test("history: created, updated and revisions appear on the page and in the export")
    func history() throws {
        let repo = try TemporaryRepository(start: Date(timeIntervalSince1970: 1_704_067_200))  // 2024-01-01
        let added = try repo.commit(["Content/a.md": postMortem(title: "A")])
        try repo.commit(["Content/b.md": postMortem(title: "B")])
        let changed = try repo.commit(["Content/a.md": postMortem(title: "A", body: "## Lessons\n\nMore.")])

        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        let a = try #require(entries.first { $0["id"] as? String == "a" })
        let history = try #require(a["history"] as? [String: Any])
        #expect(history["revisions"] as? Int == 2)
        #expect(history["created_commit"] as? String == added.hex)
        #expect(history["updated_commit"] as? String == changed.hex)
        #expect(history["created"] as? String == "2024-01-01T00:00:00Z")
        #expect(history["updated"] as? String == "2024-01-01T02:00:00Z")
        let page = try site.page("postmortems/a/index.html")
        #expect(page.contains(added.short))
        #expect(page.contains(changed.short))
    }

    @Test("errors are reported with path:line:col and leave the previous output untouched")
    func errorsKeepPreviousOutput() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/good.md": postMortem(title: "Good")])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let before = try site.page("index.html")

        try repo.commit([
            "Content/bad-yaml.md": "---\ntitle: [unclosed\n---\n\n# x\n",
            "Content/bad-date.md": "---\ntitle: Bad date\ndate: 2024-13-45\n---\n",
            "Content/one/dup.md": postMortem(title: "Dup one"),
            "Content/two/dup.md": postMortem(title: "Dup two"),
        ])
        do {
            _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
            Issue.record("the build must fail")
        } catch let failure as BuildFailure {
            let text = failure.diagnostics.map(\.description)
            #expect(text.contains { $0.hasPrefix("Content/bad-date.md:3:7: error:") && $0.contains("2024-13-45") })
            #expect(text.contains { $0.hasPrefix("Content/bad-yaml.md:") && $0.contains("error: invalid YAML") })
            #expect(text.contains { $0.hasPrefix("Content/one/dup.md:1:1: error: duplicate id 'dup'") && $0.contains("Content/two/dup.md") })
            #expect(text.contains { $0.hasPrefix("Content/two/dup.md:1:1: error: duplicate id 'dup'") && $0.contains("Content/one/dup.md") })
        }
        #expect(try site.page("index.html") == before)
        #expect(site.exists("postmortems/good/index.html"))
    }

    @Test("a rebuild keeps unchanged files (same inode) and rewrites only what changed")
    func unchangedFilesAreNotRewritten() throws {
        let repo = try TemporaryRepository()
        // Unrelated incidents (other service, other factor type), so neither page mentions the other.
        let a = postMortem(title: "A", date: "2021-01-01", services: ["dns"], factorType: "Technical")
            .replacingOccurrences(of: "The canary did not cover the path", with: "Zone transfer stalled on one resolver")
        try repo.commit(["Content/a.md": a, "Content/b.md": postMortem(title: "B")])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        func inode(_ path: String) throws -> UInt64 {
            let attributes = try FileManager.default.attributesOfItem(atPath: site.root.appendingPathComponent(path).path)
            return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        let styleBefore = try inode("assets/style.css")
        let aBefore = try inode("postmortems/a/index.html")
        let bBefore = try inode("postmortems/b/index.html")

        try repo.commit(["Content/b.md": postMortem(title: "B, revised")])
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        #expect(try inode("assets/style.css") == styleBefore)
        #expect(try inode("postmortems/a/index.html") == aBefore)
        #expect(try inode("postmortems/b/index.html") != bBefore)
        #expect(try site.page("postmortems/b/index.html").contains("B, revised"))
    }

    @Test("--base-url with a sub-path makes every link absolute under it")
    func baseURL() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A")])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out, baseURL: "/org/archive")
        let page = try site.page("postmortems/a/index.html")
        #expect(page.contains("href=\"/org/archive/assets/style.css\""))
        #expect(page.contains("href=\"/org/archive/services/checkout/\""))
        #expect(page.contains("href=\"/org/archive/factors/process/\""))
        #expect(try site.page("index.html").contains("href=\"/org/archive/postmortems/a/\""))
        #expect(page.contains("href=\"../") == false)
    }

    @Test("the archive's Theme/ overrides a template and an asset; the rest stays built in")
    func themeOverride() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "Content/a.md": postMortem(title: "A"),
            "Theme/templates/footer.mustache": "<footer>Our own footer {{site.title}}</footer></main></body></html>",
            "Theme/assets/style.css": "body { color: rebeccapurple }",
            "hindsight.yml": "title: Acme incidents\n",
        ])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let index = try site.page("index.html")
        #expect(index.contains("Our own footer Acme incidents"))
        #expect(index.contains("<nav"))
        #expect(try site.page("assets/style.css") == "body { color: rebeccapurple }")
    }

    @Test("--worktree builds uncommitted edits; the commit build does not see them")
    func worktree() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "Committed")])
        try repo.write("Content/b.md", postMortem(title: "Uncommitted draft of B"))
        let out = try TemporaryFolder()
        let (site, report) = try buildSite(.worktree(root: repo.path), into: out)
        #expect(report.postMortems == 2)
        #expect(try site.page("postmortems/b/index.html").contains("Uncommitted draft of B"))
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        let b = try #require(entries.first { $0["id"] as? String == "b" })
        #expect((b["history"] as? [String: Any])?["revisions"] as? Int == 0)
        let a = try #require(entries.first { $0["id"] as? String == "a" })
        #expect((a["history"] as? [String: Any])?["revisions"] as? Int == 1)

        let committed = try TemporaryFolder()
        let (_, gitReport) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: committed)
        #expect(gitReport.postMortems == 1)
    }

    @Test("HTML in titles, services, factors and owners is escaped everywhere")
    func escaping() throws {
        let repo = try TemporaryRepository()
        let hostile = """
            ---
            title: "<script>alert('t')</script>"
            services: ["\\"><img src=x onerror=alert(1)>"]
            owner_team: "<b>team</b>"
            ---

            ## Summary

            <script>alert('body')</script> and [link](javascript:alert(1)).

            ## Contributing Factors

            | Factor | Type | Contribution |
            |---|---|---|
            | <img src=x onerror=alert(2)> | <i>Process</i> | "quoted" |
            """
        try repo.commit(["Content/x.md": hostile])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        for file in site.files where file.hasSuffix(".html") {
            let html = try site.page(file)
            #expect(html.contains("<script>") == false, "no inline script in \(file)")
            #expect(html.contains("<img src=x") == false, "no injected element in \(file)")
            #expect(html.range(of: "<[a-zA-Z][^>]*\\sonerror\\s*=", options: .regularExpression) == nil, "no event handler in \(file)")
            #expect(html.contains("javascript:") == false, "no javascript: link in \(file)")
            #expect(html.contains("<b>team</b>") == false)
        }
        #expect(try site.page("postmortems/x/index.html").contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"))
    }

    @Test("a page bundle takes its folder's name and publishes its images beside the page")
    func pageBundle() throws {
        let repo = try TemporaryRepository()
        try repo.commit(data: [
            "Content/2024/2024-05-01-disk-full/index.md": Data(postMortem(title: "Disk full", body: "![graph](graph.png)").utf8),
            "Content/2024/2024-05-01-disk-full/graph.png": Data([0x89, 0x50, 0x4E, 0x47]),
            "Content/2024/2024-05-01-disk-full/evil.svg": Data("<svg onload=alert(1)>".utf8),
        ])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        #expect(site.exists("postmortems/2024-05-01-disk-full/index.html"))
        #expect(site.exists("postmortems/2024-05-01-disk-full/graph.png"))
        #expect(site.exists("postmortems/2024-05-01-disk-full/evil.svg") == false)
        #expect(try site.brokenLinks(on: "postmortems/2024-05-01-disk-full/index.html") == [])
    }

    @Test("a thousand post-mortems written to another template build")
    func thousandInAnotherTemplate() throws {
        let repo = try TemporaryRepository()
        var files: [String: String?] = [:]
        for n in 0..<1000 {
            let day = String(format: "%02d", n % 28 + 1)
            files[String(format: "incidents/report-%04d.md", n)] = """
                # Incident \(n): elevated latency on shard \(n % 17)

                ## Issue Summary

                Between 08:22 and 09:10 requests to shard \(n % 17) were slow.

                ## Timeline (all times UTC)

                ```
                2021-08-\(day) 08:22 - Alert fires for p99 latency
                08:31 - Mitigation starts
                09:10 - Resolved
                ```

                ## Root Causes

                * Technical: a hot partition on shard \(n % 17).
                * Process: capacity review skipped.

                ## Corrective and Preventative Measures

                1. [P\(n % 3)] Rebalance partitions — Storage Team
                2. Add a capacity alert (owner: SRE Team)
                """
        }
        files["hindsight.yml"] = "content: incidents\n"
        try repo.commit(files)
        let out = try TemporaryFolder()
        let (site, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        #expect(report.postMortems == 1000)
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        #expect(entries.count == 1000)
        let seven = try #require(entries.first { $0["id"] as? String == "report-0007" })
        #expect(seven["title"] as? String == "Incident 7: elevated latency on shard 7")
        #expect(seven["date"] as? String == "2021-08-08")
        #expect((seven["factors"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["Technical", "Process"])
        let actions = seven["action_items"] as? [[String: Any]] ?? []
        #expect(actions.first?["priority"] as? String == "P1")
        #expect(actions.first?["owner"] as? String == "Storage Team")
        #expect(actions.last?["owner"] as? String == "SRE Team")
        let timeline = seven["timeline"] as? [[String: Any]] ?? []
        #expect(timeline.last?["timestamp"] as? String == "2021-08-08T09:10:00Z")
        // The Technical factor table: 1,000 rows over four pages of 250.
        let tablePages = ["factors/technical/index.html"] + (2...4).map { "factors/technical/page/\($0)/index.html" }
        let rows = try tablePages.map { try site.page($0).components(separatedBy: "<tr><td>").count - 1 }
        #expect(rows == [250, 250, 250, 250])
        #expect(site.exists("factors/technical/page/5/index.html") == false)
    }
}
