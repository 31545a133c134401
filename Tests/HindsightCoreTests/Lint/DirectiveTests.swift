import Testing

@testable import HindsightCore

@Suite("hindsight-disable comments")
struct DirectiveTests {
    let people = ["Bob"]

    @Test("disable-next-line turns a rule off for the next line only")
    func nextLine() {
        let text = LintHarness.document(summary: """
            <!-- hindsight-disable-next-line blame/language quoting the customer's ticket -->
            The ticket said "human error" in its title.

            The update also blamed human error.
            """)
        let findings = LintHarness.findings("blame/language", text)
        #expect(findings.map { $0.location?.line } == [LintHarness.line(of: "also blamed", in: text)])
    }

    @Test("disable-line works inside a table row")
    func sameLine() {
        let text = LintHarness.document(factors: """
            | Factor | Type | Contribution |
            |---|---|---|
            | Human error in the runbook's title <!-- hindsight-disable-line blame/language --> | Documentation | Low |
            | The loader ignored unknown keys | Technical | High |
            """)
        #expect(LintHarness.findings("blame/language", text).isEmpty)
    }

    @Test("disable and enable bracket a region; a category turns off all its rules")
    func region() {
        let text = LintHarness.document(extra: """
            ## Appendix: chat log

            <!-- hindsight-disable blame -->

            Bob deployed it. Human error, plain and simple.

            <!-- hindsight-enable blame -->

            Afterwards Bob deployed the wrong fix.
            """)
        let findings = LintHarness.lint(text, people: people).filter { $0.ruleID.hasPrefix("blame/") }
        #expect(findings.map { $0.location?.line } == [LintHarness.line(of: "Afterwards Bob", in: text)])
    }

    @Test("disable-file covers the whole file, front matter included")
    func file() {
        let text = LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\nrelated: [gone]", extra: "<!-- hindsight-disable-file schema/related -->\n")
        #expect(LintHarness.lint(text).isEmpty)
    }

    @Test("a comment without ids turns off every rule")
    func everything() {
        let text = LintHarness.document(summary: "<!-- hindsight-disable-next-line -->\nObviously human error: Bob should have known.")
        #expect(LintHarness.lint(text, people: people).isEmpty)
    }

    @Test("an unknown rule id in a comment is lint/unknown-rule, with the likely intent")
    func unknownID() throws {
        let text = LintHarness.document(summary: "<!-- hindsight-disable-next-line blame/langauge -->\nA config push slowed checkout.")
        let finding = try #require(LintHarness.lint(text).first)
        #expect(finding.ruleID == "lint/unknown-rule")
        #expect(finding.message == "unknown rule 'blame/langauge' in a hindsight-disable comment")
        #expect(finding.suggestion == "did you mean 'blame/language'?")
        #expect(finding.location?.line == LintHarness.line(of: "blame/langauge", in: text))
    }

    @Test("comments inside code are not directives")
    func inCode() {
        let text = LintHarness.document(summary: """
            ```
            <!-- hindsight-disable-next-line blame/language -->
            ```
            Human error again.
            """)
        #expect(LintHarness.findings("blame/language", text).count == 1)
    }
}
