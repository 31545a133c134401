/// `actions/owner`: an action item with no owner.
struct ActionsOwnerRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/owner", severity: .warning,
        summary: "An action item has no owner.",
        rationale: """
            An action item nobody owns is an action item nobody does. Every item needs an owning team that \
            will schedule it and answer for it.
            """)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let items = document.postMortem?.actionItems else { return }
        for item in items {
            let owner = item.owner.map { String($0.trimmedSpaces).lowercased() } ?? ""
            guard owner.isEmpty || Lexicon.noOwner.contains(owner) else { continue }
            report.add(
                "action item '\(Self.short(item.text))' has no owner", at: document.location(of: item),
                suggestion: "name the owning team: `— Platform Team` at the end of the item, `(owner: Platform Team)`, or an Owner column")
        }
    }

    /// The first words of an action, for messages.
    static func short(_ text: String) -> String {
        text.count <= 50 ? text : String(text.prefix(47)) + "…"
    }
}
