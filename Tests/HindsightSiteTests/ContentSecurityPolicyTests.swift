import Foundation
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// The theme's Content-Security-Policy: every page carries it, nothing in the site needs more than it
/// allows, and in real headless Chromium the site works under it with no violation reported.
@Suite("Content-Security-Policy", .serialized)
struct ContentSecurityPolicyTests {
    static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'"

    /// A post-mortem that tries every way of running script a Markdown author has.
    static let hostile = postMortem(
        title: "Hostile <script>document.title='pwned-title'</script>", services: [#""\"><img src=x onerror=alert(1)>""#],
        extraFrontMatter: "tags: [\"<svg onload=alert(1)>\"]", factorType: "<b onmouseover=alert(1)>Process</b>",
        body: """
            ## Notes

            <script>document.body.dataset.pwned = "script"</script>
            <img src="x" onerror="document.body.dataset.pwned = 'onerror'">
            <div style="background:url(javascript:alert(1))" onclick="alert(1)">styled</div>
            [link](javascript:document.body.dataset.pwned='link') and [data](data:text/html;base64,PHNjcmlwdD4=)
            <iframe src="javascript:alert(1)"></iframe>
            """)

    let folder: TemporaryFolder
    let site: URL

    init() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "Content/2024/2024-03-05-checkout-deploy.md": postMortem(title: "Checkout deploy errors", body: "## Impact\n\nRollback worked."),
            "Content/2024/2024-06-01-dns-timeouts.md": postMortem(
                title: "DNS resolver timeouts", date: "2024-06-01", services: ["dns"],
                extraFrontMatter: "started: 2024-06-01T10:00:00Z\ndetected: 2024-06-01T10:05:00Z\nresolved: 2024-06-01T11:00:00Z",
                factorType: "Technical"),
            "Content/2024/2024-07-01-hostile.md": Self.hostile,
        ])
        folder = try TemporaryFolder()
        site = folder.url.appendingPathComponent("_site")
        _ = try Site.build(BuildOptions(source: .git(repository: repo.path, revision: "HEAD"), output: site))
    }

    /// Every HTML file of the site, relative path and text.
    func pages() throws -> [(path: String, html: String)] {
        try BuiltSite(root: site).files.filter { $0.hasSuffix(".html") }.map { ($0, try BuiltSite(root: site).page($0)) }
    }

    @Test("every page carries the policy first thing, and has no inline script, style attribute or event handler")
    func everyPageCarriesThePolicy() throws {
        let pages = try pages()
        #expect(pages.count > 20)
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.policy)\">"
        let inlineScript = try Regex(#"<script(?![^>]*\ssrc=)[^>]*>"#).ignoresCase()
        let handler = try Regex(#"<[a-z][^>]*\son[a-z]+\s*="#).ignoresCase()
        let styleAttribute = try Regex(#"<[a-z][^>]*\sstyle\s*="#).ignoresCase()
        for (path, html) in pages {
            let head = html.prefix(400)
            #expect(head.contains(meta), "\(path) lacks the policy near the top")
            #expect(html.contains(inlineScript) == false, "\(path) has an inline script")
            #expect(html.contains(handler) == false, "\(path) has an event-handler attribute")
            #expect(html.contains(styleAttribute) == false, "\(path) has a style attribute")
            #expect(html.lowercased().contains("javascript:") == false, "\(path) has a javascript: URL")
            #expect(html.contains("data:text/html") == false, "\(path) has a data: URL")
        }
    }

    @Test("the search script builds results with DOM calls and text, never by parsing strings as HTML")
    func searchScriptNeverParsesHTML() throws {
        let script = try BuiltSite(root: site).page("assets/search.js")
        #expect(script.contains("textContent"))
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout(\"", "DOMParser"] {
            #expect(script.contains(sink) == false, "search.js uses \(sink)")
        }
    }

    @Test("in Chromium the search page works under the policy, and no page reports a violation")
    func siteWorksUnderThePolicy() throws {
        let server = try StaticServer(root: site)
        let search = try Chromium.visit(server.url("search/?q=deploy"))
        #expect(search.dom.contains("Checkout <mark>deploy</mark> errors"), "search shows its results under the policy")
        // Every post-mortem of the fixture whose timeline says "Deploy starts", and the one titled so.
        #expect(search.dom.contains("3 post-mortems for"), "\(search.dom.prefix(2000))")
        #expect(search.console.isEmpty, "console: \(search.console)")

        for page in ["", "postmortems/2024-06-01-dns-timeouts/", "insights/", "action-items/", "factors/", "postmortems/2024-07-01-hostile/"] {
            let visit = try Chromium.visit(server.url(page), budget: 2_000)
            #expect(visit.dom.contains("</main>"), "\(page) rendered")
            let violations = visit.console.filter { $0.contains("Content Security Policy") }
            #expect(violations.isEmpty, "\(page): \(violations)")
        }
    }

    @Test("a post-mortem's script, handlers and javascript: links never run in a reader's browser")
    func hostileContentDoesNotRun() throws {
        let server = try StaticServer(root: site)
        for page in ["postmortems/2024-07-01-hostile/", "", "services/", "tags/", "factors/", "search/?q=hostile"] {
            let visit = try Chromium.visit(server.url(page), budget: 2_000)
            #expect(visit.dom.contains("data-pwned") == false, "\(page) ran injected script")
            #expect(visit.dom.contains("<title>pwned-title") == false, "\(page) ran the title's script")
            #expect(visit.console.contains { $0.contains("alert") || $0.contains("pwned") } == false, "\(page): \(visit.console)")
        }
        let page = try BuiltSite(root: site).page("postmortems/2024-07-01-hostile/index.html")
        #expect(page.contains("Hostile &lt;script&gt;"))
    }
}
