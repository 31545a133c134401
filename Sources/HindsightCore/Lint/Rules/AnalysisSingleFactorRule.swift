/// `analysis/single-factor`: exactly one contributing factor.
struct AnalysisSingleFactorRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "analysis/single-factor", severity: .warning,
        summary: "Only one contributing factor is listed.",
        rationale: """
            Incidents in complex systems have several contributing factors: the trigger, and the conditions \
            that let it spread, delayed detection or slowed recovery. A single factor usually means the \
            analysis stopped at the trigger.
            """,
        checksDrafts: false)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let factors = document.postMortem?.factors, factors.count == 1 else { return }
        let location = document.block(for: factors[0]).map { document.location(of: $0) } ?? factors[0].location
        report.add(
            "only one contributing factor: what let it cause harm, delayed detection or slowed recovery?", at: location,
            suggestion: "add the conditions around the trigger: detection, safeguards, documentation, organisation")
    }
}
