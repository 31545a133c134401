import Foundation
import Testing
import TestSupport

@testable import HindsightCore
@testable import HindsightSite

@Suite("Theme templates: overrides see the documented fields, and a broken template stops the build")
struct ThemeTemplateTests {
    @Test("an archive that overrides card, postmortem and footer builds with the field names templates always had")
    func overridesKeepWorking() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "Content/a.md": postMortem(title: "Checkout <errors>", services: ["checkout", "payments"]),
            "Content/b.md": postMortem(title: "Queue backlog", date: "2024-04-01", extraFrontMatter: "related: [a]"),
            "Theme/templates/card.mustache":
                "<li class=\"my-card\" data-id=\"{{id}}\">{{title}} · {{date}} · {{severity}}{{#services}} [{{name}}]{{/services}}</li>",
            "Theme/templates/postmortem.mustache": """
                {{> header}}{{#pm}}<h1 class="mine">{{title}}</h1><p>{{page.title}}</p>
                {{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}
                {{#has_related}}<ul>{{#related}}<li><a href="{{href}}">{{title}}</a></li>{{/related}}</ul>{{/has_related}}
                {{#history}}<p>revisions {{revisions}}</p>{{/history}}
                <div>{{{body_html}}}</div>{{/pm}}{{> footer}}
                """,
            "Theme/templates/footer.mustache": "<footer>{{site.title}} by {{site.generator}}</footer></main></body></html>",
        ])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let index = try site.page("index.html")
        #expect(index.contains("<li class=\"my-card\" data-id=\"a\">Checkout &lt;errors&gt; · 2024-03-05 · SEV2 [checkout] [payments]</li>"))
        let page = try site.page("postmortems/b/index.html")
        #expect(page.contains("<h1 class=\"mine\">Queue backlog</h1><p>Queue backlog</p>"))
        #expect(page.contains("<dt>Severity</dt><dd>SEV2</dd>"))
        #expect(page.contains("<li><a href=\"../../postmortems/a/index.html\">Checkout &lt;errors&gt;</a></li>"))
        #expect(page.contains("<p>revisions 1</p>"))
        #expect(page.contains("Something happened to Queue backlog."))
        #expect(page.contains("<footer>Post-mortems by \(Site.generator)</footer>"))
    }

    @Test("a template that does not compile fails the build at its line and column, and the previous site stays")
    func brokenTemplate() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "A")])
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let before = try site.page("index.html")

        for (template, expected) in [
            ("<p>\n  {{#pm}}{{title}}\n", "Theme/templates/card.mustache:2:3: error:"),
            ("<p>{{uppercased(title)}}</p>", "Theme/templates/card.mustache:1:4: error:"),
        ] {
            try repo.commit(["Theme/templates/card.mustache": template])
            #expect {
                _ = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
            } throws: { error in
                String(describing: error).contains(expected)
            }
            #expect(try site.page("index.html") == before)
        }
    }

    @Test("a page's key changes with each of its inputs and the site's values, and a keyed value stands by its key")
    func pageKeys() throws {
        let urls = SiteURLs(baseURL: nil)
        let values = { (generator: String, urls: SiteURLs) in
            SiteValues(title: "T", generator: generator, revision: nil, showsRevision: false, urls: urls)
        }
        let site = values("g", urls)
        let terms = [Term(name: "checkout", slug: "checkout", members: [0])]
        let taxonomy = TaxonomyName(folder: "services", name: "Services", singular: "Service")
        let page = TermListPage(taxonomy, terms: terms, urls: urls)
        let key = PageKey(site: site).of(page)
        #expect(PageKey(site: site).of(TermListPage(taxonomy, terms: terms, urls: urls)) == key)
        #expect(PageKey(site: site).of(TermListPage(taxonomy, terms: [Term(name: "checkout", slug: "checkout", members: [0, 1])], urls: urls)) != key)
        #expect(PageKey(site: site).of(TermListPage(TaxonomyName(folder: "services", name: "Services", singular: "Svc"), terms: terms, urls: urls)) != key)
        #expect(PageKey(site: values("g", SiteURLs(baseURL: "/x/"))).of(page) != key)
        #expect(PageKey(site: values("h", urls)).of(page) != key)

        // A keyed value's key is all the page's key holds of it.
        struct Probe: SitePage {
            static let template = "404"
            let path = "probe.html"
            let value: Keyed<String>
            func make(_ context: PageContext) -> PageModel<NotFoundPage.Model> { PageModel(title: value.value, model: .init()) }
        }
        #expect(PageKey(site: site).of(Probe(value: Keyed("one", key: "k"))) == PageKey(site: site).of(Probe(value: Keyed("two", key: "k"))))
        #expect(PageKey(site: site).of(Probe(value: Keyed("one", key: "k"))) != PageKey(site: site).of(Probe(value: Keyed("one", key: "l"))))
        #expect(PageKey(site: site).of(Probe(value: Keyed("one", key: nil))) != PageKey(site: site).of(Probe(value: Keyed("one", key: nil))))
    }

    @Test("keys tell nesting, order, nil and empty apart")
    func keyEncoding() {
        struct Inner: Encodable { let b: Int; var c: Int? = nil }
        struct Outer: Encodable { let a: Inner; let c: Int? }
        struct Texts: Encodable { let x: String, y: String }
        struct List: Encodable { let items: [String?] }
        #expect(KeyEncoder.key(Outer(a: Inner(b: 1), c: 2)) != KeyEncoder.key(Outer(a: Inner(b: 1, c: 2), c: nil)))
        #expect(KeyEncoder.key(Texts(x: "ab", y: "")) != KeyEncoder.key(Texts(x: "a", y: "b")))
        #expect(KeyEncoder.key(List(items: [nil])) != KeyEncoder.key(List(items: [""])))
        #expect(KeyEncoder.key(List(items: [])) != KeyEncoder.key(List(items: [nil])))
        #expect(KeyEncoder.key(Texts(x: "a", y: "b")) == KeyEncoder.key(Texts(x: "a", y: "b")))
        // Every integer and float width is a value of its own (none recurses into the generic path).
        struct Widths: Encodable { let a: Int8; let b: UInt16; let c: Int32; let d: UInt64; let e: Float; let f: [UInt8] }
        let widths = Widths(a: -1, b: 2, c: 3, d: 4, e: 0.5, f: [7])
        #expect(KeyEncoder.key(widths) == KeyEncoder.key(widths))
        #expect(KeyEncoder.key(widths) != KeyEncoder.key(Widths(a: -1, b: 2, c: 3, d: 5, e: 0.5, f: [7])))
    }
}
