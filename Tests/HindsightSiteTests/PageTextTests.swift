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

    @Test("ASCII excerpts, cut by bytes, equal the excerpts cut by Characters")
    func asciiExcerpts() {
        let words = ["rollback", "(canary)", "--", "db.", "x", "\"quoted\"", "[1]", "a_b", "$5", "~", "!", "tab\there", "#"]
        // The same texts every run: a fixed sequence of pseudo-random choices.
        var state: UInt64 = 42
        func next(_ count: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % count
        }
        for _ in 0..<2_000 {
            let text = (0..<next(31)).map { _ in words[next(words.count)] }.joined(separator: next(2) == 0 ? " " : "  ")
            let limit = 1 + next(80)
            #expect(Format.excerpt(text, limit: limit) == Format.excerptCharacters(text, limit: limit), "\(text) \(limit)")
        }
    }

    @Test func rootIsOneStepUpPerFolder() {
        let urls = SiteURLs(baseURL: nil)
        #expect(urls.root(from: "index.html") == "")
        #expect(urls.root(from: "postmortems/a/index.html") == "../../")
        #expect(urls.root(from: "/postmortems//a/") == "../")
        #expect(urls.href("search/", from: "tags/dns/page/2/index.html") == "../../../../search/index.html")
    }
}
