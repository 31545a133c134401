import Testing

@testable import HindsightCore

@Suite("Action-item rules")
struct ActionRuleTests {
    @Test("more than ten action items: actions/too-many; the maximum is configurable")
    func tooMany() {
        let items = (1...11).map { "- [ ] [P2] Add guard number \($0) to the deploy pipeline — Platform Team" }.joined(separator: "\n")
        let text = LintHarness.document(actions: items)
        let finding = LintHarness.findings("actions/too-many", text).first
        #expect(finding?.message == "11 action items: more than 10 will not all get done; prioritise ruthlessly")
        #expect(LintHarness.findings("actions/too-many", text, settings: "check:\n  max_action_items: 12\n").isEmpty)
    }

    @Test("an item without an owner: actions/owner; a table's Owner column counts")
    func owner() throws {
        let text = LintHarness.document(actions: "- [ ] [P1] Reject unknown config keys at startup")
        let finding = try #require(LintHarness.findings("actions/owner", text).first)
        #expect(finding.message == "action item 'Reject unknown config keys at startup' has no owner")
        #expect(finding.location?.line == LintHarness.line(of: "Reject unknown", in: text))
        let table = LintHarness.document(actions: """
            | Action | Owner | Priority |
            |---|---|---|
            | Reject unknown config keys at startup | Platform Team | P1 |
            | Route config pushes through the staged rollout | TBD | P2 |
            """)
        let tbd = LintHarness.findings("actions/owner", table)
        #expect(tbd.count == 1)
        #expect(tbd.first?.message.contains("staged rollout") == true)
    }

    @Test("an owner who is a person: actions/person-owner, in a table cell or after a dash")
    func personOwner() throws {
        let table = LintHarness.document(actions: """
            | Action | Owner | Priority |
            |---|---|---|
            | Reject unknown config keys at startup | Bob | P1 |
            | Route config pushes through the staged rollout | @carol | P2 |
            | Alert on pool saturation above 90% | Delivery Team | P2 |
            """)
        let findings = LintHarness.findings("actions/person-owner", table, people: ["Bob"])
        #expect(findings.count == 2)
        #expect(findings[0].location?.column == LintHarness.column(of: "Bob", in: table))
        #expect(findings[0].message.contains("('Bob')"))
        let frontMatter = LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\nowner_team: Bob")
        #expect(LintHarness.findings("actions/person-owner", frontMatter, people: ["Bob"]).map { $0.location?.line } == [4])
    }

    @Test("open items need a priority on the scale")
    func priority() {
        let text = LintHarness.document(actions: """
            - [ ] Reject unknown config keys at startup — Platform Team
            - [x] Revert the config — Platform Team
            - [ ] [P7] Route config pushes through the staged rollout — Delivery Team
            """)
        #expect(LintHarness.findings("actions/priority", text).map(\.message) == [
            "action item 'Reject unknown config keys at startup' has no priority"
        ])
        let scale = LintHarness.findings("actions/priority-scale", text)
        #expect(scale.map(\.message) == ["priority 'P7' is not on the scale P0, P1, P2, P3"])
        #expect(scale.first?.location?.column == LintHarness.column(of: "P7", in: text))
        let words = LintHarness.document(actions: """
            | Action | Owner | Priority |
            |---|---|---|
            | Reject unknown config keys at startup | Platform Team | High |
            """)
        #expect(LintHarness.findings("actions/priority-scale", words).count == 1)
        #expect(LintHarness.findings("actions/priority-scale", words, settings: "check:\n  priorities: [High, Medium, Low]\n").isEmpty)
    }

    @Test("blame in disguise: remind, be more careful, retrain, add a person to review")
    func blameInDisguise() {
        let text = LintHarness.document(actions: """
            - [ ] [P1] Remind engineers to run the integration tests — Platform Team
            - [ ] [P2] Be more careful with config pushes — Platform Team
            - [ ] [P2] Add Bob to review for config changes — Platform Team
            - [ ] [P2] Add a required status check for config pushes — Platform Team
            """)
        let findings = LintHarness.findings("actions/blame", text, people: ["Bob"])
        #expect(findings.map { $0.message.split(separator: "'")[0] } == ["Remind", "Be more careful", "Add Bob to review"])
        #expect(findings[0].suggestion?.contains("a check, a guard, a default or automation") == true)
        // What the item asks people to remember is quoted back, without the owner.
        #expect(findings[0].suggestion?.hasPrefix("make 'run the integration tests' something the system does or enforces") == true)
        #expect(findings[1].suggestion?.hasPrefix("change the system so the safe action is the easy one") == true)
    }

    @Test("blame in disguise in a table cell, but not in the owner column")
    func blameInTable() throws {
        let text = LintHarness.document(actions: """
            | Action | Owner | Priority |
            |---|---|---|
            | Retrain the on-call engineers on config pushes | Remind Team | P2 |
            | Reject unknown config keys at startup | Platform Team | P1 |
            """)
        let findings = LintHarness.findings("actions/blame", text)
        #expect(findings.count == 1)
        #expect(findings[0].location?.column == LintHarness.column(of: "Retrain", in: text))
    }

    @Test("vague and unbounded items: actions/vague; a target or a deliverable passes")
    func vague() {
        let text = LintHarness.document(actions: """
            - [ ] [P2] Investigate the latency spike — Platform Team
            - [ ] [P2] Improve monitoring — SRE Team
            - [ ] [P2] Add more alerting to checkout — SRE Team
            - [ ] [P2] Investigate pool sizing and decide on a default — Platform Team
            - [ ] [P2] Reduce config push time to under 5 minutes — Delivery Team
            - [x] Look into the dashboards — SRE Team
            """)
        let findings = LintHarness.findings("actions/vague", text)
        #expect(findings.map { $0.message.split(separator: "'")[0] } == ["Investigate", "Improve", "more alerting"])
        #expect(findings[0].location?.column == LintHarness.column(of: "Investigate the latency", in: text))
    }

    @Test("when items name factors, a factor no item addresses is actions/unaddressed-factor")
    func unaddressedFactor() throws {
        let factors = """
            | ID | Factor | Type |
            |---|---|---|
            | F1 | The config loader ignored unknown keys | Technical |
            | F2 | Config pushes skipped the staged rollout | Process |
            | F3 | Pool size was not on any dashboard | Technical |
            """
        let text = LintHarness.document(factors: factors, actions: """
            | Action | Owner | Priority | Addresses |
            |---|---|---|---|
            | Reject unknown config keys at startup | Platform Team | P1 | F1 |
            | Route config pushes through the staged rollout | Delivery Team | P2 | F2 |
            """)
        let finding = try #require(LintHarness.findings("actions/unaddressed-factor", text).first)
        #expect(LintHarness.findings("actions/unaddressed-factor", text).count == 1)
        #expect(finding.message == "contributing factor F3 'Pool size was not on any dashboard' is addressed by no action item")
        #expect(finding.location?.line == LintHarness.line(of: "| F3 |", in: text))

        let inline = LintHarness.document(factors: factors, actions: """
            - [ ] [P1] Reject unknown config keys at startup (F1) — Platform Team
            - [ ] [P2] Route config pushes through the staged rollout, and chart pool size (F2, F3) — Delivery Team
            """)
        #expect(LintHarness.findings("actions/unaddressed-factor", inline).isEmpty)
        // Items that name no factor say nothing about coverage.
        #expect(LintHarness.findings("actions/unaddressed-factor", LintHarness.document(factors: factors)).isEmpty)
    }
}
