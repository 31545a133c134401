import Testing

@testable import HindsightCore

@Suite("Shallow analysis")
struct AnalysisRuleTests {
    @Test("two whys are fewer than three: analysis/whys at the heading")
    func fewWhys() throws {
        let text = LintHarness.document(analysis: """
            1. Why did latency rise? The pool size was read as zero.
            2. Why? The key was renamed.
            """)
        let finding = try #require(LintHarness.findings("analysis/whys", text).first)
        #expect(finding.message == "the analysis asks why 2 times; ask at least 3")
        #expect(finding.location?.line == LintHarness.line(of: "## Five Whys", in: text))
    }

    @Test("a whys table counts its rows; the minimum is configurable")
    func whysTable() {
        let text = LintHarness.document(analysis: """
            | Why | Because |
            |---|---|
            | Why did latency rise? | The pool size was read as zero. |
            | Why was it zero? | The key was renamed. |
            | Why was the rename accepted? | The loader ignored unknown keys. |
            """)
        #expect(LintHarness.findings("analysis/whys", text).isEmpty)
        #expect(LintHarness.findings("analysis/whys", text, settings: "check:\n  min_whys: 5\n").count == 1)
    }

    @Test("an analysis written as prose without whys is not counted")
    func proseAnalysis() {
        let text = LintHarness.document(analysis: nil, extra: """
            ## Analysis

            The loader accepted unknown keys, so the renamed setting was dropped and the default of zero applied.
            """)
        #expect(LintHarness.findings("analysis/whys", text).isEmpty)
    }

    @Test("a last why that ends on a person is analysis/last-why-person")
    func lastWhyPerson() throws {
        let text = LintHarness.document(analysis: """
            1. Why did latency rise? The pool size was read as zero.
            2. Why was it zero? The key was renamed in the release.
            3. Why was the rename not caught? Because the engineer did not run the integration tests.
            """)
        let finding = try #require(LintHarness.findings("analysis/last-why-person", text).first)
        #expect(finding.message == "the last why ends on a person: 'engineer did'")
        #expect(finding.location?.column == LintHarness.column(of: "engineer did", in: text))
        #expect(LintHarness.findings("analysis/last-why-person", LintHarness.document()).isEmpty)
    }

    @Test("a question about a person answered with a system condition passes")
    func questionAboutPerson() {
        let text = LintHarness.document(analysis: """
            1. Why did latency rise? The pool size was read as zero.
            2. Why was it zero? The key was renamed in the release.
            3. Why did the engineer not notice? The dashboard did not show pool size.
            """)
        #expect(LintHarness.findings("analysis/last-why-person", text).isEmpty)
    }

    @Test("one contributing factor is analysis/single-factor; two pass")
    func singleFactor() throws {
        let text = LintHarness.document(factors: "- **Technical**: The config loader ignored unknown keys.")
        let finding = try #require(LintHarness.findings("analysis/single-factor", text).first)
        #expect(finding.location?.line == LintHarness.line(of: "The config loader ignored", in: text))
        #expect(LintHarness.findings("analysis/single-factor", LintHarness.document()).isEmpty)
    }

    @Test("'the root cause' is analysis/root-cause, information only")
    func rootCause() throws {
        let text = LintHarness.document(summary: "The root cause was a renamed configuration key.")
        let finding = try #require(LintHarness.findings("analysis/root-cause", text).first)
        #expect(finding.severity == .info)
        #expect(finding.message == "'The root cause' implies a single cause")
        #expect(finding.suggestion == "list the contributing factors under ## Contributing Factors, each with its type")
        let colon = LintHarness.document(summary: "Root cause: a renamed configuration key.")
        #expect(LintHarness.findings("analysis/root-cause", colon).count == 1)
    }

    @Test("'Root Causes' as a heading and root cause analysis as a term pass")
    func rootCausesPlural() {
        let text = LintHarness.document(factors: nil, extra: """
            ## Root Causes

            - **Technical**: The config loader ignored unknown keys.
            - **Process**: Config pushes skipped the staged rollout.

            We did a root cause analysis with the whole team.
            """)
        #expect(LintHarness.findings("analysis/root-cause", text).isEmpty)
    }
}
