/// `schema/related`: a `related` id that names no post-mortem in the archive.
struct SchemaRelatedRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/related", severity: .error,
        summary: "A related id names no post-mortem in the archive.",
        rationale: """
            `related` links incidents so readers can follow a recurring problem. A link to an id that does not \
            exist is a dead end, usually a typo or a file renamed since.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("related post-mortem") && diagnostic.message.hasSuffix("does not exist")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "use the id of an existing post-mortem: its file name without .md, or its `id:`"
    }
}
