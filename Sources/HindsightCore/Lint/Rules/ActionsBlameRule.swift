/// `actions/blame`: blame in disguise: action items that fix people rather than the system
/// ("retrain Bob", "remind engineers", "be more careful", "pay more attention", "add Bob to review").
struct ActionsBlameRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/blame", severity: .error,
        summary: "Blame in disguise: an action item that fixes people, not the system.",
        rationale: """
            "Remind engineers to run the tests" and "be more careful" put the fix on people remembering \
            under pressure, which is what failed. Retraining or adding reviewers for one person singles them \
            out. Change the system so that the safe action is the easy one: a check, a guard, a default, \
            automation.
            """)

    /// Where the `*` of an aimed phrase is (blame in disguise when that word is a person or a role); nil for phrases that always are.
    private typealias Target = Int?

    private let matcher: PhraseMatcher<Target>
    private let people: PeopleDirectory

    init(context: LintContext) {
        people = context.people
        let always = [
            "retrain", "re-train", "retraining", "re-training", "retrained", "remind",
            "be more careful", "more careful", "be careful", "take more care", "pay more attention", "pay closer attention",
            "pay attention", "be more vigilant", "more vigilant", "be vigilant", "stay vigilant", "discipline",
            "disciplinary", "reprimand", "remember to", "don't forget", "do not forget", "raise awareness",
            "follow the process", "follow process", "follow the runbook", "follow procedures", "follow the procedure",
        ]
        let aimed = [
            "train *", "add * to review", "add * to the review", "add * to reviews", "add * as reviewer",
            "add * as a reviewer", "add * to reviewers", "add * to the reviewers", "talk to *", "speak to *",
            "speak with *", "have a word with *", "warn *", "tell * to", "ask * to", "make sure *", "make sure the *",
            "ensure *", "ensure the *", "ensure that *", "ensure that the *", "instruct *", "coach *",
        ]
        matcher = PhraseMatcher(
            always.map { ($0, Int?.none) }
                + aimed.map { phrase in (phrase, phrase.split(separator: " ").firstIndex(of: "*")) },
            allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks(in: .actionItems) {
            if case .tableCell(let column, let isHeader) = block.context,
                isHeader || LintDocument.actionMetaColumns.contains(column)
            {
                continue
            }
            if case .heading = block.context { continue }
            for match in matcher.matches(in: block.words) {
                if let offset = match.payload, isPersonOrRole(block.words[match.words.lowerBound + offset], in: block) == false {
                    continue
                }
                let phrase = block.text(of: match.words)
                report.add(
                    "'\(phrase)' fixes people rather than the system: blame in disguise", in: document, block: block,
                    range: block.span(match.words),
                    suggestion: Self.suggestion(after: match.words, in: block))
            }
        }
    }

    /// The general advice, with what the item asks people to remember quoted back where the item says it:
    /// "Remind engineers to run the integration tests" → make 'run the integration tests' something the system does.
    private static func suggestion(after match: Range<Int>, in block: TextBlock) -> String {
        let general = "change the system so the safe action is the easy one: a check, a guard, a default or automation"
        let words = block.words
        // The task follows the first "to" within three words of the phrase; the owner after a dash is not part of it.
        guard let to = (match.upperBound..<min(match.upperBound + 3, words.count)).first(where: { words[$0].lower == "to" }),
            words[match.upperBound...to].allSatisfy({ $0.gap == .space })
        else { return general }
        var end = to + 1
        while end < words.count, words[end].gap == .space { end += 1 }
        guard end - (to + 1) >= 2 else { return general }
        let asked = block.text(of: to + 1..<end)
        return "make '\(asked)' something the system does or enforces rather than something people remember: "
            + "a check, a guard, a default or automation"
    }

    private func isPersonOrRole(_ word: Word, in block: TextBlock) -> Bool {
        word.isMention || people.isName(word, in: block.text) || Lexicon.personWords.contains(word.lower)
            || Lexicon.roleWords.contains(word.lower) || ["everyone", "everybody", "all"].contains(word.lower)
    }
}
