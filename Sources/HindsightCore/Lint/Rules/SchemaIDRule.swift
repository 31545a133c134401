/// `schema/id`: an `id` that is not a slug, so a different one is used.
struct SchemaIDRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/id", severity: .warning,
        summary: "The id is not a slug and was changed.",
        rationale: """
            Ids become URLs and `related` links. An id with capitals or spaces is turned into a slug, so links \
            written with the id as given would not match.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.contains("is not a slug")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "write the id in lowercase letters, digits and '-'"
    }
}
