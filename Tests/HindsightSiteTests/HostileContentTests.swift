import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Content pushed by anyone in the organisation, built with the real `hindsight build`: nothing is written
/// outside the output folder, nothing is followed out of the content tree, and every hostile file gets a
/// correct page or a `path:line:col` diagnostic in bounded time.
@Suite("Hostile content")
struct HostileContentTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    func build(_ repo: TemporaryRepository, _ arguments: [String] = [], site: URL? = nil) throws -> (CommandRun, URL) {
        let site = site ?? folder.url.appendingPathComponent("site-\(UUID().uuidString)")
        let run = try HindsightCommand.run(["build", "--repo", repo.path, "--output", site.path] + arguments, in: folder.url)
        return (run, site)
    }

    /// Every file and folder below `root`, relative to it.
    func tree(_ root: URL) -> Set<String> {
        Set(FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? [])
    }

    @Test("ids, services, tags and types such as ../../x or /etc/passwd stay inside the output folder")
    func traversalNamesStayInside() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "Content/up.md": postMortem(
                title: "Up", extraFrontMatter: "id: ../../escaped\ntags: [../../tag, /abs/tag]", factorType: "../../type"),
            "Content/absolute.md": postMortem(title: "Absolute", services: ["/etc/passwd", "..\\\\windows"], extraFrontMatter: "id: /etc/passwd"),
            "Content/dots.md": postMortem(title: "Dots", extraFrontMatter: "related: [../../up, /absolute]"),
        ])
        let outside = folder.url.appendingPathComponent("outside")
        let site = outside.appendingPathComponent("deep/_site")
        let (run, _) = try build(repo, site: site)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Content/up.md:6:5: warning: id '../../escaped' is not a slug"), "\(run.stderr)")

        // Only the site, its lock file and its cache for the next build (page keys, file versions, search
        // entries, the stamp of when the site was published) are made.
        let made = tree(outside).filter { $0.hasPrefix("deep/_site/") == false }
        #expect(made.sorted() == [
            "deep", "deep/._site.cache", "deep/._site.cache/completions", "deep/._site.cache/export",
            "deep/._site.cache/history", "deep/._site.cache/pages", "deep/._site.cache/parse",
            "deep/._site.cache/published", "deep/._site.cache/repeats", "deep/._site.cache/search", "deep/._site.lock", "deep/_site",
        ])
        let pages = tree(site)
        for page in ["postmortems/escaped/index.html", "postmortems/etc-passwd/index.html", "tags/tag/index.html",
            "tags/abs-tag/index.html", "services/etc-passwd/index.html", "factors/type/index.html"]
        {
            #expect(pages.contains(page), "\(page) missing")
        }
        #expect(pages.contains { $0.contains("..") } == false)
    }

    @Test("a content folder outside the repository is refused", arguments: ["../..", "/etc", "Content/../../x"])
    func contentFolderOutside(folder: String) throws {
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": "content: \"\(folder)\"\n", "Content/a.md": postMortem(title: "A")])
        for mode in [[], ["--worktree"]] {
            let (run, site) = try build(repo, mode)
            #expect(run.status == 1, "\(folder) \(mode): \(run.stderr)")
            #expect(run.stderr.contains("hindsight.yml:1:1: error: content folder must be inside the repository"), "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: site.path) == false)
        }
    }

    @Test("a YAML alias bomb in hindsight.yml is refused at its line by build and check, without a hang")
    func aliasBombInSettings() throws {
        // "Billion laughs": nine levels of nine aliases, the last used as a mapping key (hashed in full).
        var lines = ["title: Laughs", "l0: &l0 [" + Array(repeating: "\"lol\"", count: 9).joined(separator: ", ") + "]"]
        for level in 1..<9 { lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        lines.append("*l8 : boom")
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": lines.joined(separator: "\n") + "\n", "Content/a.md": postMortem(title: "A")])
        let clock = ContinuousClock()
        var runs: [CommandRun] = []
        let elapsed = try clock.measure {
            runs.append(try build(repo).0)
            runs.append(try HindsightCommand.run(["check", "--repo", repo.path], in: folder.url))
        }
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        for run in runs {
            #expect(run.status == 1, "\(run.stderr)\(run.stdout)")
            #expect((run.stderr + run.stdout).contains("hindsight.yml:3:10: error: YAML aliases (*name) are not allowed in hindsight.yml"),
                "\(run.stderr)\(run.stdout)")
        }
    }

    @Test("an id with nothing to make an address from is an error at its line")
    func idOfOnlyDots() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/good.md": postMortem(title: "Good"), "Content/dots.md": "---\ntitle: Dots\nid: ..\n---\n"])
        let (run, site) = try build(repo)
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/dots.md:3:5: error: id '..' has no letters or digits"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: site.path) == false)
    }

    @Test("names that differ only by case: files are duplicate ids, attachments an error, types and services one page")
    func namesDifferingByCase() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/Outage.md": postMortem(title: "Upper"), "Content/outage.md": postMortem(title: "Lower")])
        let (files, _) = try build(repo)
        #expect(files.status == 1)
        #expect(files.stderr.contains("Content/Outage.md:1:1: error: duplicate id 'outage': also used by Content/outage.md"), "\(files.stderr)")
        #expect(files.stderr.contains("Content/outage.md:1:1: error: duplicate id 'outage': also used by Content/Outage.md"))

        let bundle = try TemporaryRepository()
        try bundle.commit([
            "Content/db/index.md": postMortem(title: "Bundle", body: "![diagram](Diagram.png)"),
            "Content/db/Diagram.png": "one", "Content/db/diagram.png": "two",
        ])
        let (attachments, attachmentsSite) = try build(bundle)
        #expect(attachments.status == 1)
        #expect(attachments.stderr.contains("'postmortems/db/Diagram.png' and 'postmortems/db/diagram.png' differ only by case"),
            "\(attachments.stderr)")
        #expect(FileManager.default.fileExists(atPath: attachmentsSite.path) == false)

        let types = try TemporaryRepository()
        try types.commit([
            "Content/a.md": postMortem(title: "Alpha", services: ["Checkout"], factorType: "DNS"),
            "Content/b.md": postMortem(title: "Beta", services: ["checkout"], factorType: "dns"),
            "Content/c.md": postMortem(title: "Gamma", factorType: "Process!"),
        ])
        let (grouped, site) = try build(types)
        #expect(grouped.status == 0, "\(grouped.stderr)")
        let dns = try String(contentsOf: site.appendingPathComponent("factors/dns/index.html"), encoding: .utf8)
        #expect(dns.contains("Alpha") && dns.contains("Beta"))
        let process = try String(contentsOf: site.appendingPathComponent("factors/process/index.html"), encoding: .utf8)
        #expect(process.contains("Gamma"))
        let checkout = try String(contentsOf: site.appendingPathComponent("services/checkout/index.html"), encoding: .utf8)
        #expect(checkout.contains("Alpha") && checkout.contains("Beta"))
    }

    @Test("symbolic links and submodules in the content tree are skipped with a warning, never followed")
    func symlinksAndSubmodules() throws {
        let secret = folder.url.appendingPathComponent("secret.md")
        try Data("---\ntitle: Builder machine secret\n---\nhunter2\n".utf8).write(to: secret)
        let other = try TemporaryRepository()
        let vendored = try other.commit(["Content/vendored.md": postMortem(title: "Vendored secret")])

        let repo = try TemporaryRepository()
        try repo.commit(["Content/real.md": postMortem(title: "Real one")])
        try repo.commit(symlinks: ["Content/absolute.md": secret.path, "Content/relative.md": "../../../../../../\(secret.path)",
            "Content/folder": folder.url.path], submodules: ["Content/vendor": vendored])
        // The working tree has the submodule checked out, as `git submodule update` leaves it.
        try repo.write("Content/vendor/.git", "gitdir: ../../.git/modules/vendor\n")
        try repo.write("Content/vendor/vendored.md", postMortem(title: "Vendored secret"))

        for mode in [[], ["--worktree"]] {
            let (run, site) = try build(repo, mode)
            #expect(run.status == 0, "\(mode): \(run.stderr)")
            #expect(run.stdout.hasPrefix("Built 1 post-mortem,"), "\(mode): \(run.stdout)")
            for path in ["Content/absolute.md", "Content/relative.md", "Content/folder"] {
                #expect(run.stderr.contains("\(path):1:1: warning: skipped symbolic link; it is not followed"), "\(mode): \(run.stderr)")
            }
            #expect(run.stderr.contains("Content/vendor:1:1: warning: skipped submodule; it is not followed"), "\(mode): \(run.stderr)")
            let everything = tree(site).map { try? String(contentsOf: site.appendingPathComponent($0), encoding: .utf8) }
            #expect(everything.contains { $0?.contains("hunter2") == true || $0?.contains("secret") == true } == false, "\(mode)")
        }
    }

    @Test("a content folder or Theme/ that is itself a symbolic link is skipped with a warning, never followed")
    func linkedContentFolder() throws {
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        for sub in ["templates", "Content"] {
            try FileManager.default.createDirectory(at: elsewhere.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data("---\ntitle: Someone else's notes\n---\nhunter2\n".utf8).write(to: elsewhere.appendingPathComponent("Content/notes.md"))
        try Data("<p>hunter2 theme</p>".utf8).write(to: elsewhere.appendingPathComponent("templates/footer.mustache"))
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": "content: Archive/Content\n", "README.md": "x"])
        try repo.commit(symlinks: ["Archive": elsewhere.path, "Theme": elsewhere.path])
        for mode in [[], ["--worktree"]] {
            let (run, site) = try build(repo, mode)
            #expect(run.status == 0, "\(mode): \(run.stderr)")
            #expect(run.stdout.hasPrefix("Built 0 post-mortems,"), "\(mode): \(run.stdout)")
            #expect(run.stderr.contains("Archive:1:1: warning: skipped symbolic link; it is not followed"), "\(mode): \(run.stderr)")
            #expect(run.stderr.contains("Theme:1:1: warning: skipped symbolic link; it is not followed"), "\(mode): \(run.stderr)")
            let everything = tree(site).compactMap { try? String(contentsOf: site.appendingPathComponent($0), encoding: .utf8) }
            #expect(everything.contains { $0.contains("hunter2") } == false, "\(mode)")
        }
    }

    @Test("a 50 MB file is refused with a diagnostic naming it, in bounded time; the rest is not lost")
    func fiftyMegabyteFile() throws {
        let repo = try TemporaryRepository()
        var big = Data(postMortem(title: "Huge").utf8)
        let line = Data(String(repeating: "Log line with some words in it. ", count: 32).appending("\n").utf8)
        while big.count < 50 * 1_048_576 { big.append(line) }
        try repo.commit(data: ["Content/huge.md": big, "Content/small.md": Data(postMortem(title: "Small").utf8)])
        let clock = ContinuousClock()
        var run: CommandRun?
        let elapsed = try clock.measure { run = try build(repo).0 }
        let result = try #require(run)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Content/huge.md:1:1: error: the file is 50.0 MB; a post-mortem may be at most 10 MB"),
            "\(result.stderr)")
        #expect(elapsed < .seconds(30), "took \(elapsed)")
    }

    @Test("a title of only emoji, extremely long lines and a huge title build, escaped, with working links")
    func emojiAndLongLines() throws {
        let repo = try TemporaryRepository()
        let longTitle = String(repeating: "<b>Long</b> ", count: 10_000)
        let longRow = "| 14:02 | " + String(repeating: "event <i>text</i> ", count: 60_000) + "|"
        try repo.commit([
            "Content/fire.md": "---\ntitle: \"🔥🔥🔥\"\ndate: 2024-01-01\ntags: [\"🔥\"]\n---\n## Summary\n\n🧯\n",
            "Content/long.md": postMortem(
                title: "\"\(longTitle)\"", factorType: "🧯",
                body: "## Timeline\n\n| Time | Event |\n|---|---|\n\(longRow)\n\n## Notes\n\n" + String(repeating: "word ", count: 400_000)),
        ])
        let clock = ContinuousClock()
        var built: (CommandRun, URL)?
        let elapsed = try clock.measure { built = try build(repo) }
        let (run, root) = try #require(built)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(elapsed < .seconds(60), "took \(elapsed)")
        let site = BuiltSite(root: root)
        let emoji = try site.page("postmortems/fire/index.html")
        #expect(emoji.contains("<h1") && emoji.contains("🔥🔥🔥"))
        #expect(site.exists("tags/u1f525/index.html"))
        #expect(site.exists("factors/u1f9ef/index.html"))
        let long = try site.page("postmortems/long/index.html")
        #expect(long.contains("<b>Long</b>") == false && long.contains("&lt;b&gt;Long&lt;/b&gt;"))
        #expect(long.contains("<i>text</i>") == false)
        for page in ["index.html", "postmortems/fire/index.html", "postmortems/long/index.html", "tags/index.html", "factors/index.html"] {
            let broken = try site.brokenLinks(on: page)
            #expect(broken.isEmpty, "broken links on \(page): \(broken)")
        }
    }

    @Test("HTML and quotes in every value a contributor writes are inert in every output: pages, SVG, search index, JSON, feeds")
    func everyValueInEveryOutput() throws {
        // `<x-pwn>` stands for any element: it must never reach a page, chart or feed as markup. In the
        // Markdown it is written `\\<x-pwn>` (literal text, which must be escaped) and once raw (dropped).
        let hostile = """
            ---
            title: "T <x-pwn>title</x-pwn> \\"q\\" 'a' &amp;"
            date: 2024-03-05
            severity: SEV2
            services: ["<x-pwn>svc</x-pwn>", checkout]
            tags: ["<x-pwn>tag</x-pwn>"]
            owner_team: "<x-pwn>owner</x-pwn>"
            custom_field: "<x-pwn>extra</x-pwn>"
            "<x-pwn>key</x-pwn>": value
            started: 2024-03-05T14:02:00Z
            detected: 2024-03-05T14:09:00Z
            resolved: 2024-03-05T15:20:00Z
            ---

            ## Summary

            Text \\<x-pwn>summary\\</x-pwn> "q" 'a', and raw HTML, which is dropped: <x-pwn>raw</x-pwn>.

            ## Timeline

            | Time (UTC) | Event |
            |---|---|
            | 14:02 | \\<x-pwn>event\\</x-pwn> "q" |
            | 14:09 | Alert `<x-pwn>fires</x-pwn>` |

            ## Contributing Factors

            | Factor | Type | Contribution |
            |---|---|---|
            | \\<x-pwn>factor\\</x-pwn> "q" | \\<x-pwn>type\\</x-pwn> | \\<x-pwn>contribution\\</x-pwn> |

            ## Action Items

            | Action | Priority | Owner | Status | Ticket | Due |
            |---|---|---|---|---|---|
            | \\<x-pwn>action\\</x-pwn> | P1 | \\<x-pwn>team\\</x-pwn> | done | \\<x-pwn>ticket\\</x-pwn> | 2024-04-01 |

            ## \\<x-pwn>heading\\</x-pwn> "q"

            Words.
            """
        let repo = try TemporaryRepository()
        try repo.commit([
            "hindsight.yml": "title: \"<x-pwn>site</x-pwn>\"\nbase_url: https://example.org/pm/\n",
            "Content/2024/hostile.md": hostile,
            "Content/2024/other.md": postMortem(title: "Other", services: ["checkout"], extraFrontMatter: "related: [hostile]"),
        ])
        let (run, root) = try build(repo)
        #expect(run.status == 0, "\(run.stderr)")
        let site = BuiltSite(root: root)
        var kinds = Set<String>()
        for file in site.files {
            var data = try Data(contentsOf: root.appendingPathComponent(file))
            if file.hasSuffix(".gz") { data = try SearchIndexBuilder.gunzip(data) }
            let text = String(decoding: data, as: UTF8.self)
            let kind = file.hasSuffix(".gz") ? "search" : String(file.split(separator: ".").last ?? "")
            kinds.insert(kind)
            switch kind {
            case "json", "search":
                // Data for scripts and tools: it must parse, whatever the values hold.
                #expect((try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil, "\(file) is not JSON")
            case "xml":
                #expect(XMLParser(data: data).parse(), "\(file) is not well-formed XML")
                #expect(text.contains("<x-pwn") == false, "markup in \(file)")
            default:
                #expect(text.lowercased().contains("<x-pwn") == false, "markup in \(file)")
            }
        }
        #expect(kinds.isSuperset(of: ["html", "json", "xml", "search", "css", "js"]), "\(kinds)")
        // The values did arrive, escaped: on the page, in its chart, and intact in the export.
        let page = try site.page("postmortems/hostile/index.html")
        for value in ["title", "svc", "tag", "owner", "extra", "key", "summary", "event", "fires", "factor", "type", "action", "team", "ticket", "heading"] {
            #expect(page.contains("&lt;x-pwn&gt;\(value)") || page.contains("&lt;x-pwn>\(value)"), "\(value) is not on the page")
        }
        #expect(page.contains("<svg"), "the timeline chart is drawn")
        let export = try String(contentsOf: root.appendingPathComponent("api/postmortems.json"), encoding: .utf8)
        #expect(export.contains(#"T <x-pwn>title<\/x-pwn> \"q\" 'a' &amp;"#) || export.contains(#"T <x-pwn>title</x-pwn> \"q\" 'a' &amp;"#))
    }

    @Test("BOM, CRLF, an empty file, invalid UTF-8 and a binary .md: pages or path:line:col diagnostics")
    func awkwardFiles() throws {
        let repo = try TemporaryRepository()
        var latin1 = Data("---\ntitle: Caf".utf8)
        latin1.append(0xE9)
        latin1.append(Data("\n---\n## Summary\n\nText.\n".utf8))
        try repo.commit(data: [
            "Content/bom-crlf.md": Data(("\u{FEFF}" + postMortem(title: "Windows").replacingOccurrences(of: "\n", with: "\r\n")).utf8),
            "Content/2024-02-03-empty.md": Data(),
            "Content/latin1.md": latin1,
            "Content/picture.md": Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]),
        ])
        let (run, _) = try build(repo)
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/picture.md:1:1: error: binary file"), "\(run.stderr)")
        #expect(run.stderr.contains("Content/latin1.md:1:1: warning: the file is not valid UTF-8"))
        #expect(run.stderr.split(separator: "\n").filter { $0.contains(": error:") }.count == 1, "\(run.stderr)")

        try repo.commit(data: ["Content/picture.md": nil, "Content/never-closed.md": Data("---\ntitle: Open\n\n# Heading\n".utf8)])
        let (open, _) = try build(repo)
        #expect(open.status == 1)
        #expect(open.stderr.contains("Content/never-closed.md:1:1: error:") && open.stderr.contains("never closes"), "\(open.stderr)")

        try repo.commit(data: ["Content/never-closed.md": nil])
        let (fine, root) = try build(repo)
        #expect(fine.status == 0, "\(fine.stderr)")
        let site = BuiltSite(root: root)
        #expect(try site.page("postmortems/bom-crlf/index.html").contains("Something happened to Windows."))
        #expect(try site.page("postmortems/2024-02-03-empty/index.html").contains("Empty"))
        #expect(try site.page("postmortems/latin1/index.html").contains("Caf\u{FFFD}"))
    }
}
