/// `completeness/date`: no incident date anywhere (front matter, file name, timeline or history).
struct CompletenessDateRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "completeness/date", severity: .warning,
        summary: "The post-mortem has no incident date.",
        rationale: """
            The archive is ordered by date and grouped by year. Without `date:`, a dated file name or a dated \
            timeline, the post-mortem has no place in time.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("no incident date")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "add `date: YYYY-MM-DD` to the front matter"
    }
}
