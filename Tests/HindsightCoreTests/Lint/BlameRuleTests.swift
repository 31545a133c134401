import GitKit
import Testing

@testable import HindsightCore

@Suite("Blame and people")
struct BlameRuleTests {
    @Test("a configured person named as the actor is blame/person, at the name")
    func personAsActor() throws {
        let text = LintHarness.document(summary: "Bob deployed the change without running the integration suite.")
        let finding = try #require(LintHarness.findings("blame/person", text, people: ["Bob"]).first)
        #expect(finding.message == "'Bob' is named as the one who acted")
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
        #expect(suggestion("blame/person", "Bob didn't check the dashboard.")?.contains("name the role") == true)
        // A possessive owner loses the name: "Bob's change" → "The change".
        #expect(suggestion("blame/person", "Bob's change broke checkout.")?.contains("\"The change broke checkout.\"") == true)
    }

    @Test("a person in a table cell is found at the cell's column")
    func personInTableCell() throws {
        let text = LintHarness.document(timeline: """
            | Time | Event |
            |---|---|
            | 10:00 | The config change is pushed. |
            | 10:05 | Alert fires; Alice Jones acknowledges the page. |
            """)
        let finding = try #require(LintHarness.findings("blame/person", text, people: ["Alice Jones"]).first)
        #expect(finding.message == "'Alice Jones' is named as the one who acted")
        #expect(finding.location?.line == LintHarness.line(of: "Alice Jones", in: text))
        #expect(finding.location?.column == LintHarness.column(of: "Alice Jones", in: text))
        #expect(finding.length == 11)
    }

    @Test("an @mention that acts is blame/person without any list")
    func mention() {
        let text = LintHarness.document(summary: "The outage began when @alice broke the checkout config.")
        let findings = LintHarness.findings("blame/person", text)
        #expect(findings.map(\.message) == ["'@alice' is named as the one who acted"])
        let team = LintHarness.document(summary: "The outage was handled by @acme/sre and @payments-team.")
        #expect(LintHarness.findings("blame/person", team).isEmpty)
    }

    @Test("cause phrases and possessives name a person as the cause")
    func causeAndPossessive() {
        let people = ["Bob"]
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "The outage was caused by Bob."), people: people)
            .map(\.message) == ["'Bob' is named as the cause"])
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "Bob's change removed the pool setting."), people: people)
            .map(\.message) == ["'Bob's' is named as the owner of the change"])
        #expect(LintHarness.findings("blame/person", LintHarness.document(summary: "The release was deployed by Bob at 10:00."), people: people)
            .count == 1)
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
        let text = LintHarness.document(summary: "Carol restarted the primary. GitHub returned errors. Will deployed the fix.")
        let findings = LintHarness.lint(text, authors: authors).filter { $0.ruleID == "blame/person" }
        #expect(findings.map(\.message) == ["'Carol' is named as the one who acted", "'Will' is named as the one who acted"])
        let allowed = LintHarness.lint(text, authors: authors, settings: "check:\n  allowed_words: [Will]\n")
            .filter { $0.ruleID == "blame/person" }
        #expect(allowed.map(\.message) == ["'Carol' is named as the one who acted"])
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

    @Test("blame/language and actions/blame are errors by default, blame/person a warning")
    func severities() {
        #expect(BlameLanguageRule.descriptor.defaultSeverity == .error)
        #expect(ActionsBlameRule.descriptor.defaultSeverity == .error)
        #expect(BlamePersonRule.descriptor.defaultSeverity == .warning)
    }

    @Test("credit for the review's own work is not blame/person; the agent of a change still is")
    func credits() {
        let people = ["Priya Natarajan", "Sam Okafor"]
        let credit = LintHarness.document(summary: "The analysis below was written by Priya. The timeline was compiled by Sam.")
        #expect(LintHarness.findings("blame/person", credit, people: people).isEmpty)
        let agent = LintHarness.document(summary: "The release was deployed by Priya at 10:00.")
        #expect(LintHarness.findings("blame/person", agent, people: people).map(\.message) == ["'Priya' is named as the one who acted"])
    }
}
