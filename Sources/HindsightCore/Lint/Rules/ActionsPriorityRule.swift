/// `actions/priority`: an open action item without a priority.
struct ActionsPriorityRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/priority", severity: .warning,
        summary: "An open action item has no priority.",
        rationale: """
            Without a priority every item competes with all other work on equal terms, and the important \
            ones slip. Items already done need none.
            """)

    private let scale: [String]

    init(context: LintContext) {
        scale = context.settings.priorities
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let items = document.postMortem?.actionItems else { return }
        for item in items where item.priority == nil && item.isDone == false {
            report.add(
                "action item '\(ActionsOwnerRule.short(item.text))' has no priority", at: document.location(of: item),
                suggestion: "start the item with [\(scale.first ?? "P1")]…[\(scale.last ?? "P3")], or add a Priority column")
        }
    }
}
