/// `completeness/date-fallback`: the incident date is not stated; it was taken from the commit that added the file.
struct CompletenessDateFallbackRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/date-fallback", severity: .info,
        summary: "The incident date falls back to the commit that added the file.",
        rationale: """
            When a file states no date (front matter, title, a labelled bullet, its name or its timeline), the \
            day it was committed stands in. That is when the post-mortem was written, which can be weeks after \
            the incident: the year pages and the insights' periods then place it wrongly.
            """)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let pm = document.postMortem, pm.dateSource == .commit, let date = pm.date else { return }
        report.addAtTop(
            "no incident date is stated; \(date), the day the file was committed, stands in",
            suggestion: "add `date: YYYY-MM-DD` to the front matter, or map the key your archive uses (`fields: {date: [...]}` in hindsight.yml)")
    }
}
