/// `schema/date`: a `date` or a timestamp (`started`, `detected`, …) that does not parse.
struct SchemaDateRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "schema/date", severity: .error,
        summary: "A date or timestamp does not parse.",
        rationale: """
            Dates place the incident in the archive; timestamps give time to detect and time to resolve. A value \
            that does not parse is lost, and the numbers built from it are wrong.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        let message = diagnostic.message
        return message.contains("is not a date") || message.contains("is not a timestamp")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        diagnostic.message.contains("timestamp")
            ? "write ISO 8601 with a zone, e.g. 2024-03-05T14:02:00Z" : "write the date as YYYY-MM-DD, e.g. 2024-03-05"
    }
}
