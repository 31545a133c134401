import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML and records every element (with its text and attributes) so tests can check structure.
final class XMLOutline: NSObject, XMLParserDelegate {
    struct Element {
        var path: [String]
        var attributes: [String: String]
        var text = ""
    }
    private(set) var elements: [Element] = []
    private var stack: [(String, Int)] = []
    private(set) var error: String?

    /// Parses `data`; nil when it is not well-formed XML.
    static func parse(_ data: Data) -> XMLOutline? {
        let outline = XMLOutline()
        let parser = XMLParser(data: data)
        parser.delegate = outline
        guard parser.parse(), outline.error == nil else { return nil }
        return outline
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(path: stack.map(\.0) + [name], attributes: attributes))
        stack.append((name, elements.count - 1))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = stack.last?.1 { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = "\(parseError)" }

    /// Elements whose path ends with `suffix` (e.g. `["entry", "id"]`).
    func all(_ suffix: String...) -> [Element] { elements.filter { $0.path.suffix(suffix.count) == suffix[...] } }
}

/// Every `<svg>…</svg>` inlined in an HTML page.
func inlineSVGs(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg"), let end = rest[start.lowerBound...].range(of: "</svg>") {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// The ledger's action texts in page order.
func ledgerTexts(_ html: String) -> [String] {
    html.components(separatedBy: "<tr class=\"").dropFirst().compactMap { row in
        guard let cell = row.range(of: "<td>") else { return nil }
        let rest = row[cell.upperBound...]
        let text = rest[..<(rest.range(of: "</td>")?.lowerBound ?? rest.endIndex)]
        return String(text[..<(text.range(of: " <code>")?.lowerBound ?? text.endIndex)])
    }
}

@Suite("Insights site, feeds and report", .serialized)
struct InsightsTests {
    /// A built fixture site; the repository and output folder live as long as this value.
    struct Built {
        let site: BuiltSite
        let fixture: InsightsFixture
        let out: TemporaryFolder
    }

    static func build(baseURL: String? = nil) throws -> Built {
        let fixture = try InsightsFixture()
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: fixture.repository.path, revision: "HEAD"), into: out, baseURL: baseURL)
        return Built(site: site, fixture: fixture, out: out)
    }

    @Test("every SVG on every page is well-formed XML with a title, and every chart has its table")
    func svgsAreWellFormed() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        var count = 0
        for file in site.files where file.hasSuffix(".html") {
            let html = try site.page(file)
            for svg in inlineSVGs(html) {
                let outline = try #require(XMLOutline.parse(Data(svg.utf8)), "SVG on \(file) is not well-formed:\n\(svg.prefix(300))")
                #expect(outline.all("svg", "title").count == 1, "an accessible name on \(file)")
                count += 1
            }
            #expect(html.components(separatedBy: "<figure class=\"chart\"").count == html.components(separatedBy: "<svg").count)
        }
        // Nine charts on /insights/ and a timeline on each of the four post-mortems.
        #expect(inlineSVGs(try site.page("insights/index.html")).count == 11)
        #expect(count == 11 + 4)
        // The escaped title survives in the SVG as text.
        let d = try site.page("postmortems/d/index.html")
        let svg = try #require(inlineSVGs(d).first)
        #expect(XMLOutline.parse(Data(svg.utf8))?.all("svg", "title").first?.text == "Timeline of Invoices <late> & \"stuck\"")
    }

    @Test("/insights/ shows the figures read from history, each chart with its numbers")
    func insightsPage() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        let page = try site.page("insights/index.html")
        // Headline figures.
        #expect(page.contains("<dt>Post-mortems</dt><dd>4</dd>"))
        #expect(page.contains("<dt>Near misses (25%)</dt><dd>1</dd>"))
        #expect(page.contains("<dt>Action items completed</dt><dd>43%</dd>"))
        #expect(page.contains("<dt>Overdue action items</dt><dd>2</dd>"))
        #expect(page.contains("<dt>Repeat incidents</dt><dd>2</dd>"))
        #expect(page.contains("<dt>Median days to merge</dt><dd>10</dd>"))
        #expect(page.contains("<dt>Median days to complete an item</dt><dd>41</dd>"))
        // Tables beside the charts.
        #expect(page.contains("<tr><td>2024-01</td><td>2</td><td>1</td></tr>"))
        #expect(page.contains("<tr><td>2024 Q1</td><td>20 min</td><td>45 min</td></tr>"))
        #expect(page.contains("<tr><td>2024 Q1</td><td>2 h 30 min</td><td>3 h</td></tr>"))
        #expect(page.contains("<tr><td>2024 Q1</td><td>1</td><td>2</td><td>0</td></tr>"))
        #expect(page.contains("<tr><td>0–7</td><td>1</td></tr>"))
        #expect(page.contains("<tr><td>8–14</td><td>3</td></tr>"))
        // Chains with reasons.
        #expect(page.contains("Refunds failed after a deploy repeats Checkout errors after a deploy: same service (checkout) and a shared Process factor, 59 days apart"))
        #expect(page.contains("Invoices &lt;late&gt; &amp; &quot;stuck&quot; repeats Search index nearly emptied: linked as related"))
        #expect(try site.brokenLinks(on: "insights/index.html") == [])
        #expect(try site.page("index.html").contains("href=\"insights/index.html\">Insights</a>"))
    }

    @Test("/action-items/: open first by priority and owner, ages, overdue markers, done dates; per-team pages")
    func ledger() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        let page = try site.page("action-items/index.html")
        #expect(ledgerTexts(page) == [
            "Add a canary check for refunds", "Assign an owner to the invoice job", "Write the rollback runbook",
            "Review the refund tests", "Add a canary check for payments", "Validate the document count before swapping",
            "Document the deploy freeze",
        ])
        #expect(page.components(separatedBy: "class=\"overdue-mark\"").count - 1 == 2)
        #expect(page.contains("<time datetime=\"2024-02-20\">2024-02-20</time> <span class=\"hint\">after 41 d</span>"))
        #expect(page.contains("<td class=\"num\">143 <strong class=\"overdue-mark\">overdue</strong>"))
        let team = try site.page("action-items/checkout-team/index.html")
        #expect(ledgerTexts(team) == ["Add a canary check for refunds", "Review the refund tests", "Add a canary check for payments"])
        for slug in ["billing-team", "sre-team", "search-team"] { #expect(site.exists("action-items/\(slug)/index.html")) }
        #expect(try site.brokenLinks(on: "action-items/index.html") == [])
        #expect(try site.brokenLinks(on: "action-items/sre-team/index.html") == [])
    }

    @Test("post-mortem pages list similar incidents with the reason and chart the timeline")
    func postMortemPage() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        let c = try site.page("postmortems/c/index.html")
        #expect(c.contains("<h2 id=\"hs-similar\">Similar incidents</h2>"))
        #expect(c.contains("Checkout errors after a deploy</a> <time datetime=\"2024-01-02\">2024-01-02</time> <span class=\"reason\">— same service (checkout) and a shared Process factor, 59 days apart</span>"))
        let a = try site.page("postmortems/a/index.html")
        let svg = try #require(inlineSVGs(a).first)
        for milestone in ["Started", "Detected", "Resolved"] { #expect(svg.contains(">\(milestone)</text>")) }
        #expect(svg.contains(">Acknowledged<") == false)
        #expect(a.contains("<tr><td></td><td>2024-01-02 10:20 UTC</td><td>+20 min</td><td>Detected</td></tr>"))
        #expect(a.contains("<tr><td>2</td><td>2024-01-02 10:20 UTC</td><td>+20 min</td><td>An alert fires</td></tr>"))
        #expect(try site.brokenLinks(on: "postmortems/c/index.html") == [])
    }

    @Test("/feed.xml is valid Atom by merge date; factor feeds; tag: ids without base_url")
    func feeds() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        let feed = try #require(XMLOutline.parse(try Data(contentsOf: site.root.appendingPathComponent("feed.xml"))))
        for required in [["feed", "id"], ["feed", "title"], ["feed", "updated"], ["feed", "author", "name"]] {
            #expect(feed.elements.filter { $0.path == required }.count == 1, "feed has \(required)")
        }
        let entries = feed.all("feed", "entry")
        #expect(entries.count == 4)
        for field in ["id", "title", "updated"] { #expect(feed.all("entry", field).count == 4) }
        #expect(feed.all("entry", "link").count == 4)
        #expect(feed.all("entry", "title").map(\.text) == [
            "Invoices <late> & \"stuck\"", "Refunds failed after a deploy", "Search index nearly emptied", "Checkout errors after a deploy",
        ])
        #expect(feed.all("entry", "id").first?.text == "tag:hindsight.invalid,2000:fixture-archive/postmortems/d/")
        #expect(feed.all("entry", "link").first?.attributes["href"] == "postmortems/d/index.html")
        #expect(feed.all("entry", "published").map(\.text).first == "2024-06-01T12:00:00Z")
        #expect(feed.all("feed", "updated").first?.text == "2024-06-01T12:00:00Z")
        // b's published date is its merge, updated is the commit that closed its item.
        #expect(feed.all("entry", "updated").map(\.text)[2] == "2024-04-10T12:00:00Z")

        let process = try #require(XMLOutline.parse(try Data(contentsOf: site.root.appendingPathComponent("factors/process/feed.xml"))))
        #expect(process.all("entry", "title").map(\.text) == ["Refunds failed after a deploy", "Checkout errors after a deploy"])
        #expect(process.all("entry", "link").first?.attributes["href"] == "../../postmortems/c/index.html")
        #expect(site.exists("factors/documentation/feed.xml"))
        #expect(site.exists("sitemap.xml") == false)
    }

    @Test("with an absolute base_url, Atom ids are addresses and /sitemap.xml lists every page")
    func baseURL() throws {
        let built = try Self.build(baseURL: "https://example.org/pm/")
        defer { withExtendedLifetime(built) {} }
        let site = built.site
        let feed = try #require(XMLOutline.parse(try Data(contentsOf: site.root.appendingPathComponent("feed.xml"))))
        #expect(feed.all("feed", "id").first?.text == "https://example.org/pm/feed.xml")
        #expect(feed.all("entry", "id").first?.text == "https://example.org/pm/postmortems/d/")
        let sitemap = try #require(XMLOutline.parse(try Data(contentsOf: site.root.appendingPathComponent("sitemap.xml"))))
        let locations = sitemap.all("url", "loc").map(\.text)
        #expect(locations.count == site.files.filter { $0.hasSuffix(".html") }.count - 1)
        #expect(locations.contains("https://example.org/pm/insights/"))
        #expect(locations.contains("https://example.org/pm/action-items/sre-team/"))
        let b = try #require(sitemap.elements.firstIndex { $0.text == "https://example.org/pm/postmortems/b/" })
        #expect(sitemap.elements[b + 1].path.last == "lastmod" && sitemap.elements[b + 1].text == "2024-04-10")
    }

    @Test("the JSON export adds completion dates and repeat links")
    func jsonExport() throws {
        let built = try Self.build()
        defer { withExtendedLifetime(built) {} }
        let (site, fixture) = (built.site, built.fixture)
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        let a = try #require(entries.first { $0["id"] as? String == "a" })
        let items = a["action_items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["completed"] as? String } == ["2024-02-20T12:00:00Z", nil, "2024-01-10T12:00:00Z"])
        #expect(items.first?["completed_commit"] as? String == fixture.commits[2].hex)
        let repeats = a["repeats"] as? [[String: Any]] ?? []
        #expect(repeats.map { $0["id"] as? String } == ["c"])
        #expect(repeats.first?["kind"] as? String == "service-and-factor-type")
        let d = try #require(entries.first { $0["id"] as? String == "d" })
        #expect((d["repeats"] as? [[String: Any]])?.first?["kind"] as? String == "linked")
    }

    @Test("two builds of one commit are byte-identical")
    func deterministic() throws {
        let fixture = try InsightsFixture()
        let one = try TemporaryFolder(), two = try TemporaryFolder()
        defer { withExtendedLifetime((one, two)) {} }
        let (first, _) = try buildSite(.git(repository: fixture.repository.path, revision: "HEAD"), into: one)
        let (second, _) = try buildSite(.git(repository: fixture.repository.path, revision: "HEAD"), into: two)
        #expect(first.files == second.files)
        for file in first.files {
            #expect(try Data(contentsOf: first.root.appendingPathComponent(file)) == Data(contentsOf: second.root.appendingPathComponent(file)), "\(file)")
        }
    }

    @Test("hindsight report prints the figures as text, Markdown and JSON; --since narrows them")
    func report() throws {
        let fixture = try InsightsFixture()
        let cli = CommandLineTests()
        let json = try cli.run(["report", "--format", "json"], in: fixture.repository.url)
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let totals = document["totals"] as? [String: Any] ?? [:]
        #expect(totals["postmortems"] as? Int == 4)
        #expect(totals["overdue"] as? Int == 2)
        #expect(totals["completed"] as? Int == 3)
        #expect(totals["repeat_incidents"] as? Int == 2)
        #expect((document["merge_lag_days"] as? [String: Any])?["median"] as? Double == 10)
        #expect((document["completion_lag_days"] as? [String: Any])?["p90"] as? Double == 65)

        let markdown = try cli.run(["report", "--format", "markdown"], in: fixture.repository.url)
        #expect(markdown.stdout.contains("- **Action items completed:** 3 of 7 (43%)"))
        #expect(markdown.stdout.contains("| P0 | Add a canary check for refunds | Checkout Team | 78 | 28 | Refunds failed after a deploy |"))

        let text = try cli.run(["report", "--since", "2024-03-01"], in: fixture.repository.url)
        #expect(text.stdout.contains("Post-mortems filed             2"))
        #expect(text.stdout.contains("d repeats b: linked as related"))

        let bad = try cli.run(["report", "--since", "March"], in: fixture.repository.url)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--since must be a date"))
    }
}
