/// `source/repository`: what was skipped or may be wrong in how the repository was read.
struct SourceRepositoryRule: DiagnosticRule {
    static let descriptor = RuleDescriptor(
        id: "source/repository", severity: .warning,
        summary: "Part of the repository was skipped, or its history is cut short.",
        rationale: """
            Symbolic links and submodules under the content folder are not followed, so what they point at is \
            neither checked nor published. A shallow clone has no history before its cut, so dates taken from \
            commits are wrong and `--changed-since` cannot find where a branch started.
            """)

    static func claims(_ diagnostic: Diagnostic) -> Bool {
        let message = diagnostic.message
        return message.hasPrefix("skipped ") || message.contains("shallow clone")
    }

    static func suggestion(for diagnostic: Diagnostic) -> String? {
        diagnostic.message.contains("shallow")
            ? "fetch the full history: `fetch-depth: 0` with actions/checkout, `GIT_DEPTH: 0` on GitLab"
            : "commit the file itself instead of a link to it"
    }
}
