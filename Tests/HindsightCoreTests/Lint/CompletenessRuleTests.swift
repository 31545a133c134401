import Testing

@testable import HindsightCore

@Suite("Completeness rules")
struct CompletenessRuleTests {
    @Test("no summary: completeness/summary at the top; an opening paragraph counts as one")
    func summary() throws {
        let missing = LintHarness.findings("completeness/summary", LintHarness.document(summary: nil))
        let finding = try #require(missing.first)
        #expect(finding.location == HindsightCore.SourceLocation(path: "Content/incident.md", line: 1, column: 1))
        #expect(finding.severity == .warning)

        let preamble = LintHarness.document(summary: nil).replacingOccurrences(
            of: "# Checkout latency after a config push\n", with: "# Checkout latency after a config push\n\nA config push slowed checkout.\n")
        #expect(LintHarness.findings("completeness/summary", preamble).isEmpty)

        let empty = LintHarness.document(summary: "<!-- to do -->")
        #expect(LintHarness.findings("completeness/summary", empty).first?.message == "the Summary section is empty")
    }

    @Test("no timeline, or one with no entries: completeness/timeline")
    func timeline() {
        #expect(LintHarness.findings("completeness/timeline", LintHarness.document(timeline: nil)).count == 1)
        let empty = LintHarness.findings("completeness/timeline", LintHarness.document(timeline: "To be written."))
        #expect(empty.first?.message == "the Timeline section has no entries")
    }

    @Test("no contributing factors: completeness/factors")
    func factors() {
        #expect(LintHarness.findings("completeness/factors", LintHarness.document(factors: nil)).count == 1)
        let table = LintHarness.document(factors: """
            | Factor | Type | Contribution |
            |---|---|---|
            | The loader ignored unknown keys | Technical | High |
            | Config pushes skipped staged rollout | Process | High |
            """)
        #expect(LintHarness.lint(table).isEmpty)
    }

    @Test("no action items: completeness/action-items")
    func actionItems() {
        let findings = LintHarness.findings("completeness/action-items", LintHarness.document(actions: nil))
        #expect(findings.first?.message == "no action items: add a ## Action Items section")
        let empty = LintHarness.findings("completeness/action-items", LintHarness.document(actions: "None yet."))
        #expect(empty.first?.message == "the Action Items section lists no action items")
    }

    @Test("a near miss may omit action items only by stating an accepted risk")
    func nearMiss() {
        let frontMatter = "severity: SEV3\ndate: 2025-03-04\nnear_miss: true"
        let silent = LintHarness.findings("completeness/action-items", LintHarness.document(frontMatter: frontMatter, actions: nil))
        #expect(silent.count == 1)
        #expect(silent[0].message.contains("near miss"))
        let stated = LintHarness.document(
            frontMatter: frontMatter, actions: nil,
            extra: "## Where We Got Lucky\n\n**Accepted risk:** we depend on one DNS provider; revisit after another outage.\n")
        #expect(LintHarness.findings("completeness/action-items", stated).isEmpty)
        let tagged = LintHarness.document(frontMatter: frontMatter + "\ntags: [accepted-risk]", actions: nil)
        #expect(LintHarness.findings("completeness/action-items", tagged).isEmpty)
    }

    @Test("SEV1 and SEV2 need the full structure; SEV3 does not")
    func fullStructure() throws {
        let sev1 = LintHarness.document(frontMatter: "severity: SEV1\ndate: 2025-03-04")
        let finding = try #require(LintHarness.findings("completeness/full-structure", sev1).first)
        #expect(finding.message == "a SEV1 post-mortem needs the full structure; missing: Impact, What Went Well, What Went Poorly, Lessons Learned")
        #expect(finding.location?.line == 2)
        #expect(LintHarness.findings("completeness/full-structure", LintHarness.document()).isEmpty)

        let full = LintHarness.document(
            frontMatter: "severity: SEV2\ndate: 2025-03-04",
            extra: "## Impact\n\nSlow checkout.\n\n## What Went Well\n\nFast revert.\n\n## What Went Poorly\n\nSlow alert.\n\n## Lessons Learned\n\nConfig is code.\n")
        #expect(LintHarness.lint(full).isEmpty)
    }

    @Test("which severities need the full structure is configurable")
    func fullStructureConfigured() {
        let sev3 = LintHarness.document()
        #expect(LintHarness.findings("completeness/full-structure", sev3, settings: "check:\n  full_structure: [SEV3]\n").count == 1)
    }

    @Test("drafts are not held to completeness")
    func drafts() {
        let draft = LintHarness.document(frontMatter: "severity: SEV1\nstatus: draft\ndate: 2025-03-04", summary: nil, timeline: nil, factors: nil, actions: nil)
        #expect(LintHarness.lint(draft).filter { $0.ruleID.hasPrefix("completeness/") }.isEmpty)
    }
}
