/// `completeness/timeline`: no timeline, or a timeline with no entries that can be read.
struct CompletenessTimelineRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/timeline", severity: .warning,
        summary: "The post-mortem has no timeline.",
        rationale: """
            The timeline is the shared account of what happened and when: it is where detection and response \
            are judged, and where the analysis starts. Without it, the analysis rests on memory.
            """,
        checksDrafts: false)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem else { return }
        guard let section = document.section(.timeline) else {
            report.addAtTop(
                "no timeline: add a ## Timeline section",
                suggestion: "list what happened and when, one line each: `- 14:09 - Alert fires and pages the on-call engineer.`")
            return
        }
        if postMortem.timeline.isEmpty {
            report.add(
                "the \(section.heading) section has no entries", at: section.location,
                suggestion: "write one entry per line as `- 14:09 - event`, or a table whose first column is the time")
        }
    }
}
