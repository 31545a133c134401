/// `analysis/root-cause`: "the root cause" stated as one cause (information: suggests contributing factors).
struct AnalysisRootCauseRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "analysis/root-cause", severity: .info,
        summary: "\"The root cause\" is stated as a single cause.",
        rationale: """
            A single root cause suggests one thing to fix, and once it is found the search stops. Incidents \
            have several contributing factors; listing them, each with a type, gives the archive its \
            cross-incident view. "Root causes" in the plural, as a section heading, is fine.
            """)

    /// Words before "root cause" that make it one cause.
    private static let singular: Set<String> = [
        "the", "a", "one", "single", "primary", "main", "true", "real", "underlying", "sole", "only", "ultimate", "actual",
    ]
    /// Words after "root cause" that state it.
    private static let stating: Set<String> = ["was", "is", "of", "being", "here", "behind", "turned", "appears", "seems"]

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            let words = block.words
            var i = 0
            while i + 1 < words.count {
                defer { i += 1 }
                guard words[i].lower == "root", words[i + 1].lower == "cause", words[i + 1].gap == .space else { continue }
                let after = i + 2 < words.count ? words[i + 2] : nil
                // "Root cause analysis" names a practice, not a cause.
                if let after, after.gap == .space, after.lower.hasPrefix("analys") { continue }
                let isHeading: Bool
                if case .heading = block.context { isHeading = words.count == 2 } else { isHeading = false }
                let before = i > 0 && words[i].gap == .space ? words[i - 1].lower : nil
                let colon = block.text[words[i + 1].range.upperBound...].first == ":"
                let stated = after.map { $0.gap == .space && Self.stating.contains($0.lower) } ?? false
                guard isHeading || colon || stated || before.map(Self.singular.contains) == true else { continue }
                let start = before != nil && Self.singular.contains(before!) ? i - 1 : i
                report.add(
                    "'\(block.text(of: start..<(i + 2)))' implies a single cause", in: document, block: block,
                    range: block.span(start..<(i + 2)),
                    suggestion: "list the contributing factors under ## Contributing Factors, each with its type")
            }
        }
    }
}
