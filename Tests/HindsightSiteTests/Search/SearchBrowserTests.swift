import Foundation
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// The search page in real headless Chromium, served over HTTP from 127.0.0.1.
///
/// Each test opens a harness page that loads `/search/…` in a same-origin frame, acts on it the way a
/// person would (typing, ticking filters, keys, back), and writes what the page shows as JSON.
@Suite("Search in Chromium", .serialized)
final class SearchBrowserTests {
    let repo: TemporaryRepository
    let out: TemporaryFolder
    let site: URL
    let server: StaticServer

    init() throws {
        repo = try TemporaryRepository()
        try repo.commit([
            "Content/a.md": Self.fixture(
                title: "Checkout rollback after a bad deploy", date: "2024-01-10", severity: "SEV1", service: "checkout",
                type: "Process", factor: "The rollback runbook was outdated", action: "Rewrite the runbook",
                extra: """
                    ## Timeline

                    | Time | Event |
                    |---|---|
                    | 2024-01-10T09:58:00Z | The resolver pods restarted |
                    """),
            "Content/b.md": Self.fixture(
                title: "Payments rollback delayed", date: "2024-03-02", severity: "SEV2", service: "payments",
                type: "Technical", factor: "The rollback script timed out", action: "Raise the script timeout"),
            "Content/c.md": Self.fixture(
                title: "DNS provider outage", date: "2023-06-01", severity: "SEV1", service: "dns",
                type: "Infrastructure", factor: "One provider serves every zone", action: "Add a second provider",
                nearMiss: true),
            "Content/d.md": Self.fixture(
                title: "Checkout latency", date: "2023-02-01", severity: "SEV3", service: "checkout",
                type: "Process", factor: "The capacity review was skipped", action: "Schedule capacity reviews"),
            "Content/e.md": Self.fixture(
                title: "Café crème orders lost", date: "2022-05-05", severity: "SEV4", service: "orders",
                type: "Documentation", factor: "The queue guide was missing", action: "Write the queue guide"),
        ])
        out = try TemporaryFolder()
        site = out.url.appendingPathComponent("_site")
        _ = try Site.build(BuildOptions(source: .git(repository: repo.path, revision: "HEAD"), output: site))
        let harness = site.appendingPathComponent("__harness__")
        try FileManager.default.createDirectory(at: harness, withIntermediateDirectories: true)
        try Data(Self.library.utf8).write(to: harness.appendingPathComponent("lib.js"))
        let cases = packageRoot().appendingPathComponent("Tests/Fixtures/search-tokenizer-cases.json")
        try FileManager.default.copyItem(at: cases, to: harness.appendingPathComponent("cases.json"))
        server = try StaticServer(root: site)
    }

    static func fixture(
        title: String, date: String, severity: String, service: String, type: String, factor: String, action: String,
        nearMiss: Bool = false, extra: String = ""
    ) -> String {
        """
        ---
        title: \(title)
        date: \(date)
        severity: \(severity)
        services: [\(service)]
        near_miss: \(nearMiss)
        ---

        ## Summary

        What happened to \(service), told without blame.

        ## Contributing Factors

        | Factor | Type | Contribution |
        |---|---|---|
        | \(factor) | \(type) | High |

        ## Action Items

        - [ ] [P1] \(action) — Platform Team

        \(extra)
        """
    }

    /// Opens the search page at `query` in a frame, then runs `steps` (JavaScript, may `await`).
    func run(_ query: String, _ steps: String = "") throws -> [String: Any] {
        let name = "h\(UUID().uuidString.prefix(8)).html"
        let page = """
            <!doctype html><meta charset="utf-8"><pre id="out">pending</pre>
            <iframe id="f" src="/search/\(query)" width="1000" height="900"></iframe>
            <script type="module">
            import { start, state, type, tick, key, back, sortBy, finish } from "./lib.js";
            try {
              await start();
              const results = { first: state() };
              \(steps)
              finish(results);
            } catch (error) { finish({ error: String(error && error.stack || error) }); }
            </script>
            """
        try Data(page.utf8).write(to: site.appendingPathComponent("__harness__/\(name)"))
        return try Chromium.harnessResult(server.url("__harness__/\(name)"))
    }

    static let library = """
        const frame = document.getElementById("f");
        const doc = () => frame.contentDocument;
        const root = () => doc().getElementById("hindsight-search");
        export function nextResults() {
          return new Promise((resolve) => root().addEventListener("hindsight:results", (e) => resolve(e.detail), { once: true }));
        }
        export function start() {
          return new Promise((resolve) => {
            const ready = () => {
              const r = root();
              if (r && r.dataset.state === "ready") resolve(); else setTimeout(ready, 20);
            };
            frame.addEventListener("load", ready, { once: true });
          });
        }
        export function state() {
          const d = doc();
          const facets = {};
          for (const fs of d.querySelectorAll(".search-facets fieldset")) {
            facets[fs.dataset.facet] = [...fs.querySelectorAll("li")].map((li) => ({
              name: li.querySelector("label").textContent.trim(),
              value: li.querySelector("input").value,
              count: Number(li.querySelector(".count").textContent),
              checked: li.querySelector("input").checked,
            }));
          }
          return {
            status: d.getElementById("search-status").textContent,
            titles: [...d.querySelectorAll("#search-results h2")].map((h) => h.textContent),
            marks: [...d.querySelectorAll("#search-results mark")].map((m) => m.textContent),
            matched: [...d.querySelectorAll("#search-results .matched")].map((p) => p.textContent),
            snippets: [...d.querySelectorAll("#search-results .snippet")].map((p) => p.textContent),
            facets,
            search: frame.contentWindow.location.search,
            input: d.getElementById("search-q").value,
            sort: d.getElementById("search-sort").value,
            active: d.activeElement ? d.activeElement.textContent : null,
            resources: frame.contentWindow.performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname),
          };
        }
        export async function type(text) {
          const input = doc().getElementById("search-q");
          const done = nextResults();
          input.value = text;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          await done;
          return state();
        }
        export async function tick(facet, value) {
          const box = doc().querySelector(`fieldset[data-facet="${facet}"] input[value="${value}"]`);
          const done = nextResults();
          box.click();
          await done;
          return state();
        }
        export function key(name, target) {
          const element = target === "input" ? doc().getElementById("search-q") : doc().activeElement;
          element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true }));
          return state();
        }
        export async function back() {
          const done = nextResults();
          frame.contentWindow.history.back();
          await done;
          return state();
        }
        export async function sortBy(value) {
          const select = doc().getElementById("search-sort");
          const done = nextResults();
          select.value = value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          await done;
          return state();
        }
        export function finish(value) { document.getElementById("out").textContent = JSON.stringify(value); }
        """

    func titles(_ state: Any?) -> [String] { (state as? [String: Any])?["titles"] as? [String] ?? [] }

    func facet(_ state: Any?, _ name: String) -> [String: Int] {
        let entries = ((state as? [String: Any])?["facets"] as? [String: Any])?[name] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "", $0["count"] as? Int ?? -1) })
    }

    @Test("a shared URL opens with its results, filters and facet counts")
    func urlOpensResults() throws {
        let result = try run("?q=rollback&severity=SEV2")
        let first = result["first"]
        #expect(titles(first) == ["Payments rollback delayed"])
        // Counts within one facet ignore that facet's own selection, so the other choice stays visible.
        #expect(facet(first, "severity") == ["SEV1": 1, "SEV2": 1])
        #expect(facet(first, "type") == ["Technical": 1])
        let severity = ((first as? [String: Any])?["facets"] as? [String: Any])?["severity"] as? [[String: Any]] ?? []
        #expect(severity.first { $0["name"] as? String == "SEV2" }?["checked"] as? Bool == true)
        #expect((first as? [String: Any])?["input"] as? String == "rollback")
        #expect(((first as? [String: Any])?["status"] as? String)?.contains("1 post-mortem") == true)
    }

    @Test("results appear as you type, ranked, with the matched words highlighted")
    func typing() throws {
        let result = try run("", """
            results.prefix = await type("rollb");
            results.both = await type("checkout rollback");
            results.none = await type("rollback zebra");
            """)
        // Browsing with an empty box lists everything, newest first.
        #expect(titles(result["first"]) == [
            "Payments rollback delayed", "Checkout rollback after a bad deploy", "DNS provider outage",
            "Checkout latency", "Café crème orders lost",
        ])
        #expect(Set(titles(result["prefix"])) == ["Payments rollback delayed", "Checkout rollback after a bad deploy"])
        let prefixMarks = (result["prefix"] as? [String: Any])?["marks"] as? [String] ?? []
        #expect(prefixMarks.contains("rollback"))
        #expect(titles(result["both"]) == ["Checkout rollback after a bad deploy"])
        #expect(titles(result["none"]).isEmpty)
        #expect(((result["none"] as? [String: Any])?["status"] as? String)?.hasPrefix("No post-mortems match") == true)
    }

    @Test("field syntax filters by service, type, severity and near-miss")
    func fieldSyntax() throws {
        let result = try run("", """
            results.service = await type("service:checkout");
            results.type = await type("type:process rollback");
            results.severity = await type("severity:sev1 is:near-miss");
            """)
        #expect(Set(titles(result["service"])) == ["Checkout rollback after a bad deploy", "Checkout latency"])
        #expect(titles(result["type"]) == ["Checkout rollback after a bad deploy"])
        #expect(titles(result["severity"]) == ["DNS provider outage"])
    }

    @Test("quoted phrases match words in order; diacritics fold")
    func phrasesAndFolding() throws {
        let result = try run("", """
            results.phrase = await type('"runbook was outdated"');
            results.reversed = await type('"outdated runbook"');
            results.folded = await type("cafe creme");
            """)
        #expect(titles(result["phrase"]) == ["Checkout rollback after a bad deploy"])
        #expect(titles(result["reversed"]).isEmpty)
        #expect(titles(result["folded"]) == ["Café crème orders lost"])
        let foldedMarks = (result["folded"] as? [String: Any])?["marks"] as? [String] ?? []
        #expect(foldedMarks.contains("Café"))
    }

    @Test("a factor or action item the query matched is shown with the result")
    func matchedFactor() throws {
        let result = try run("?q=script")
        let matched = (result["first"] as? [String: Any])?["matched"] as? [String] ?? []
        #expect(matched.contains { $0.contains("Technical factor") && $0.contains("The rollback script timed out") })
        #expect(matched.contains { $0.contains("Action item") && $0.contains("Raise the script timeout") })
    }

    @Test("a snippet is labelled with its section's heading; table cells and timestamps stay apart")
    func snippets() throws {
        let result = try run("?q=resolver", """
            results.phrase = await type('"event 2024"');
            results.within = await type('"resolver pods restarted"');
            """)
        let snippets = (result["first"] as? [String: Any])?["snippets"] as? [String] ?? []
        #expect(snippets.count == 1)
        let text = snippets.first ?? ""
        #expect(text.hasPrefix("Timeline · "), "\(text)")
        #expect(text.contains("2024-01-10T09:58:00Z | The resolver pods restarted"), "\(text)")
        #expect(text.contains("00ZThe") == false)
        #expect(text.contains("Summary") == false)
        // A phrase never matches across a table cell's boundary.
        #expect(titles(result["phrase"]).isEmpty)
        #expect(titles(result["within"]) == ["Checkout rollback after a bad deploy"])
    }

    @Test("filters change the URL; back and forward restore earlier searches")
    func history() throws {
        let result = try run("?q=rollback", """
            results.filtered = await tick("type", "technical");
            results.back = await back();
            """)
        #expect(titles(result["filtered"]) == ["Payments rollback delayed"])
        #expect(((result["filtered"] as? [String: Any])?["search"] as? String)?.contains("type=technical") == true)
        #expect(Set(titles(result["back"])) == ["Payments rollback delayed", "Checkout rollback after a bad deploy"])
        #expect(((result["back"] as? [String: Any])?["search"] as? String) == "?q=rollback")
    }

    @Test("sorting by newest keeps every result, is kept in the URL, and back restores relevance")
    func sorting() throws {
        let result = try run("?q=checkout", """
            results.newest = await sortBy("newest");
            results.back = await back();
            """)
        let relevance = titles(result["first"])
        let newest = titles(result["newest"])
        #expect(relevance.count == 2)
        #expect(Set(newest) == Set(relevance), "sorting never drops results")
        #expect(newest == ["Checkout rollback after a bad deploy", "Checkout latency"], "2024-01-10 before 2023-02-01")
        #expect((result["newest"] as? [String: Any])?["search"] as? String == "?q=checkout&sort=newest")
        #expect((result["back"] as? [String: Any])?["sort"] as? String == "")
        #expect(titles(result["back"]) == relevance)

        let shared = try run("?q=checkout&sort=newest")
        #expect(titles(shared["first"]) == newest, "a shared URL opens sorted")
        #expect((shared["first"] as? [String: Any])?["sort"] as? String == "newest")
    }

    @Test("arrow keys move through results and Escape returns to the box")
    func keyboard() throws {
        let result = try run("?q=rollback", """
            results.down = key("ArrowDown", "input");
            results.next = key("ArrowDown");
            results.up = key("ArrowUp");
            results.escape = key("Escape");
            """)
        let titles = titles(result["first"])
        #expect(titles.count == 2)
        #expect((result["down"] as? [String: Any])?["active"] as? String == titles[0])
        #expect((result["next"] as? [String: Any])?["active"] as? String == titles[1])
        #expect((result["up"] as? [String: Any])?["active"] as? String == titles[0])
        #expect((result["escape"] as? [String: Any])?["input"] as? String == "rollback")
    }

    @Test("a query fetches only its shards and the fragments it shows, never the whole index")
    func partialDownloads() throws {
        let result = try run("?q=rollback")
        let resources = (result["first"] as? [String: Any])?["resources"] as? [String] ?? []
        let shardsFetched = resources.filter { $0.hasPrefix("/search/t/") }
        let fragmentsFetched = resources.filter { $0.hasPrefix("/search/f/") }
        let shardsOnDisk = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("search/t").path)
        #expect(shardsFetched.count == 1)
        #expect(shardsOnDisk.count > 20)
        #expect(fragmentsFetched.count == 2)
    }

    @Test("the browser tokenizes exactly as the index builder does")
    func tokenizerParity() throws {
        let result = try run("", """
            const { tokenize } = await import("/assets/search.js");
            const cases = await (await fetch("./cases.json")).json();
            results.cases = cases.map((c) => ({ input: c.input, tokens: tokenize(c.input) }));
            """)
        let cases = result["cases"] as? [[String: Any]] ?? []
        #expect(cases.count >= 10)
        for item in cases {
            let input = item["input"] as? String ?? ""
            #expect(item["tokens"] as? [String] == SearchTokenizer.tokens(input), "browser tokens of \(input)")
        }
    }

    @Test("without JavaScript the search page says so and links to the browsable pages")
    func noJavaScript() throws {
        let dom = try Chromium.dumpDOM(server.url("search/?q=rollback"), javascript: false, budget: 3000)
        #expect(dom.contains("Search runs in your browser and needs JavaScript"))
        #expect(dom.contains("search-results\"></ol>"))
    }
}
