/// `actions/too-many`: more action items than the configured maximum (default 10).
struct ActionsTooManyRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/too-many", severity: .warning,
        summary: "More action items than the configured maximum (default 10).",
        rationale: """
            A long list of action items is a list that will not be finished. Prioritise ruthlessly: keep the \
            items that address the factors that contributed most, and track the rest as ordinary backlog. \
            Set the maximum with `check.max_action_items`.
            """)

    private let maximum: Int

    init(context: LintContext) {
        maximum = context.settings.maxActionItems
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let items = document.postMortem?.actionItems, items.count > maximum else { return }
        report.add(
            "\(items.count) action items: more than \(maximum) will not all get done; prioritise ruthlessly",
            at: document.section(.actionItems)?.location ?? items[0].location,
            suggestion: "keep the items that address the factors that contributed most; track the rest in the backlog")
    }
}
