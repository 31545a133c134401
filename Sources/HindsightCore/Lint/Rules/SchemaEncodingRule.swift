/// `schema/encoding`: a file that is not UTF-8 text.
struct SchemaEncodingRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/encoding", severity: .error,
        summary: "The file is not UTF-8 Markdown text.",
        rationale: """
            Post-mortems are read as UTF-8 Markdown. Binary files cannot be read; invalid bytes are replaced \
            and the text published with � in it.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.hasPrefix("binary file") || diagnostic.message.contains("not valid UTF-8")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        "save the file as UTF-8; keep images beside it in a page bundle instead of under a .md name"
    }
}
