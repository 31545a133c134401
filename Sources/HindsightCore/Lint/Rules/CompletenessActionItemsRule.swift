/// `completeness/action-items`: no action items at all; a near miss may instead state the risk it accepts.
struct CompletenessActionItemsRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/action-items", severity: .warning,
        summary: "The post-mortem has no action items.",
        rationale: """
            A post-mortem without follow-up changes nothing. A near miss may end without action items only when \
            it says so: which risk is accepted, and why.
            """,
        checksDrafts: false)

    private let acceptedRisk: PhraseMatcher<Bool>

    init(context: LintContext) {
        acceptedRisk = PhraseMatcher(
            [
                "accepted risk", "accept the risk", "accept this risk", "accept that risk", "accepts the risk",
                "accepted the risk", "accepting the risk", "risk accepted", "risk acceptance", "risk is accepted",
                "risk was accepted", "risks accepted", "accepted risks",
            ].map { ($0, true) })
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem, postMortem.actionItems.isEmpty else { return }
        if postMortem.nearMiss && statesAcceptedRisk(document, postMortem) { return }
        let nearMiss = postMortem.nearMiss ? " (a near miss may leave them out only by stating the risk it accepts)" : ""
        let suggestion = postMortem.nearMiss
            ? "add action items, or write **Accepted risk:** and the risk you accept, with why"
            : "add `- [ ] [P1] Concrete change — Owning Team` for each change that makes the system safer"
        if let section = document.section(.actionItems) {
            report.add("the \(section.heading) section lists no action items\(nearMiss)", at: section.location, suggestion: suggestion)
        } else {
            report.addAtTop("no action items: add a ## Action Items section\(nearMiss)", suggestion: suggestion)
        }
    }

    private func statesAcceptedRisk(_ document: LintDocument, _ postMortem: PostMortem) -> Bool {
        if postMortem.tags.contains(where: { Normalise.slug($0) == "accepted-risk" }) { return true }
        if postMortem.extra.contains(where: { Normalise.slug($0.key) == "accepted-risk" }) { return true }
        return document.blocks.contains { acceptedRisk.matches(in: $0.words).isEmpty == false }
    }
}
