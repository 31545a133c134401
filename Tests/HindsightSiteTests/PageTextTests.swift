import Testing

@testable import HindsightSite

/// The small texts every page repeats: excerpts of summaries and the way back to the site root.
@Suite("Excerpts and relative links")
struct PageTextTests {
    @Test(arguments: [
        // Short ASCII on one line is kept whole.
        ("A config push raised latency.", 40, "A config push raised latency."),
        // Line breaks become single spaces, blank lines included.
        ("First line.\n\nSecond line.\r\nThird.", 80, "First line. Second line. Third."),
        // Long text is cut at a word, trailing punctuation dropped, with an ellipsis.
        ("The cache stampede, after the deploy, took the database down for an hour.", 32, "The cache stampede, after the…"),
        // Characters, not bytes, count: accented and emoji text is as long as it looks.
        ("Réplica lag grew — café 🚀 déjà vu", 33, "Réplica lag grew — café 🚀 déjà vu"),
        ("Réplica lag grew — café 🚀 déjà vu", 20, "Réplica lag grew…"),
        ("", 10, ""),
    ])
    func excerpts(_ text: String, _ limit: Int, _ expected: String) {
        #expect(Format.excerpt(text, limit: limit) == expected)
    }

    @Test func rootIsOneStepUpPerFolder() {
        let urls = SiteURLs(baseURL: nil)
        #expect(urls.root(from: "index.html") == "")
        #expect(urls.root(from: "postmortems/a/index.html") == "../../")
        #expect(urls.root(from: "/postmortems//a/") == "../")
        #expect(urls.href("search/", from: "tags/dns/page/2/index.html") == "../../../../search/index.html")
    }
}
