/// `hindsight/counterfactual`: what people should or could have done, or failed or forgot to do.
struct HindsightCounterfactualRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "hindsight/counterfactual", severity: .warning,
        summary: "Counterfactuals: should have, could have, failed to, forgot to, if only.",
        rationale: """
            Counterfactuals describe a world that did not happen, from the comfort of knowing how it ended. \
            They explain nothing about why the action made sense at the time, which is what has to change. \
            "Failed to" is flagged when a person or a role is its subject; a system that failed to do \
            something is a finding, not a counterfactual.
            """)

    private enum Kind: Sendable {
        case counterfactual, omission, personFailed, ifOnly
    }

    private let matcher: PhraseMatcher<Kind>
    private let people: PeopleDirectory

    init(context: LintContext) {
        people = context.people
        let counterfactual = [
            "should have", "should've", "shouldn't have", "should not have", "could have", "could've", "ought to have",
            "would have known", "would have caught", "would have noticed", "would have prevented",
        ]
        let omission = [
            "forgot to", "forgot", "forgets", "forgetting", "neglected to", "neglected", "omitted to", "didn't bother",
            "did not bother", "never bothered", "overlooked",
        ]
        let ifOnly = ["if only", "had they", "had he", "had she", "if they had", "if he had", "if she had", "if someone had"]
        matcher = PhraseMatcher(
            counterfactual.map { ($0, Kind.counterfactual) } + omission.map { ($0, Kind.omission) }
                + ["failed to", "fails to", "failing to"].map { ($0, Kind.personFailed) } + ifOnly.map { ($0, Kind.ifOnly) },
            allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            for match in matcher.matches(in: block.words) {
                let phrase = block.text(of: match.words)
                let lower = phrase.lowercased()
                let suggestion: String
                switch match.payload {
                case .counterfactual:
                    // "It could have been much worse" is how near misses and luck are described.
                    if lower.hasPrefix("could"), block.section == .lucky || block.section == .impact { continue }
                    suggestion = "state what happened and what made it hard to see at the time"
                case .omission:
                    suggestion = "say what did happen, and what in the system made the step easy to miss"
                case .personFailed:
                    guard subjectIsPerson(block, before: match.words.lowerBound) else { continue }
                    suggestion = "say what did happen, and what in the system made the step easy to miss"
                case .ifOnly:
                    suggestion = "describe the conditions as they were, not a world where someone acted differently"
                }
                report.add(
                    "'\(phrase)' is hindsight: it judges the past by what is known now", in: document, block: block,
                    range: block.span(match.words), suggestion: suggestion)
            }
        }
    }

    /// Whether the subject of "failed to" (the nearest word before it in the clause) is a person or a role.
    private func subjectIsPerson(_ block: TextBlock, before index: Int) -> Bool {
        var i = index - 1
        while i >= 0 {
            let word = block.words[i]
            if Lexicon.fillers.contains(word.lower) || word.lower.hasSuffix("ly") || ["had", "has", "have"].contains(word.lower) {
                if block.words[i + 1].gap != .space { return false }
                i -= 1
                continue
            }
            guard block.words[i + 1].gap == .space else { return false }
            return Lexicon.personWords.contains(word.lower) || Lexicon.roleWords.contains(word.lower)
                || ["we", "us", "team"].contains(word.lower) || word.isMention || people.isName(word, in: block.text)
        }
        return false
    }
}
