/// `schema/severity`: a severity that is not on the archive's scale.
struct SchemaSeverityRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/severity", severity: .error,
        summary: "The severity is not on the configured scale.",
        rationale: """
            Severity pages and statistics group post-mortems by the scale in hindsight.yml (SEV1 to SEV4 by \
            default). A severity outside it would be silently left out of them.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("unknown severity")
    }
}
