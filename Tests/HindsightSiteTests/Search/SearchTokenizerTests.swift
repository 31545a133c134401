import Foundation
@testable import HindsightSite
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

    @Test("ASCII text takes a byte path that gives the scalar path's tokens and counts")
    func asciiPath() {
        // Deterministic text from every ASCII byte, in runs of letters, digits and separators of any length.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<next(300) { bytes.append(next(4) == 0 ? UInt8(next(128)) : UInt8(0x41 + next(58))) }
            let text = String(decoding: bytes, as: UTF8.self) + " The THE with Withdrawn"
            var viaBytes: [String] = []
            #expect(SearchTokenizer.asciiTokens(text) { viaBytes.append($0) })
            #expect(viaBytes == SearchTokenizer.scalarTokens(text), "tokens of \(text)")
            var counts: [String: Int] = [:]
            let total = SearchTokenizer.count(indexTokensOf: text, into: &counts)
            let expected = SearchTokenizer.scalarTokens(text).filter { !SearchTokenizer.stopWords.contains($0) }
            #expect(total == expected.count)
            #expect(counts == Dictionary(expected.map { ($0, 1) }, uniquingKeysWith: +))
            #expect(counts["withdrawn"] != nil && counts["the"] == nil && counts["with"] == nil)
        }
        // Text that is not ASCII is left to the scalar path, which folds its diacritics.
        #expect(SearchTokenizer.asciiTokens("Café") { _ in } == false)
        var counts: [String: Int] = [:]
        #expect(SearchTokenizer.count(indexTokensOf: "Café au lait, CAFE", into: &counts) == 4)
        #expect(counts == ["cafe": 2, "au": 1, "lait": 1])
    }
}
