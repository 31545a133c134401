import GitKit
import Testing

@testable import HindsightCore

@Suite("Blame and people")
struct BlameRuleTests {
    @Test("a configured person stated as the cause is blame/person, at the name")
    func personAsCause() throws {
        let text = LintHarness.document(summary: "Bob deployed the change without running the integration suite.")
        let finding = try #require(LintHarness.findings("blame/person", text, people: ["Bob"]).first)
        #expect(finding.message == "'Bob' is named as the cause")
        #expect(finding.location?.line == LintHarness.line(of: "Bob deployed", in: text))
        #expect(finding.location?.column == 1)
        #expect(finding.length == 3)
        #expect(finding.suggestion == "about the system: \"The change was deployed without running the integration suite.\"; "
            + "then say what let it happen and what they could see at the time")
    }

    @Test("suggestions rewrite the sentence in its own words, about the system")
    func rewrites() throws {
        func suggestion(_ rule: String, _ sentence: String, people: [String] = ["Bob"]) -> String? {
            LintHarness.findings(rule, LintHarness.document(summary: sentence), people: people).first?.suggestion
        }
        // The person who acted leaves the sentence; what they acted on becomes its subject, particles kept.
        #expect(suggestion("blame/person", "Then Bob took down the primary database during the migration.")?
            .contains("\"Then the primary database was taken down during the migration.\"") == true)
        #expect(suggestion("blame/person", "Bob pushed the configs without review.")?
            .contains("\"The configs were pushed without review.\"") == true)
        // An agent after "by" is dropped.
        #expect(suggestion("blame/person", "The config was pushed by Bob without review.")?
            .contains("\"The config was pushed without review.\"") == true)
        // A person as the cause becomes a question about the system.
        #expect(suggestion("blame/person", "The outage happened because of Bob.")?
            .contains("[what in the system made this possible]") == true)
        // A judging word is removed; human error becomes the condition behind it.
        #expect(suggestion("blame/language", "A careless push emptied the cache.")?
            .hasSuffix("e.g. \"A push emptied the cache.\"") == true)
        #expect(suggestion("blame/language", "The root cause was human error.")?
            .hasSuffix("e.g. \"The root cause was [the condition that made the slip possible].\"") == true)
        // A sentence whose shape has no rewrite gets the general advice.
        #expect(suggestion("blame/person", "Bob was the reason, because of Bob.")?.contains("[what in the system made this possible]") == true)
        // The owner of a mistake loses the name: "Bob's typo" → "The typo".
        #expect(suggestion("blame/person", "Bob's typo broke checkout.")?.contains("\"The typo broke checkout.\"") == true)
        // Counterfactuals and should-haves get advice about the system rather than a rewrite.
        #expect(suggestion("blame/person", "Had Bob read the alert, nothing would have happened.")?.hasPrefix("ask what in the system would have caught it") == true)
        #expect(suggestion("blame/person", "Bob should have checked the dashboard.")?.hasPrefix("describe what the person knew and saw") == true)
    }

    @Test("a person in a table cell is found at the cell's column")
    func personInTableCell() throws {
        let text = LintHarness.document(timeline: """
            | Time | Event |
            |---|---|
            | 10:00 | The config change is pushed. |
            | 10:05 | Alert fires; Alice Jones silences the page. |
            """)
        let finding = try #require(LintHarness.findings("blame/person", text, people: ["Alice Jones"]).first)
        #expect(finding.message == "'Alice Jones' is named as the cause")
        #expect(finding.location?.line == LintHarness.line(of: "Alice Jones", in: text))
        #expect(finding.location?.column == LintHarness.column(of: "Alice Jones", in: text))
        #expect(finding.length == 11)
    }

    @Test("an @mention that acts is blame/person without any list")
    func mention() {
        let text = LintHarness.document(summary: "The outage began when @alice broke the checkout config.")
        let findings = LintHarness.findings("blame/person", text)
        #expect(findings.map(\.message) == ["'@alice' is named as the cause"])
        let team = LintHarness.document(summary: "The outage was handled by @acme/sre and @payments-team.")
        #expect(LintHarness.findings("blame/person", team).isEmpty)
    }

    @Test("cause phrases and possessives name a person as the cause")
    func causeAndPossessive() {
        let people = ["Bob"]
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "The outage was caused by Bob."), people: people)
            .map(\.message) == ["'Bob' is named as the cause"])
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "Bob's mistake removed the pool setting."), people: people)
            .map(\.message) == ["'Bob's' is named as the owner of the mistake"])
        // A change is the owner's fault only when the sentence says it did harm.
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "Bob's change broke checkout."), people: people)
            .map(\.message) == ["'Bob's' is named as the cause"])
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "Bob's change removed the pool setting."), people: people).isEmpty)
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "The wrong tag was deployed by Bob."), people: people)
            .map(\.message) == ["'Bob' is named as the cause"])
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "The release was deployed by Bob at 10:00."), people: people).isEmpty)
    }

    @Test("counterfactuals and should-haves about a person or a role; a counterfactual that credits passes")
    func counterfactuals() {
        let people = ["Bob"]
        func messages(_ summary: String) -> [String] {
            LintHarness.findings("blame/person", LintHarness.document(summary: summary), people: people).map(\.message)
        }
        #expect(messages("Had Bob read the alert, the outage would not have happened.")
            == ["'Bob' is put in a counterfactual: what they might have done, not what the system allowed"])
        #expect(messages("If Bob hadn't run the migration at peak, nobody would have noticed.").count == 1)
        #expect(messages("If the on-call engineer had followed the runbook, the failover would have worked.").count == 1)
        #expect(messages("Bob should have waited for the canary.") == ["'Bob' is named as the one who should have acted otherwise"])
        #expect(messages("The reviewer ought to have caught the missing clause.").count == 1)
        #expect(messages("Had Bob not spotted the trend, detection would have taken an hour longer.").isEmpty)
        #expect(messages("Had the pipeline required a review, the change would not have shipped.").isEmpty)
    }

    @Test("a role stated as the cause is blame/person; a role that acts, or that is acted on, is not")
    func roles() {
        func messages(_ summary: String) -> [String] {
            LintHarness.findings("blame/person", LintHarness.document(summary: summary)).map(\.message)
        }
        #expect(messages("The release manager approved a bad change and caused the outage.") == ["'The release manager' is named as the cause"])
        #expect(messages("The outage happened because the DBA dropped the wrong table.") == ["'the DBA' is named as the cause"])
        #expect(messages("Support staff misrouted the first report, delaying detection by an hour.").count == 1)
        #expect(messages("The on-call engineer rolled back the bad release at 14:36.").isEmpty)
        #expect(messages("Alertmanager paged the on-call engineer, who acknowledged within a minute.").isEmpty)
        #expect(messages("Special thanks to the DBA team for restoring the backups overnight.").isEmpty)
    }

    @Test("narrative that names who acted is not blame; style/person-as-actor points it out when turned on")
    func narrative() {
        let people = ["Priya", "Sam"]
        let text = LintHarness.document(summary: "Priya noticed the error-rate trend and posted a graph. Sam rolled the gateway back; errors dropped.")
        #expect(LintHarness.findings("blame/person", text, people: people).isEmpty)
        #expect(LintHarness.findings("style/person-as-actor", text, people: people).isEmpty, "off by default")
        let on = LintHarness.findings("style/person-as-actor", text, people: people, settings: "check:\n  rules:\n    style/person-as-actor: info\n")
        #expect(on.map(\.message) == ["'Priya' is named as the one who acted", "'Sam' is named as the one who acted"])
        #expect(on.allSatisfy { $0.severity == .info })
        #expect(on[0].suggestion?.contains("\"The error-rate trend was noticed and posted a graph.\"") == true
            || on[0].suggestion?.contains("about the system") == true)
        // `*` raises the rules that run; it does not turn on a rule that is off by default.
        #expect(LintHarness.findings("style/person-as-actor", text, people: people, settings: "check:\n  rules:\n    \"*\": error\n").isEmpty)
    }

    @Test("roles, passive voice and people who do not act are not flagged")
    func notFlagged() {
        let people = ["Bob", "Alice"]
        for summary in [
            "The on-call engineer deployed the change at 10:00.",
            "The change was deployed at 10:00 and reverted at 10:20.",
            "Thanks to Bob and Alice for the review.",
            "Bob, Alice and the checkout team reviewed this document.",
            "bob deployed nothing: lowercase words are not names.",
        ] {
            #expect(LintHarness.findings("blame/person", LintHarness.document(summary: summary), people: people).isEmpty, "\(summary)")
        }
    }

    @Test("people come from commit authors; bots and allowed words are not people")
    func authors() {
        let authors = [
            CommitAuthor(name: "Carol Smith", email: "carol@example.org", commits: 3),
            CommitAuthor(name: "GitHub Actions", email: "actions@github.com", commits: 9),
            CommitAuthor(name: "dependabot[bot]", email: "support@github.com", commits: 4),
            CommitAuthor(name: "Will Jones", email: "will@example.org", commits: 1),
        ]
        let text = LintHarness.document(summary: "Carol restarted the wrong primary. GitHub returned errors. Will deployed the wrong fix.")
        let findings = LintHarness.lint(text, authors: authors).filter { $0.ruleID == "blame/person" }
        #expect(findings.map(\.message) == ["'Carol' is named as the cause", "'Will' is named as the cause"])
        let allowed = LintHarness.lint(text, authors: authors, settings: "check:\n  allowed_words: [Will]\n")
            .filter { $0.ruleID == "blame/person" }
        #expect(allowed.map(\.message) == ["'Carol' is named as the cause"])
    }

    @Test("human error is blame/language with a concrete rewrite")
    func humanError() throws {
        let text = LintHarness.document(summary: "The outage was caused by human error during the config push.")
        let finding = try #require(LintHarness.findings("blame/language", text).first)
        #expect(finding.message == "'human error' stops the analysis at a person")
        #expect(finding.suggestion?.hasPrefix("describe the system condition that made the action possible") == true)
        #expect(finding.location?.column == LintHarness.column(of: "human error", in: text))
        #expect(finding.length == 11)
    }

    @Test("judgements and blame hunting, in list items and table cells")
    func judgements() {
        let text = LintHarness.document(factors: """
            | Factor | Type | Contribution |
            |---|---|---|
            | Negligence during the push | Process | High |
            | The loader ignored unknown keys | Technical | High |
            """, extra: "## What Went Poorly\n\n- A careless push went out on Friday.\n- Nobody asked who did the push until later.\n")
        let findings = LintHarness.findings("blame/language", text)
        #expect(findings.map { $0.message } == [
            "'Negligence' judges a person rather than the system",
            "'careless' judges a person rather than the system",
            "'who did' looks for someone to blame",
        ])
        #expect(findings[0].location?.column == 3)
    }

    @Test("blameless wording and allowed words pass")
    func blamelessPasses() {
        let text = LintHarness.document(summary: "This review is blameless: the config loader made the error easy to make.")
        #expect(LintHarness.findings("blame/language", text).isEmpty)
        let allowed = LintHarness.document(summary: "We studied human error as a research topic.")
        #expect(LintHarness.findings("blame/language", allowed, settings: "check:\n  allowed_words: [human error]\n").isEmpty)
    }

    @Test("technical words that look like judgements pass: a culprit commit, lazy loading; a lazy person does not")
    func technicalTriggers() {
        let technical = LintHarness.document(summary: """
            The culprit was a stale cache entry, and the culprit PR introduced the regression. \
            We should test lazy loaded extensions and make lazy-loading opt-in.
            """)
        #expect(LintHarness.findings("blame/language", technical).isEmpty)
        let judged = LintHarness.document(summary: "A lazy review let the change through.")
        #expect(LintHarness.findings("blame/language", judged).map(\.message) == ["'lazy' judges a person rather than the system"])
    }

    @Test("blame/person, blame/language and actions/blame are errors by default; the style tip is off")
    func severities() {
        #expect(BlameLanguageRule.descriptor.defaultSeverity == .error)
        #expect(ActionsBlameRule.descriptor.defaultSeverity == .error)
        #expect(BlamePersonRule.descriptor.defaultSeverity == .error)
        #expect(StylePersonAsActorRule.descriptor.enabledByDefault == false)
    }

    @Test("credit for the review's own work is never flagged, not even as style; the agent of harm is blame")
    func credits() {
        let people = ["Priya Natarajan", "Sam Okafor"]
        let style = "check:\n  rules:\n    style/person-as-actor: info\n"
        let credit = LintHarness.document(summary: "The analysis below was written by Priya. The timeline was compiled by Sam. Sleuthing and details by @sam.")
        #expect(LintHarness.lint(credit, people: people, settings: style).filter { $0.ruleID.contains("person") }.isEmpty)
        let agent = LintHarness.document(summary: "The wrong release was deployed by Priya at 10:00.")
        #expect(LintHarness.findings("blame/person", agent, people: people).map(\.message) == ["'Priya' is named as the cause"])
    }
}
