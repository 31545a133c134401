/// `actions/priority-scale`: a priority outside the configured scale (P0–P3 by default).
struct ActionsPriorityScaleRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/priority-scale", severity: .warning,
        summary: "An action item's priority is not on the configured scale.",
        rationale: """
            Priorities are compared across post-mortems. "High", "urgent" or P7 mean different things to \
            different readers; one scale (P0–P3 by default, `check.priorities` to change it) keeps them comparable.
            """)

    private let scale: [String]
    private let keys: Set<String>

    init(context: LintContext) {
        scale = context.settings.priorities
        keys = Set(scale.map { Normalise.priority($0)?.lowercased() ?? $0.lowercased() })
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let items = document.postMortem?.actionItems else { return }
        for item in items {
            guard let priority = item.priority, keys.contains(priority.lowercased()) == false else { continue }
            let fallback = document.location(of: item)
            let (location, length) = document.locate(priority, onLine: fallback.line) ?? (fallback, nil)
            report.add(
                "priority '\(priority)' is not on the scale \(scale.joined(separator: ", "))", at: location, length: length,
                suggestion: "use one of \(scale.joined(separator: ", "))")
        }
    }
}
