/// `blame/person`: a person named as the one who acted or as the cause ("Bob deployed", "@alice broke", "caused by Bob").
///
/// Names come from the repository's commit authors and the configured `people:` list; any `@mention` of a
/// person counts too. A name is flagged when it is the subject of a verb, follows "by" or a cause phrase,
/// or owns a change or a mistake ("Bob's change"). Roles ("the on-call engineer") are how blameless
/// writing names actors, so they are never flagged; passive voice is never flagged either.
struct BlamePersonRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "blame/person", severity: .warning,
        summary: "A person is named as the one who acted or as the cause.",
        rationale: """
            Naming the person who acted turns a review of the system into a review of a person, and people \
            stop telling the full story. Name the role instead (the on-call engineer, the deploying \
            engineer) and describe what the system let them do and what they could see at the time.
            """)

    private let people: PeopleDirectory
    private let allowed: Set<String>
    private let cause: PhraseMatcher<Bool>

    /// What a person's possessive may own for it to read as blame: `Bob's change`, `Alice's mistake`.
    private static let owned: Set<String> = [
        "mistake", "mistakes", "error", "errors", "fault", "change", "changes", "commit", "commits", "deploy",
        "deployment", "push", "typo", "command", "script", "code", "pr", "config", "configuration", "oversight",
        "misconfiguration", "action", "actions", "decision", "negligence", "carelessness", "failure",
    ]

    /// Verbs that, before "by", credit someone for the review's own work: "analysis written by @priya".
    private static let credited: Set<String> = [
        "written", "compiled", "edited", "authored", "drafted", "pulled", "done", "reviewed", "conducted", "built",
        "adapted", "prepared", "collected", "gathered", "produced", "contributed", "provided", "led", "facilitated",
        "run", "hosted", "reported", "found", "spotted", "discovered", "diagnosed", "investigated", "fixed", "resolved",
        "made", "created", "drawn", "taken", "recorded", "transcribed", "summarised", "summarized", "proofread",
    ]

    init(context: LintContext) {
        people = context.people
        allowed = context.settings.allowedWords
        // Phrases that, followed by a name, make that person the cause.
        cause = PhraseMatcher(
            ["by", "caused by", "blame", "blamed", "blaming", "fault of", "because of", "due to", "blame on"]
                .map { ($0, true) })
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            let words = block.words
            var i = 0
            while i < words.count {
                guard isPerson(words[i], in: block) else {
                    i += 1
                    continue
                }
                // "Alice Jones deployed": the whole name is one mention.
                var end = i + 1
                while end < words.count, words[end].gap == .space, people.isName(words[end], in: block.text) { end += 1 }
                let name = block.text(of: i..<end)
                if let reason = blame(words, name: i..<end, in: block) {
                    report.add(
                        "'\(name)' is named as \(reason)", in: document, block: block, range: block.span(i..<end),
                        suggestion: suggestion(reason, name: i..<end, in: block))
                }
                i = end
            }
        }
    }

    /// A rewrite of the sentence about the system, in its own words where its shape allows.
    private func suggestion(_ reason: String, name: Range<Int>, in block: TextBlock) -> String {
        let general = "name the role (the on-call engineer, the deploying engineer) and describe what the system allowed and what they could see"
        let rewrite: String?
        switch reason {
        case "the one who acted":
            if name.lowerBound > 0, block.words[name.lowerBound - 1].lower == "by" {
                rewrite = Rewrite.removing(name.lowerBound - 1..<name.upperBound, in: block)
            } else {
                rewrite = Rewrite.passive(name, in: block)
            }
        case "the cause":
            rewrite = Rewrite.replacing(name, with: "[what in the system made this possible]", in: block)
        default:
            rewrite = Rewrite.replacing(name, with: "the", in: block)
        }
        guard let rewrite else { return general }
        return "about the system: \"\(rewrite)\"; then say what let it happen and what they could see at the time"
    }

    private func isPerson(_ word: Word, in block: TextBlock) -> Bool {
        // Names are capitalised and mentions start with @: everything else is ruled out before any lookup.
        guard word.isCapitalised || word.isMention, allowed.contains(word.lower) == false else { return false }
        if word.isMention {
            // `@org/team` mentions a team; `@payments-team` says what it is.
            let after = block.text[word.range.upperBound...].first
            return after != "/" && word.lower.contains("team") == false
        }
        return people.isName(word, in: block.text)
    }

    /// Why the name reads as blame: the subject of a verb, the agent after "by", the cause, or the owner of a change.
    private func blame(_ words: [Word], name: Range<Int>, in block: TextBlock) -> String? {
        let last = words[name.upperBound - 1]
        if last.lower.hasSuffix("'s"), name.upperBound < words.count, words[name.upperBound].gap == .space,
            Self.owned.contains(words[name.upperBound].lower)
        {
            return "the owner of the \(words[name.upperBound].lower)"
        }
        // A cause phrase right before the name: "caused by Bob", "because of @alice".
        for length in [2, 1] where name.lowerBound - length >= 0 {
            let start = name.lowerBound - length
            if words[name.lowerBound].gap == .space, let match = cause.match(in: words, at: start),
                match.words.upperBound == name.lowerBound
            {
                if match.words.count == 1, words[start].lower == "by" {
                    // "written by @priya", "compiled by Sam": credit for the review's own work, never blame.
                    if start > 0, Self.credited.contains(words[start - 1].lower) { return nil }
                    return "the one who acted"
                }
                return "the cause"
            }
        }
        // The subject of a verb: "Bob deployed", "Bob accidentally deleted", "@alice didn't check".
        var j = name.upperBound
        while j < words.count, words[j].gap == .space, Lexicon.fillers.contains(words[j].lower) || words[j].lower.hasSuffix("ly") {
            j += 1
        }
        if j < words.count, words[j].gap == .space, Lexicon.looksLikeVerb(words[j]) {
            return "the one who acted"
        }
        return nil
    }
}
