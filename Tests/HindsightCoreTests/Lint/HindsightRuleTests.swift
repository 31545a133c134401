import Testing

@testable import HindsightCore

@Suite("Counterfactuals and minimisers")
struct HindsightRuleTests {
    @Test("should have is hindsight/counterfactual with a rewrite")
    func shouldHave() throws {
        let text = LintHarness.document(summary: "The reviewer should have caught the renamed key.")
        let finding = try #require(LintHarness.findings("hindsight/counterfactual", text).first)
        #expect(finding.message == "'should have' is hindsight: it judges the past by what is known now")
        #expect(finding.suggestion == "state what happened and what made it hard to see at the time")
        #expect(finding.location?.column == LintHarness.column(of: "should have", in: text))
    }

    @Test("forgot to, if only, and could have outside the lucky section")
    func others() {
        let text = LintHarness.document(extra: """
            ## What Went Poorly

            - The engineer forgot to check the canary.
            - If only the alert had fired sooner.
            - We could have rolled back sooner.

            ## Where We Got Lucky

            It could have been much worse at peak traffic.
            """)
        let phrases = LintHarness.findings("hindsight/counterfactual", text).map { $0.message.split(separator: "'")[0] }
        #expect(phrases == ["forgot to", "If only", "could have"])
    }

    @Test("'failed to' is flagged for people, not for systems")
    func failedTo() {
        let person = LintHarness.document(summary: "The on-call engineer failed to notice the alert.")
        #expect(LintHarness.findings("hindsight/counterfactual", person).count == 1)
        let system = LintHarness.document(summary: "The health check failed to detect the stuck worker.")
        #expect(LintHarness.findings("hindsight/counterfactual", system).isEmpty)
    }

    @Test("a counterfactual in a table cell is found")
    func inTableCell() throws {
        let text = LintHarness.document(factors: """
            | Factor | Type | Contribution |
            |---|---|---|
            | Reviewers should have spotted the key rename | Process | High |
            | The loader ignored unknown keys | Technical | High |
            """)
        let finding = try #require(LintHarness.findings("hindsight/counterfactual", text).first)
        #expect(finding.location?.line == LintHarness.line(of: "should have spotted", in: text))
        #expect(finding.location?.column == LintHarness.column(of: "should have", in: text))
    }

    @Test("minimisers: obviously, simply, just")
    func minimisers() {
        let text = LintHarness.document(summary: "Obviously the dashboard showed it; the engineer just had to restart the pool, or simply wait.")
        let words = LintHarness.findings("hindsight/minimiser", text).map { $0.message.split(separator: "'")[0] }
        #expect(words == ["Obviously", "just", "simply"])
    }

    @Test("'just' about time and 'clearly' about manner are not minimisers")
    func notMinimisers() {
        for summary in [
            "The alert fired just after 10:00 and again just before the revert.",
            "The rollout had just started when latency rose.",
            "The fix took just 5 minutes once the key was known.",
            "The status page explained the impact clearly.",
            "The runbook is written simply in plain steps.",
        ] {
            #expect(LintHarness.findings("hindsight/minimiser", LintHarness.document(summary: summary)).isEmpty, "\(summary)")
        }
        #expect(LintHarness.findings("hindsight/minimiser", LintHarness.document(summary: "It was clearly wrong.")).count == 1)
    }

    @Test("words inside inline code are never flagged")
    func code() {
        let text = LintHarness.document(summary: "The flag `--just-restart` and the script `should_have_failed.sh` ran as designed.")
        #expect(LintHarness.lint(text).isEmpty)
    }
}
