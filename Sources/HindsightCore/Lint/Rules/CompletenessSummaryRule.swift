/// `completeness/summary`: no summary, neither a `## Summary` section nor an opening paragraph.
struct CompletenessSummaryRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/summary", severity: .warning,
        summary: "The post-mortem has no summary.",
        rationale: """
            Most readers read only the summary: what happened, the impact, how it ended. It is also what the \
            archive shows on every card and in the JSON export.
            """,
        checksDrafts: false)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        if let section = document.section(.summary) {
            if document.blocks(in: section).dropFirst().isEmpty {
                report.add(
                    "the \(section.heading) section is empty", at: section.location,
                    suggestion: "say in two or three sentences what happened, who was affected, and how it ended")
            }
            return
        }
        if document.preamble.contains(where: { $0.kind == .paragraph }) { return }
        report.addAtTop(
            "no summary: add a ## Summary section",
            suggestion: "say in two or three sentences what happened, who was affected, and how it ended")
    }
}
