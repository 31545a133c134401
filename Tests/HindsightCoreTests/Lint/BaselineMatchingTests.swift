import Foundation
import HindsightCore
import Testing

/// Baseline matching on its own: what a fingerprint keeps across edits, and what it tells apart.
@Suite("Baseline matching")
struct BaselineMatchingTests {
    func finding(_ rule: String, line: Int, column: Int, length: Int?, path: String = "Content/a.md") -> Finding {
        Finding(
            ruleID: rule, severity: .error, location: SourceLocation(path: path, line: line, column: column), length: length,
            message: "m")
    }

    @Test("line endings and indentation do not matter; the flagged words and the rule do")
    func fingerprints() {
        let before = BaselineTexts(files: ["Content/a.md": Data("# T\n\nIt was human error, and é careless.\n".utf8)])
        let after = BaselineTexts(files: ["Content/a.md": Data("# T\r\n\r\nNew line.\r\n\r\n   It was human  error, and é careless.\r\n".utf8)])
        // Columns count Unicode scalars: after "é", "careless" starts at column 27.
        let human = finding("blame/language", line: 3, column: 8, length: 11)
        let careless = finding("blame/language", line: 3, column: 27, length: 8)
        let baseline = Baseline(findings: [human, careless], texts: before)
        #expect(Set(baseline.entries.map(\.fingerprint)).count == 2, "two words on one line are two entries")

        let moved = [finding("blame/language", line: 5, column: 11, length: 12), finding("blame/language", line: 5, column: 31, length: 8)]
        #expect(baseline.filter(moved, texts: after).hidden == 2)
        #expect(baseline.filter([finding("blame/person", line: 5, column: 11, length: 11)], texts: after).hidden == 0)
        #expect(baseline.filter([finding("blame/language", line: 5, column: 11, length: 11, path: "Content/b.md")], texts: after).hidden == 0)
    }

    @Test("the file round-trips, sorted, and other versions are refused")
    func file() throws {
        let texts = BaselineTexts(files: ["Content/b.md": Data("x\n".utf8), "Content/a.md": Data("y\n".utf8)])
        let baseline = Baseline(findings: [finding("z/rule", line: 1, column: 1, length: 1, path: "Content/b.md"),
                                           finding("a/rule", line: 1, column: 1, length: 1, path: "Content/a.md")], texts: texts)
        #expect(baseline.entries.map(\.path) == ["Content/a.md", "Content/b.md"])
        #expect(try Baseline.decode(baseline.encoded(), path: "b.json") == baseline)
        #expect(throws: CheckUsageError.self) { try Baseline.decode(Data("{\"version\": 2, \"findings\": []}".utf8), path: "b.json") }
    }
}
