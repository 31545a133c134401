/// `analysis/last-why-person`: the last why ends on a person ("because the engineer didn't run the tests") rather than a system condition.
struct AnalysisLastWhyPersonRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "analysis/last-why-person", severity: .warning,
        summary: "The last why ends on a person instead of a system condition.",
        rationale: """
            Where the whys stop is what gets fixed. Stopping at a person ("the engineer forgot") leads to \
            "be more careful"; one more why ("what made forgetting possible?") leads to a guard, a default or \
            automation that protects everyone.
            """)

    private let people: PeopleDirectory
    private let blaming: PhraseMatcher<Bool>

    init(context: LintContext) {
        people = context.people
        blaming = PhraseMatcher(
            [
                "human error", "operator error", "user error", "forgot", "forgot to", "careless", "carelessness",
                "negligence", "negligent", "mistake", "didn't follow", "did not follow", "didn't check", "did not check",
                "failed to follow", "not paying attention",
            ].map { ($0, true) },
            allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let whys = Whys(document), let last = whys.steps.last, last.isEmpty == false else { return }
        for (block, from) in Whys.answer(of: last) {
            let words = block.words.filter { $0.range.lowerBound >= from }
            if let hit = personAsSubject(words, in: block) ?? blaming.matches(in: words).first.map({ block.span($0.words) }) {
                report.add(
                    "the last why ends on a person: '\(block.text[hit])'", in: document, block: block, range: hit,
                    suggestion: "ask one more why: what in the system made that action possible, or that omission easy?")
                return
            }
        }
    }

    /// A person, pronoun or role that is the subject of a verb ("the engineer did not", "Bob deployed", "he forgot").
    private func personAsSubject(_ words: [Word], in block: TextBlock) -> Range<String.Index>? {
        for (index, word) in words.enumerated() {
            let isPerson = word.isMention || people.isName(word, in: block.text)
                || (Lexicon.personWords.contains(word.lower) && ["they", "them", "you"].contains(word.lower) == false)
                || Lexicon.roleWords.contains(word.lower)
            guard isPerson else { continue }
            var next = index + 1
            while next < words.count, words[next].gap == .space, Lexicon.fillers.contains(words[next].lower) || words[next].lower.hasSuffix("ly") {
                next += 1
            }
            if next < words.count, words[next].gap == .space, Lexicon.looksLikeVerb(words[next]) {
                return word.range.lowerBound..<words[next].range.upperBound
            }
        }
        return nil
    }
}
