/// `schema/other`: any other problem the parser reports, at the parser's own severity.
///
/// The catch-all keeps one promise: whatever stops `hindsight build` also fails `hindsight check`.
struct SchemaOtherRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/other", severity: .error,
        summary: "Another problem the parser found (reported at the parser's severity).",
        rationale: """
            Everything that would stop `hindsight build` must also stop the pull request. Problems without a \
            rule of their own are reported here, as errors or warnings exactly as the build reports them.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool { true }
}
