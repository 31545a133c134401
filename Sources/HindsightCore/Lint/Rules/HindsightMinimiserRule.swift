/// `hindsight/minimiser`: words that make the right action sound easy ("obviously", "simply", "just", "clearly").
struct HindsightMinimiserRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "hindsight/minimiser", severity: .warning,
        summary: "Minimisers: obviously, clearly, simply, just, merely, of course.",
        rationale: """
            Minimisers say the right action was easy and the signal plain. That is only true looking back: \
            at the time, the signal was one among many. They also tell the people involved that they missed \
            something obvious. "Just" is only flagged as a minimiser, not when it means a moment ago \
            ("just after", "had just started").
            """)

    private let matcher: PhraseMatcher<Bool>

    /// Words after "just" that make it about time or amount, not a minimiser.
    private static let justNotMinimiser: Set<String> = [
        "after", "before", "as", "when", "in", "now", "then", "under", "over", "about", "below", "above", "enough",
        "like", "once", "past", "behind", "ahead", "since", "prior", "short", "shy", "outside", "inside", "beyond",
    ]

    /// Words after "clearly" or "simply" that make it describe how something was done, not how easy it was.
    private static let mannerFollowers: Set<String> = [
        "in", "on", "at", "to", "for", "with", "and", "or", "the", "a", "an", "by", "from", "as", "so", "than",
    ]

    init(context: LintContext) {
        matcher = PhraseMatcher(
            [
                "obviously", "obvious", "clearly", "simply", "just", "merely", "of course", "trivially", "trivial",
                "all they had to do", "all he had to do", "all she had to do", "all you had to do", "only had to",
                "only needed to", "it was easy to",
            ].map { ($0, true) },
            allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            let words = block.words
            for match in matcher.matches(in: words) {
                let start = match.words.lowerBound
                if words[start].lower == "just" {
                    let next = match.words.upperBound < words.count ? words[match.words.upperBound] : nil
                    if let next, next.gap == .space, Self.justNotMinimiser.contains(next.lower) { continue }
                    if let next, next.lower.first?.isNumber == true { continue }
                    if start > 0, ["had", "has", "have", "was", "were"].contains(words[start - 1].lower),
                        words[start].gap == .space,
                        next.map({ $0.lower.hasSuffix("ed") || $0.lower.hasSuffix("ing") }) ?? false
                    {
                        continue
                    }
                }
                // "Clearly" and "simply" also describe manner: "offered them clearly", "documented simply in…".
                if ["clearly", "simply"].contains(words[start].lower), words[start].gap != .sentence {
                    let next = match.words.upperBound < words.count ? words[match.words.upperBound] : nil
                    guard let next, next.gap == .space, Self.mannerFollowers.contains(next.lower) == false else { continue }
                }
                let phrase = block.text(of: match.words)
                report.add(
                    "'\(phrase)' makes the right action sound easy; it was only easy in hindsight", in: document,
                    block: block, range: block.span(match.words),
                    suggestion: "remove '\(phrase)', and describe what made the situation hard to read at the time")
            }
        }
    }
}
