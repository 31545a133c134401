/// `style/person-as-actor`: a person named as the one who acted, in a sentence that does not make them the
/// cause ("Priya noticed the trend", "the release was deployed by Bob"). Off unless turned on.
///
/// The facilitation tip of the method: passive voice for human actions ("A deployment was made", not
/// "Bob deployed") keeps the story about the system. It is a tip, not blame: the rule is off by default and
/// reports at `info` when turned on (`style/person-as-actor: info` under `check.rules`).
struct StylePersonAsActorRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "style/person-as-actor", severity: .info,
        summary: "A person is named as the one who acted (a style tip; off by default).",
        rationale: """
            Narrative that names who did what is not blame, but a review written about what happened to the \
            system ("the release was rolled back at 13:30") reads as blameless to everyone, including the \
            people named. Turn the rule on for archives that follow that convention.
            """,
        enabledByDefault: false)

    private let agency: Agency

    init(context: LintContext) {
        agency = Agency(people: context.people, allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            for mention in agency.mentions(in: block) where mention.part == .actor && mention.isRole == false {
                let name = block.text(of: mention.words)
                report.add(
                    "'\(name)' is named as the one who acted", in: document, block: block, range: block.span(mention.words),
                    suggestion: BlamePersonRule.suggestion(mention, in: block))
            }
        }
    }
}
