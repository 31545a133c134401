import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// What a publisher relies on when the site is rebuilt on every merge: the same commit gives the same bytes,
/// and long lists are split into pages.
@Suite("Output stability and pagination")
struct OutputStabilityTests {
    /// An archive with history: revisions, an action item completed later, a related link and shared services.
    static func archive() throws -> TemporaryRepository {
        let repo = try TemporaryRepository(start: Date(timeIntervalSince1970: 1_704_067_200))
        try repo.commit([
            "Content/2024-01-10-a.md": postMortem(title: "Cache stampede", date: "2024-01-10"),
            "Content/2024-02-11-b.md": postMortem(title: "Queue backlog", date: "2024-02-11", services: ["billing"]),
        ])
        try repo.commit([
            "Content/2024-03-12-c.md": postMortem(
                title: "Checkout errors", date: "2024-03-12", extraFrontMatter: "related: [2024-01-10-a]",
                factorType: "Technical"),
        ])
        try repo.commit([
            "Content/2024-01-10-a.md": postMortem(title: "Cache stampede", date: "2024-01-10", body: "## Lessons\n\nWarm caches.")
                .replacingOccurrences(of: "- [ ] [P1] Add a canary check", with: "- [x] [P1] Add a canary check"),
        ])
        return repo
    }

    /// Builds an archive of `count` outages, one a day from 2024-05-01, with `paginate` in hindsight.yml.
    static func buildOutages(_ count: Int, paginate: Int, into out: TemporaryFolder) throws -> BuiltSite {
        let repo = try TemporaryRepository()
        var files: [String: String?] = ["hindsight.yml": "paginate: \(paginate)\n"]
        for n in 1...count {
            files["Content/2024-05-0\(n)-outage-\(n).md"] = postMortem(title: "Outage number \(n)", date: "2024-05-0\(n)")
        }
        try repo.commit(files)
        return try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out).0
    }

    /// Every file of a site and its bytes.
    static func contents(_ site: BuiltSite) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in site.files { out[path] = try Data(contentsOf: site.root.appendingPathComponent(path)) }
        return out
    }

    @Test("two full builds of one commit are byte-identical, file for file")
    func fullBuildsAreIdentical() throws {
        let repo = try Self.archive()
        let (first, second) = (try TemporaryFolder(), try TemporaryFolder())
        let (a, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: first)
        let (b, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: second)
        let (filesA, filesB) = (try Self.contents(a), try Self.contents(b))
        #expect(filesA.count > 30)
        #expect(filesA.keys.sorted() == filesB.keys.sorted())
        let differing = filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted()
        #expect(differing == [])
    }

    @Test("a rebuild after a one-file commit equals a full build of that commit, byte for byte")
    func rebuildEqualsFullBuild() throws {
        let repo = try Self.archive()
        let rebuilt = try TemporaryFolder()
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        try repo.commit([
            "Content/2024-02-11-b.md": postMortem(title: "Queue backlog, revised", date: "2024-02-11", services: ["billing"]),
        ])
        let (incremental, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        // Pages whose template values did not change come from the previous build (the report says how many);
        // the edited post-mortem's page and the lists showing its new title do not.
        #expect(report.reusedPages > 0)
        #expect(report.reusedPages < report.pages)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(incremental), try Self.contents(full))
        #expect(filesA.keys.sorted() == filesB.keys.sorted())
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
        #expect(try incremental.page("postmortems/2024-02-11-b/index.html").contains("Queue backlog, revised"))
    }

    @Test("a rebuild's caches follow what a commit changes: a new repeat in the earlier incident's export entry, a completion date")
    func rebuildFollowsRepeats() throws {
        let repo = try Self.archive()
        let rebuilt = try TemporaryFolder()
        // Twice into the same folder: the second build takes everything from the caches and must keep it all.
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        let (same, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        /// The `field` of each row of the `list` in post-mortem `id`'s export entry.
        func exported(_ site: BuiltSite, _ id: String, _ list: String, _ field: String) throws -> [String] {
            let entries = try #require(try site.json()["postmortems"] as? [[String: Any]])
            let entry = try #require(entries.first { $0["id"] as? String == id })
            return (entry[list] as? [[String: Any]] ?? []).compactMap { $0[field] as? String }
        }
        func repeats(_ site: BuiltSite, of id: String) throws -> [String] { try exported(site, id, "repeats", "id") }
        func completed(_ site: BuiltSite, of id: String) throws -> [String] {
            try exported(site, id, "action_items", "completed_commit")
        }
        #expect(try repeats(same, of: "2024-01-10-a").contains("2024-04-01-d") == false)
        // b's second item is written as done: completed by the commit that added b.
        let before = try completed(same, of: "2024-02-11-b")
        #expect(before.count == 1)
        // One commit adds a repeat of a, and completes b's action item: b's completion is that commit.
        let head = try repo.commit([
            "Content/2024-04-01-d.md": postMortem(
                title: "Cache stampede again", date: "2024-04-01", extraFrontMatter: "repeat_of: [2024-01-10-a]"),
            "Content/2024-02-11-b.md": postMortem(title: "Queue backlog", date: "2024-02-11", services: ["billing"])
                .replacingOccurrences(of: "- [ ] [P1] Add a canary check", with: "- [x] [P1] Add a canary check"),
        ])
        let (incremental, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        #expect(try repeats(incremental, of: "2024-01-10-a").contains("2024-04-01-d"))
        #expect(try completed(incremental, of: "2024-02-11-b") == [head.hex] + before)
        #expect(try completed(incremental, of: "2024-01-10-a") == (try completed(same, of: "2024-01-10-a")))
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(incremental), try Self.contents(full))
        #expect(filesA.keys.sorted() == filesB.keys.sorted())
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
    }

    @Test("the export is spliced from the last one: a rebuild equals a full build's, the cache keeps only its layout, a shortened last export is made whole")
    func exportSplicedFromLast() throws {
        let repo = try Self.archive()
        let folder = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let export = site.root.appendingPathComponent("api/postmortems.json")
        func fullExport() throws -> Data {
            let fresh = try TemporaryFolder()
            let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
            return try Data(contentsOf: full.root.appendingPathComponent("api/postmortems.json"))
        }

        try repo.commit([
            "Content/2024-02-11-b.md": postMortem(title: "Queue backlog, revised", date: "2024-02-11", services: ["billing"]),
        ])
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let rebuilt = try Data(contentsOf: export)
        #expect(rebuilt == (try fullExport()))
        #expect(String(decoding: rebuilt, as: UTF8.self).contains("Queue backlog, revised"))
        // The cache holds where each entry is, not a second copy of every entry.
        let cached = try #require(
            try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent("._site.cache/export").path)[.size] as? Int)
        #expect(cached < rebuilt.count / 2, "export cache \(cached) bytes for an export of \(rebuilt.count)")

        // The published export cut short: the layout no longer describes it, and the export is made whole again.
        let handle = try FileHandle(forWritingTo: export)
        try handle.truncate(atOffset: UInt64(rebuilt.count / 2))
        try handle.close()
        try repo.commit([
            "Content/2024-01-10-a.md": postMortem(title: "Cache stampede, revised", date: "2024-01-10"),
        ])
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(try Data(contentsOf: export) == (try fullExport()))
    }

    @Test("a rebuild with another base address or site title remakes what every page shows: equal to a full build")
    func rebuildFollowsSiteValues() throws {
        let repo = try Self.archive()
        let folder = try TemporaryFolder()
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let (based, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder, baseURL: "https://pm.example.org/archive/")
        #expect(report.reusedPages == 0)
        #expect(try based.page("services/billing/index.html").contains("https://pm.example.org/archive/"))
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh, baseURL: "https://pm.example.org/archive/")
        let (filesA, filesB) = (try Self.contents(based), try Self.contents(full))
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])

        try repo.commit(["hindsight.yml": "title: Lessons of the platform team\n"])
        let (retitled, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder, baseURL: "https://pm.example.org/archive/")
        for page in ["index.html", "services/billing/index.html", "factors/index.html", "404.html"] {
            #expect(try retitled.page(page).contains("Lessons of the platform team"), "\(page)")
        }
    }

    @Test("with a repository address, a rebuild links every unchanged post-mortem's source at the new commit")
    func rebuildFollowsRevision() throws {
        let repo = try Self.archive()
        try repo.commit(["hindsight.yml": "repo_url: https://git.example.org/archive\n"])
        let rebuilt = try TemporaryFolder()
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        // Only the body of another post-mortem: nothing the unchanged pages show of it changes.
        let head = try repo.commit([
            "Content/2024-02-11-b.md": postMortem(
                title: "Queue backlog", date: "2024-02-11", services: ["billing"], body: "## Lessons\n\nRevised."),
        ])
        let (incremental, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        let unchanged = try incremental.page("postmortems/2024-01-10-a/index.html")
        #expect(unchanged.contains("https://git.example.org/archive/blob/\(head.hex)/Content/2024-01-10-a.md"))
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(incremental), try Self.contents(full))
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
    }

    @Test("a rebuild redraws what is made only when a page is rendered: a moved timeline's chart, a card's new severity")
    func rebuildRedrawsKeyedValues() throws {
        let repo = try Self.archive()
        let rebuilt = try TemporaryFolder()
        let (before, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        #expect(try before.page("postmortems/2024-02-11-b/index.html").contains("2024-02-11 14:09 UTC"))
        // Same title and summary: only the chart (an event's time) and the cards (the severity) differ.
        try repo.commit([
            "Content/2024-02-11-b.md": postMortem(title: "Queue backlog", date: "2024-02-11", severity: "SEV1", services: ["billing"])
                .replacingOccurrences(of: "| 14:09 | Alert fires |", with: "| 15:31 | Alert fires |"),
        ])
        let (incremental, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        #expect(report.reusedPages > 0)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(incremental), try Self.contents(full))
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
        let page = try incremental.page("postmortems/2024-02-11-b/index.html")
        #expect(page.contains("<svg") && page.contains("2024-02-11 15:31 UTC") && !page.contains("2024-02-11 14:09 UTC"))
        let card = try incremental.page("services/billing/index.html")
        #expect(card.contains("SEV1") && !card.contains("SEV2"))
    }

    @Test("a rebuild relinks the post-mortems that link to a retitled one: its related and similar links show the new title")
    func rebuildFollowsLinkedTitles() throws {
        let repo = try Self.archive()
        let rebuilt = try TemporaryFolder()
        let (before, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        let linking = "postmortems/2024-03-12-c/index.html"
        #expect(try before.page(linking).contains("Cache stampede"))
        try repo.commit([
            "Content/2024-01-10-a.md": postMortem(title: "Cache stampede at noon", date: "2024-01-10", body: "## Lessons\n\nWarm caches.")
                .replacingOccurrences(of: "- [ ] [P1] Add a canary check", with: "- [x] [P1] Add a canary check"),
        ])
        let (incremental, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: rebuilt)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(incremental), try Self.contents(full))
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
        // Named under related post-mortems and again under similar incidents (the explicit link is a repeat).
        let page = try incremental.page(linking)
        #expect(page.components(separatedBy: "Cache stampede at noon").count - 1 >= 2)
    }

    @Test("a rebuild publishes a whole new site: a removed post-mortem's folder and stray files go, unchanged pages keep their file (linked)")
    func rebuildInPlace() throws {
        let repo = try Self.archive()
        let folder = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        func inode(_ path: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: site.root.appendingPathComponent(path).path)[.systemFileNumber] as? Int
        }
        let unchanged = "services/billing/index.html"
        let before = try inode(unchanged)
        // Things a full build would not write: a stray file, a stray folder, and a folder where a page belongs.
        try Data("stray".utf8).write(to: site.root.appendingPathComponent("stray.txt"))
        try FileManager.default.createDirectory(
            at: site.root.appendingPathComponent("old/deeper"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("404.html"))
        try FileManager.default.createDirectory(
            at: site.root.appendingPathComponent("404.html/inside"), withIntermediateDirectories: true)

        try repo.commit([
            "Content/2024-03-12-c.md": nil,
            "Content/2024-04-01-d.md": postMortem(title: "Disk full", date: "2024-04-01"),
        ])
        let (rebuilt, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(report.reusedPages > 0)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(rebuilt), try Self.contents(full))
        #expect(filesA.keys.sorted() == filesB.keys.sorted())
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
        #expect(rebuilt.exists("postmortems/2024-03-12-c") == false)
        #expect(rebuilt.exists("old") == false)
        #expect(try rebuilt.page("404.html").contains("Page not found"))
        #expect(try inode(unchanged) == before)
        // Nothing is left beside the site but its cache and lock.
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(beside == ["._site.cache", "._site.lock", "_site"])
    }

    @Test("a rebuild that changes most of the site is swapped in whole, unchanged files linked from the old one")
    func largeRebuildSwapsWhole() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/2024-05-01-first.md": postMortem(title: "First", date: "2024-05-01")])
        let folder = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let style = site.root.appendingPathComponent("assets/style.css")
        let inode = try FileManager.default.attributesOfItem(atPath: style.path)[.systemFileNumber] as? Int
        try Data("stray".utf8).write(to: site.root.appendingPathComponent("stray.txt"))
        var files: [String: String?] = [:]
        for n in 1...30 { files["Content/2024-06-\(n < 10 ? "0" : "")\(n)-more.md"] = postMortem(title: "More \(n)", date: "2024-06-01") }
        try repo.commit(files)
        let (rebuilt, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let (filesA, filesB) = (try Self.contents(rebuilt), try Self.contents(full))
        #expect(filesA.keys.sorted() == filesB.keys.sorted())
        #expect(filesA.keys.filter { filesA[$0] != filesB[$0] }.sorted() == [])
        // The stylesheet is the old file, linked into the new folder; the old folder is gone.
        #expect(try FileManager.default.attributesOfItem(atPath: style.path)[.systemFileNumber] as? Int == inode)
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(beside == ["._site.cache", "._site.lock", "_site"])
    }

    @Test("lists split into pages of `paginate`: every post-mortem once, a pager, no broken links")
    func pagination() throws {
        let out = try TemporaryFolder()
        let site = try Self.buildOutages(7, paginate: 3, into: out)

        let indexPages = ["index.html", "page/2/index.html", "page/3/index.html"]
        #expect(indexPages.allSatisfy(site.exists))
        #expect(site.exists("page/4/index.html") == false)
        // Newest first, three per page, each post-mortem on exactly one page.
        var seen: [Int] = []
        for page in indexPages {
            let html = try site.page(page)
            let onPage = (1...7).filter { html.contains(">Outage number \($0)<") }
            #expect(onPage.count == (page == "page/3/index.html" ? 1 : 3))
            seen += onPage.sorted(by: >)
            #expect(try site.brokenLinks(on: page) == [])
        }
        #expect(seen == [7, 6, 5, 4, 3, 2, 1])
        let second = try site.page("page/2/index.html")
        #expect(second.contains("Page 2 of 3"))
        #expect(second.contains("rel=\"prev\" href=\"../../index.html\""))
        #expect(second.contains("rel=\"next\" href=\"../../page/3/index.html\""))
        // The counts and browse links are on the first page only.
        #expect(try site.page("index.html").contains("Browse by factor type"))
        #expect(second.contains("Browse by factor type") == false)

        // Term pages and factor tables paginate the same way (tables hold five times as many rows).
        #expect(site.exists("services/checkout/page/3/index.html"))
        #expect(try site.brokenLinks(on: "services/checkout/page/3/index.html") == [])
        #expect(site.exists("factors/process/page/2/index.html") == false)
    }

    @Test("paginate: 0 keeps every list on one page")
    func noPagination() throws {
        let out = try TemporaryFolder()
        let site = try Self.buildOutages(4, paginate: 0, into: out)
        let html = try site.page("index.html")
        #expect((1...4).allSatisfy { html.contains(">Outage number \($0)<") })
        #expect(site.exists("page/2/index.html") == false)
        #expect(html.contains("class=\"pager\"") == false)
    }

    @Test("a rebuild of the same commit reuses every page; another theme or a lost page keys file reuses none")
    func pageReuse() throws {
        let repo = try Self.archive()
        let folder = try TemporaryFolder()
        let (_, first) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(first.reusedPages == 0)
        let (site, second) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(second.reusedPages == second.pages)

        // The page keys live beside the output, not in it.
        let fingerprints = folder.url.appendingPathComponent("._site.cache/pages")
        #expect(FileManager.default.fileExists(atPath: fingerprints.path))
        #expect(site.files.contains { $0.contains("cache") } == false)

        // Someone edits a published page by hand and the page keys are lost: the page is rendered again.
        let page = site.root.appendingPathComponent("postmortems/2024-01-10-a/index.html")
        let original = try Data(contentsOf: page)
        try Data("tampered".utf8).write(to: page)
        try FileManager.default.removeItem(at: fingerprints)
        let (_, third) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(third.reusedPages == 0)
        #expect(try Data(contentsOf: page) == original)

        // A page of the old site replaced by a symbolic link (to a file outside it) is rendered again, and
        // the new site holds a file, not the link.
        let outside = folder.url.appendingPathComponent("outside.html")
        try Data("outside".utf8).write(to: outside)
        try FileManager.default.removeItem(at: page)
        try FileManager.default.createSymbolicLink(at: page, withDestinationURL: outside)
        let (_, linked) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(linked.reusedPages == linked.pages - 1)
        #expect(try FileManager.default.attributesOfItem(atPath: page.path)[.type] as? FileAttributeType == .typeRegular)
        #expect(try Data(contentsOf: page) == original)

        // A theme override changes the key of every page.
        try repo.commit(["Theme/templates/footer.mustache": "<footer>Local footer</footer>\n</body>\n</html>\n"])
        let (themed, fourth) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(fourth.reusedPages == 0)
        #expect(try themed.page("index.html").contains("Local footer"))
    }

    @Test("the history walk resumes from the last build's commit, with the dates a full walk gives")
    func historyResumes() throws {
        let repo = try Self.archive()
        let folder = try TemporaryFolder()
        _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let history = folder.url.appendingPathComponent("._site.cache/history")
        let saved = try String(contentsOf: history, encoding: .utf8)
        let head = try Repository.open(at: repo.path).commit("HEAD").id
        #expect(saved.hasPrefix("hindsight-history-1\t\(head.hex)\tContent\n"))

        // A changed file, a new one, and one deleted and added again after the saved commit.
        try repo.commit(["Content/2024-02-11-b.md": postMortem(title: "Queue backlog, again", date: "2024-02-11", services: ["billing"])])
        try repo.commit(["Content/2024-04-01-d.md": postMortem(title: "DNS", date: "2024-04-01")])
        try repo.commit(["Content/2024-03-12-c.md": nil])
        try repo.commit(["Content/2024-03-12-c.md": postMortem(title: "Checkout errors", date: "2024-03-12")])
        let (resumed, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let fresh = try TemporaryFolder()
        let (full, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: fresh)
        let histories = { (site: BuiltSite) throws -> [String: String] in
            let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: entries.map { entry in
                let history = entry["history"] as? [String: Any] ?? [:]
                return (entry["id"] as? String ?? "", history.keys.sorted().map { "\($0)=\(history[$0]!)" }.joined(separator: " "))
            })
        }
        #expect(try histories(resumed) == histories(full))
        let c = try #require(try resumed.json()["postmortems"] as? [[String: Any]]).first { $0["id"] as? String == "2024-03-12-c" }
        #expect((c?["history"] as? [String: Any])?["revisions"] as? Int == 1)

        // A saved walk from a commit that is not in this history is never used: the walk starts over.
        try Data("hindsight-history-1\t\(String(repeating: "0", count: 40))\tContent\n".utf8).write(to: history)
        let (again, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(try histories(again) == histories(full))
    }
}
