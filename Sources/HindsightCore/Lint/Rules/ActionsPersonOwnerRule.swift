/// `actions/person-owner`: an action item (or the post-mortem's `owner_team`) owned by a person rather than a team.
struct ActionsPersonOwnerRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/person-owner", severity: .warning,
        summary: "An owner is a person rather than a team.",
        rationale: """
            People change teams, go on leave and leave; teams keep the context and the backlog. An owner that \
            is a person also reads as "this person has to make up for it". People are recognised from the \
            repository's commit authors, `check.people`, @handles and e-mail addresses.
            """)

    private let people: PeopleDirectory

    init(context: LintContext) {
        people = context.people
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem else { return }
        let suggestion = "name the team that owns the change, e.g. Platform Team"
        if let owner = postMortem.ownerTeam, people.namesPerson(owner) {
            let key = document.location(ofKey: "owner_team")
            let (location, length) = document.locate(owner, onLine: key.line) ?? (key, nil)
            report.add("owner_team '\(owner)' is a person; a team owns the review", at: location, length: length, suggestion: suggestion)
        }
        for item in postMortem.actionItems {
            guard let owner = item.owner, people.namesPerson(owner) else { continue }
            let fallback = document.location(of: item)
            let (location, length) = document.locate(owner, onLine: fallback.line) ?? (fallback, nil)
            report.add(
                "action item '\(ActionsOwnerRule.short(item.text))' is owned by a person ('\(owner)'); owners are teams",
                at: location, length: length, suggestion: suggestion)
        }
    }
}
