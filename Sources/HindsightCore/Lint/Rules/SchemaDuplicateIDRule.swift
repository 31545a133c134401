/// `schema/duplicate-id`: two post-mortems with the same id.
struct SchemaDuplicateIDRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/duplicate-id", severity: .error,
        summary: "Two post-mortems have the same id.",
        rationale: """
            The id is the post-mortem's address and what `related` links to. Two files with one id would \
            publish to the same page, and links would reach only one of them.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("duplicate id")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "give one of them its own `id:` in the front matter, or rename the file"
    }
}
