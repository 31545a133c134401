import Foundation
import HindsightSite
import TestSupport
import Testing

/// The same cases as the browser's tokenizer (see SearchBrowserTests), from one shared file.
@Suite("Search tokenizer")
struct SearchTokenizerTests {
    struct Case: Decodable {
        let input: String
        let tokens: [String]
    }

    static func cases() throws -> [Case] {
        let url = packageRoot().appendingPathComponent("Tests/Fixtures/search-tokenizer-cases.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    @Test("lowercases, folds diacritics, splits on anything but letters and digits")
    func sharedCases() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 10)
        for item in cases {
            #expect(SearchTokenizer.tokens(item.input) == item.tokens, "tokens of \(item.input)")
        }
    }

    @Test("stop words are not indexed")
    func stopWords() {
        #expect(SearchTokenizer.indexTokens("the rollback of the deploy") == ["rollback", "deploy"])
    }
}
