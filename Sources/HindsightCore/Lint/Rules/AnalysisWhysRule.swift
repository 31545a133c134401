/// `analysis/whys`: an analysis that asks why fewer than three times (configurable with `min_whys`).
struct AnalysisWhysRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "analysis/whys", severity: .warning,
        summary: "The analysis asks why fewer than three times.",
        rationale: """
            The first answer to "why" is usually the trigger (a deploy, a config push), not the conditions that \
            let it cause harm. Asking again, at least three times, moves the analysis from what happened to \
            what in the system made it possible. An analysis written as prose without why-questions is not \
            counted.
            """,
        checksDrafts: false)

    private let minimum: Int

    init(context: LintContext) {
        minimum = context.settings.minWhys
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let whys = Whys(document), whys.steps.count < minimum else { return }
        let count = whys.steps.count
        report.add(
            "the analysis asks why \(count == 0 ? "no" : String(count)) time\(count == 1 ? "" : "s"); ask at least \(minimum)",
            at: whys.section.location,
            suggestion: "ask why the last answer was possible, until the answer is a condition of the system rather than an event")
    }
}
