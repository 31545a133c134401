/// `schema/yaml`: front matter that is not valid YAML, or not a mapping of keys to values.
struct SchemaYAMLRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/yaml", severity: .error,
        summary: "Front matter is not valid YAML.",
        rationale: """
            The front matter carries the facts the archive is built from (date, severity, services, times). \
            When it is not valid YAML none of them can be read and the site build fails.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        let message = diagnostic.message
        return message.hasPrefix("invalid YAML") || message.hasPrefix("duplicate key")
            || message.hasPrefix("front matter must be a mapping") || message.hasPrefix("front matter never closes")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        if diagnostic.message.hasPrefix("front matter never closes") { return "add a line '---' after the last key" }
        if diagnostic.message.hasPrefix("duplicate key") { return "keep one of the two keys" }
        return "quote values that contain ':' or start with '[', '{', '*' or '#'"
    }
}
