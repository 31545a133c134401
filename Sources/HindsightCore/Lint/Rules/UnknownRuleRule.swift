/// `lint/unknown-rule`: a rule id in `check.rules` or in a `hindsight-disable` comment that does not exist.
///
/// A misspelt id silently turns nothing off; this rule makes the typo visible. The linter reports it
/// while reading directives and settings, so the rule itself reads no text.
struct UnknownRuleRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "lint/unknown-rule", severity: .warning,
        summary: "A configuration or directive names a rule that does not exist.",
        rationale: """
            A misspelt rule id in hindsight.yml or in a `<!-- hindsight-disable … -->` comment turns nothing \
            off and nothing on. Reporting it keeps suppressions honest.
            """)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {}
}
