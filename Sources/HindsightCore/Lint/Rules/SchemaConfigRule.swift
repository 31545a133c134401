/// `schema/config`: a problem in `hindsight.yml` itself, including its `check:` settings.
struct SchemaConfigRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/config", severity: .error,
        summary: "hindsight.yml is not valid.",
        rationale: """
            hindsight.yml sets the content folder, the severity scale and the check's own settings. When it \
            cannot be read, the archive is built and checked with defaults that may not be yours.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        let path = diagnostic.location?.path ?? ""
        return path == Configuration.fileName || path.hasSuffix("/" + Configuration.fileName)
            || diagnostic.message.contains(Configuration.fileName) || diagnostic.message.hasPrefix("content folder")
    }
}
