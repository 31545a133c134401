/// `schema/field`: a front matter value of the wrong shape (a list where one value belongs, a non-boolean `near_miss`…).
struct SchemaFieldRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/field", severity: .error,
        summary: "A front matter value has the wrong shape.",
        rationale: """
            Known keys have a shape: `title` one value, `services` a list, `near_miss` true or false. A value of \
            another shape cannot be read, and the fact it carries is lost.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        let message = diagnostic.message
        return message.contains("must be a single value") || message.contains("must be a list")
            || message.hasPrefix("near_miss must be") || message.hasPrefix("cannot make an id")
    }
}
