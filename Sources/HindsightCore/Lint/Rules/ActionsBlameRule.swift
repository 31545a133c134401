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

    /// Where the `*` of an aimed phrase is, and whether a role there counts as well as a person ("coach the
    /// on-call engineer" does; "require reviewers to approve" is a control, so "require * to" counts people only).
    /// Nil for phrases that always are blame in disguise.
    private typealias Target = (offset: Int, roles: Bool)?

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
            "paying more attention", "paying closer attention", "paying attention", "performance improvement plan",
            "improvement plan", "apology", "apologise", "apologize", "written warning", "formal warning",
        ]
        let aimed = [
            "train *", "add * to review", "add * to the review", "add * to reviews", "add * as reviewer",
            "add * as a reviewer", "add * to reviewers", "add * to the reviewers", "talk to *", "speak to *",
            "speak with *", "have a word with *", "warn *", "tell * to", "ask * to", "make sure *", "make sure the *",
            "ensure *", "ensure the *", "ensure that *", "ensure that the *", "instruct *", "coach *", "coach the *",
            "talk with *", "have a talk with *", "follow up with *", "check in with *", "sit down with *",
        ]
        let people = [
            "pair * with", "require * to", "remove * from", "revoke *", "suspend *", "restrict *", "supervise *",
            "shadow *", "monitor *",
        ]
        func target(_ phrase: String, roles: Bool) -> (String, Target) {
            (phrase, phrase.split(separator: " ").firstIndex(of: "*").map { (offset: $0, roles: roles) })
        }
        matcher = PhraseMatcher(
            always.map { ($0, Target.none) } + aimed.map { target($0, roles: true) } + people.map { target($0, roles: false) },
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
            let matches = matcher.matches(in: block.words)
            if matches.isEmpty, let subject = personSubject(of: block) ?? managed(in: block) ?? addedToReview(in: block) {
                report.add(
                    "'\(block.text(of: subject))' makes a person the object of the fix: blame in disguise", in: document,
                    block: block, range: block.span(subject),
                    suggestion: "change the system so the safe action is the easy one: a check, a guard, a default or automation")
            }
            for match in matches {
                if let target = match.payload {
                    let word = block.words[match.words.lowerBound + target.offset]
                    if target.roles ? isPersonOrRole(word, in: block) == false : isPerson(word, in: block) == false { continue }
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

    /// An item that puts a named person under an obligation about themselves: "Alex must complete the training",
    /// "Jordan will no longer be allowed to deploy". An item a person owns ("Priya will own the rollback ticket") passes.
    private func personSubject(of block: TextBlock) -> Range<Int>? {
        let words = block.words
        // Past a priority tag: "[P1] Alex must…".
        let start = words.first.map { $0.lower.count == 2 && $0.lower.hasPrefix("p") && $0.lower.last!.isNumber } == true ? 1 : 0
        guard start < words.count, isPerson(words[start], in: block), words[start].lower.hasSuffix("'s") == false else { return nil }
        var end = start + 1
        while end < words.count, words[end].gap == .space, people.isName(words[end], in: block.text) { end += 1 }
        guard end < words.count, words[end].gap == .space,
            ["must", "will", "should", "needs", "need", "to", "is", "has", "shall"].contains(words[end].lower)
        else { return nil }
        let rest = words[end...].prefix { $0.gap != .sentence }.map(\.lower)
        let obligations: Set<String> = [
            "training", "course", "apology", "apologise", "apologize", "retrained", "reminded", "supervised", "supervision",
            "careful", "vigilant", "attention", "allowed", "permitted", "barred", "banned", "suspended", "probation", "warned",
            "workshop", "attend", "certification", "re-certify", "shadow", "mentored", "coached",
        ]
        return rest.contains(where: obligations.contains) ? start..<end : nil
    }

    /// "Yuki's manager will discuss the incident with her": the item manages a person, not the system.
    private func managed(in block: TextBlock) -> Range<Int>? {
        let words = block.words
        for i in words.indices.dropLast() where words[i].lower.hasSuffix("'s") && isPerson(words[i], in: block)
            && words[i + 1].gap == .space && ["manager", "lead", "supervisor", "boss"].contains(words[i + 1].lower)
        {
            return i..<(i + 2)
        }
        return nil
    }

    /// "Add Tomás to the mandatory review list": a named person added to reviews, whatever the list is called.
    private func addedToReview(in block: TextBlock) -> Range<Int>? {
        let words = block.words
        for i in words.indices where words[i].lower == "add" && i + 2 < words.count && isPerson(words[i + 1], in: block) {
            var to = i + 2
            while to < words.count, words[to].gap == .space, people.isName(words[to], in: block.text) { to += 1 }
            guard to < words.count, words[to].lower == "to" else { continue }
            let rest = words[to...].prefix { $0.gap != .sentence }
            if rest.contains(where: { $0.lower.hasPrefix("review") || $0.lower.hasPrefix("approv") || $0.lower == "sign-off" }) {
                return i..<to
            }
        }
        return nil
    }

    private func isPerson(_ word: Word, in block: TextBlock) -> Bool {
        word.isMention || people.isName(word, in: block.text) || Lexicon.personWords.contains(word.lower)
    }

    private func isPersonOrRole(_ word: Word, in block: TextBlock) -> Bool {
        word.isMention || people.isName(word, in: block.text) || Lexicon.personWords.contains(word.lower)
            || Lexicon.roleWords.contains(word.lower) || ["everyone", "everybody", "all"].contains(word.lower)
    }
}
