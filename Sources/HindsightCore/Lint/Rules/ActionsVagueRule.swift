/// `actions/vague`: an action with no end: "investigate", "look into", "improve monitoring", with no measurable target.
struct ActionsVagueRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/vague", severity: .warning,
        summary: "A vague, unbounded action item (investigate, look into, improve…) with no measurable target.",
        rationale: """
            "Investigate X" and "improve monitoring" have no end: nobody can tell when they are done, so they \
            stay open forever or are closed without changing anything. Name the deliverable (a decision, a \
            proposal, a change) or a measurable target (alert when p99 > 500 ms for 5 minutes), or a due date.
            """)

    private enum Kind: Sendable {
        /// Open-ended by nature: investigate, look into, explore.
        case open
        /// Improve, increase, reduce…: fine with a number, vague without.
        case unmeasured
    }

    private let starts: PhraseMatcher<Kind>
    private let more: PhraseMatcher<Kind>

    /// Words that make an open-ended action end somewhere: a decision, a written result, a bound.
    private static let bounded: Set<String> = [
        "decide", "decision", "proposal", "propose", "recommendation", "recommend", "rfc", "write-up", "writeup",
        "report", "below", "under", "within", "less", "fewer", "least", "most", "zero", "by", "until", "before",
    ]

    init(context: LintContext) {
        let open = [
            "investigate", "look into", "look at", "explore", "consider", "evaluate", "research", "discuss",
            "think about", "revisit", "assess", "analyse", "analyze", "understand", "figure out", "follow up on",
            "follow up", "check on", "dig into", "study",
        ]
        let unmeasured = [
            "improve", "enhance", "increase", "reduce", "optimise", "optimize", "strengthen", "harden", "better",
            "minimise", "minimize", "maximise", "maximize",
        ]
        starts = PhraseMatcher(
            open.map { ($0, Kind.open) } + unmeasured.map { ($0, Kind.unmeasured) }, allowed: context.settings.allowedWords)
        let things = [
            "monitoring", "alerting", "alerts", "tests", "testing", "logging", "logs", "metrics", "dashboards",
            "documentation", "docs", "training", "reviews", "checks", "visibility", "observability", "communication",
        ]
        more = PhraseMatcher(
            things.flatMap { ["more \($0)", "better \($0)"] }.map { ($0, Kind.unmeasured) }, allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let items = document.postMortem?.actionItems else { return }
        for item in items where item.isDone == false {
            guard let block = document.block(for: item) else { continue }
            let words = block.words
            // Skip a leading priority or checkbox word: "[P1] Investigate…".
            var first = 0
            while first < words.count, Self.isPrefixWord(words[first].lower) { first += 1 }
            let measurable = item.due != nil || block.text.utf8.contains(UInt8(ascii: "%"))
                || words.contains { $0.lower.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) && Self.isPrefixWord($0.lower) == false }
            let hit = starts.match(in: words, at: first) ?? more.matches(in: words).first
            guard let hit, measurable == false else { continue }
            if hit.payload == .open, words.contains(where: { Self.bounded.contains($0.lower) }) { continue }
            let phrase = block.text(of: hit.words)
            report.add(
                "'\(phrase)' has no end: when is this action item done?", in: document, block: block, range: block.span(hit.words),
                suggestion: "name the deliverable or a measurable target, e.g. 'Alert when checkout p99 exceeds 500 ms for 5 minutes', or 'Decide on X by 2025-07-01'")
        }
    }

    private static func isPrefixWord(_ word: String) -> Bool {
        (word.count == 2 && word.first == "p" && word.last?.isNumber == true) || word == "todo" || word == "x"
    }
}
