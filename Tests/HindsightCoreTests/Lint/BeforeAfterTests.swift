import Testing

@testable import HindsightCore

/// The method's examples: the blame-full versions must be caught, their blameless rewrites must pass clean.
@Suite("Before and after: blame-full examples and their blameless rewrites")
struct BeforeAfterTests {
    @Test("an individual deployed without testing; root cause: negligence; remind him to run tests")
    func deployBlameful() {
        let findings = LintHarness.lint(DeployWithoutTests.blameful, people: ["Dave"])
        let ids = Set(findings.map(\.ruleID))
        for expected in [
            "blame/person", "blame/language", "analysis/root-cause", "hindsight/counterfactual", "actions/blame",
            "actions/person-owner", "actions/priority", "completeness/factors", "completeness/full-structure",
        ] {
            #expect(ids.contains(expected), "expected \(expected)")
        }
        let text = DeployWithoutTests.blameful
        #expect(findings.contains { $0.ruleID == "blame/language" && $0.message == "'negligence' judges a person rather than the system"
            && $0.location?.line == LintHarness.line(of: "Root cause: negligence", in: text) })
        #expect(findings.contains { $0.ruleID == "actions/blame" && $0.message.hasPrefix("'Remind'")
            && $0.location?.column == LintHarness.column(of: "Remind", in: text) })
        // The deploy without testing and the should-have are blame; "Dave rolls back" is narrative.
        #expect(findings.filter { $0.ruleID == "blame/person" }.map(\.message) == [
            "'Dave' is named as the cause", "'Dave' is named as the one who should have acted otherwise",
        ])
    }

    @Test("the deploy's blameless rewrite passes clean")
    func deployBlameless() {
        #expect(LintHarness.lint(DeployWithoutTests.blameless, people: ["Dave"]).isEmpty)
    }

    @Test("the person who 'forgot' to renew a certificate")
    func certificateBlameful() {
        let findings = LintHarness.lint(CertificateExpiry.blameful, people: ["Bob"])
        let ids = Set(findings.map(\.ruleID))
        for expected in [
            "blame/person", "blame/language", "hindsight/counterfactual", "hindsight/minimiser", "analysis/single-factor",
            "actions/blame", "actions/vague", "actions/person-owner", "actions/priority-scale", "timeline/order",
        ] {
            #expect(ids.contains(expected), "expected \(expected)")
        }
    }

    @Test("the certificate's blameless rewrite passes clean")
    func certificateBlameless() {
        #expect(LintHarness.lint(CertificateExpiry.blameless, people: ["Bob"]).isEmpty)
    }
}
