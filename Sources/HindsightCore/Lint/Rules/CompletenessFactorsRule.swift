/// `completeness/factors`: no contributing factors.
struct CompletenessFactorsRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/factors", severity: .warning,
        summary: "The post-mortem has no contributing factors.",
        rationale: """
            Contributing factors are what the organisation learns from: the conditions that let the incident \
            happen or made it worse. They feed the archive's cross-incident pages by type (Technical, Process, …).
            """,
        checksDrafts: false)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem else { return }
        let example = "`- **Technical**: The config loader ignored unknown keys.` or a table with Factor, Type and Contribution"
        guard let section = document.section(.factors) else {
            report.addAtTop("no contributing factors: add a ## Contributing Factors section", suggestion: "list them as \(example)")
            return
        }
        if postMortem.factors.isEmpty {
            report.add("the \(section.heading) section lists no factors", at: section.location, suggestion: "list them as \(example)")
        }
    }
}
