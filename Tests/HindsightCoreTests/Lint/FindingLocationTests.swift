import Testing

@testable import HindsightCore

@Suite("Findings point at the exact line and column")
struct FindingLocationTests {
    func location(_ text: String) -> HindsightCore.SourceLocation? {
        LintHarness.findings("blame/language", text).first?.location
    }

    @Test("after escapes and entities on the same line")
    func escapes() {
        let text = LintHarness.document(summary: #"A \*starred\* note &amp; then human error."#)
        #expect(location(text)?.column == LintHarness.column(of: "human error", in: text))
    }

    @Test("after emphasis, links and inline code")
    func markup() {
        let text = LintHarness.document(summary: "The **deploy** of [`v2`](https://example.org) was human error.")
        #expect(location(text)?.column == LintHarness.column(of: "human error", in: text))
    }

    @Test("on the continuation line of a wrapped list item")
    func continuation() {
        let text = LintHarness.document(extra: "## What Went Poorly\n\n- The deploy went out on a Friday\n  and was called human error.\n")
        #expect(location(text)?.line == LintHarness.line(of: "and was called", in: text))
        #expect(location(text)?.column == LintHarness.column(of: "human error", in: text))
    }

    @Test("a phrase wrapped across two lines is still found, at its first word")
    func wrapped() {
        let text = LintHarness.document(summary: "The incident report called it human\nerror at first.")
        #expect(location(text)?.line == LintHarness.line(of: "called it human", in: text))
    }

    @Test("columns count characters, not bytes")
    func unicode() {
        let text = LintHarness.document(summary: "Café naïve résumé — human error.")
        #expect(location(text)?.column == LintHarness.column(of: "human error", in: text))
    }

    @Test("in a table cell after other cells")
    func cell() {
        let text = LintHarness.document(timeline: """
            | Time | Event |
            |---|---|
            | 10:00 | The push starts; the alert fires. |
            | 10:05 | Ops call it human error. |
            """)
        #expect(location(text)?.line == LintHarness.line(of: "Ops call it", in: text))
        #expect(location(text)?.column == LintHarness.column(of: "human error", in: text))
    }

    @Test("in the front matter title")
    func title() {
        let text = LintHarness.document(frontMatter: "title: Human error in checkout\nseverity: SEV3\ndate: 2025-03-04")
        #expect(location(text) == HindsightCore.SourceLocation(path: "Content/incident.md", line: 2, column: 8))
    }
}
