/// `blame/person`: a person or a role stated as the cause, as the one who should have acted otherwise, or in a
/// counterfactual ("Bob broke checkout", "caused by @alice", "the DBA dropped the wrong table", "had Bob read the alert").
///
/// Names come from the repository's commit authors and the configured `people:` list; any `@mention` of a
/// person counts too. A person who only acts in the story ("Priya noticed the trend") is narrative, which
/// `style/person-as-actor` can point out; credit and thanks are never reported. `Agency` holds the grammar.
struct BlamePersonRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "blame/person", severity: .error,
        summary: "A person or a role is stated as the cause, judged by what they should have done, or put in a counterfactual.",
        rationale: """
            Stating a person as the cause turns a review of the system into a review of a person, and people \
            stop telling the full story. Say what happened to the system, then what let it happen: what the \
            tools allowed, what the person could see at the time and why the action made sense to them.
            """)

    private let agency: Agency

    init(context: LintContext) {
        agency = Agency(people: context.people, allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            for mention in agency.mentions(in: block) {
                let name = block.text(of: mention.words)
                let message: String
                switch mention.part {
                case .actor: continue
                case .cause: message = "'\(name)' is named as the cause"
                case .counterfactual: message = "'\(name)' is put in a counterfactual: what they might have done, not what the system allowed"
                case .shouldHave: message = "'\(name)' is named as the one who should have acted otherwise"
                case .owner(let noun): message = "'\(name)' is named as the owner of the \(noun)"
                }
                report.add(message, in: document, block: block, range: block.span(mention.words), suggestion: Self.suggestion(mention, in: block))
            }
        }
    }

    /// A rewrite of the sentence about the system, in its own words where its shape allows.
    static func suggestion(_ mention: Agency.Mention, in block: TextBlock) -> String {
        let general = "say what happened to the system, then what let it happen: what the tools allowed and what they could see at the time"
        let rewrite: String?
        switch mention.part {
        case .counterfactual:
            return "ask what in the system would have caught it, not what the person might have done; then say what they knew and saw at the time"
        case .shouldHave:
            return "describe what the person knew and saw at the time and why the action made sense to them, and what would have made the safe action the easy one"
        case .owner:
            rewrite = Rewrite.replacing(mention.words, with: "the", in: block)
        case .cause, .actor:
            if mention.isAgent {
                rewrite = Rewrite.removing(mention.words.lowerBound - 1..<mention.words.upperBound, in: block)
            } else {
                rewrite = Rewrite.passive(mention.words, in: block)
                    ?? Rewrite.replacing(mention.words, with: "[what in the system made this possible]", in: block)
            }
        }
        guard let rewrite else { return general }
        return "about the system: \"\(rewrite)\"; then say what let it happen and what they could see at the time"
    }
}
