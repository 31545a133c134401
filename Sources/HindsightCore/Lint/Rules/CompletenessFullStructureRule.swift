/// `completeness/full-structure`: the most severe incidents (SEV1 and SEV2 by default) without the full structure.
struct CompletenessFullStructureRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "completeness/full-structure", severity: .warning,
        summary: "A SEV1 or SEV2 post-mortem lacks part of the full structure.",
        rationale: """
            The most severe incidents deserve the whole method: impact, an analysis that asks why more than \
            once, what went well and what went poorly, and the lessons. Summary, timeline, factors and action \
            items have rules of their own for every severity.
            """,
        checksDrafts: false)

    private let severities: Set<String>

    private static let required: [(SectionKind, String)] = [
        (.impact, "Impact"), (.analysis, "Five Whys (or Analysis)"), (.wentWell, "What Went Well"),
        (.wentPoorly, "What Went Poorly"), (.lessons, "Lessons Learned"),
    ]

    init(context: LintContext) {
        severities = Set(context.settings.fullStructure(scale: context.configuration.severities))
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem, let severity = postMortem.severity, severities.contains(severity) else {
            return
        }
        let present = Set(document.sections.compactMap(\.kind))
        let missing = Self.required.filter { present.contains($0.0) == false }.map(\.1)
        guard missing.isEmpty == false else { return }
        report.add(
            "a \(severity) post-mortem needs the full structure; missing: \(missing.joined(separator: ", "))",
            at: document.location(ofKey: "severity"),
            suggestion: "add " + missing.map { "## \($0)" }.joined(separator: ", "))
    }
}
