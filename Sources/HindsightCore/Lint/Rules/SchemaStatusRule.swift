/// `schema/status`: a status other than draft, in-review or published.
struct SchemaStatusRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/status", severity: .error,
        summary: "The status is not draft, in-review or published.",
        rationale: """
            The status decides whether a post-mortem is published. An unknown status cannot be placed in the \
            review workflow.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("unknown status")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "use `status: draft`, `status: in-review` or `status: published`"
    }
}
