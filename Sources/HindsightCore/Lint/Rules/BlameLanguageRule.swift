/// `blame/language`: words that stop the analysis at a person ("human error", "negligence", "careless", "fault of", "who did").
struct BlameLanguageRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "blame/language", severity: .error,
        summary: "Blaming language: human error, negligence, carelessness, looking for who did it.",
        rationale: """
            "Human error" is where an investigation should start, not where it ends: people act reasonably \
            given what they know and what their tools allow. Words that judge a person (careless, negligent) \
            or hunt for one (whose fault, who did it) end the search for the conditions that made the \
            incident possible, and teach everyone to hide their part next time.
            """)

    private enum Kind: Sendable, Equatable {
        case humanError, judgement, hunt
    }

    private let matcher: PhraseMatcher<Kind>

    init(context: LintContext) {
        let humanError = [
            "human error", "human errors", "operator error", "operator errors", "user error", "pilot error",
            "engineer error", "engineering error", "people error", "human mistake", "human failure", "personnel error",
            "human slip", "pebkac", "pebcak", "id10t", "layer 8 issue", "layer 8 problem",
        ]
        let judgement = [
            "careless", "carelessness", "carelessly", "negligence", "negligent", "negligently", "sloppy", "sloppiness",
            "lazy", "laziness", "reckless", "recklessly", "recklessness", "incompetent", "incompetence", "irresponsible",
            "inattentive", "inattention", "stupid", "dumb", "idiot", "foolish", "lapse in judgement", "lapse in judgment",
            "poor judgement", "poor judgment", "bad judgement", "bad judgment", "lack of care", "lack of diligence",
            "not paying attention", "wasn't paying attention", "weren't paying attention", "didn't pay attention",
            "did not pay attention", "messed up", "screwed up", "dropped the ball", "cowboy", "unprofessional",
            "didn't care", "did not care", "couldn't be bothered", "asleep at the wheel", "rubber stamp", "rubber-stamp",
            "rubber-stamped", "rubber stamped", "amateur mistake", "amateurish", "rookie mistake", "basic mistake",
            "clueless", "inexcusable", "should have known better",
        ]
        let hunt = [
            "fault of", "at fault", "whose fault", "his fault", "her fault", "their fault", "my fault", "who did",
            "who caused", "who broke", "guilty", "responsible party",
        ]
        matcher = PhraseMatcher(
            humanError.map { ($0, Kind.humanError) } + judgement.map { ($0, Kind.judgement) } + hunt.map { ($0, Kind.hunt) },
            allowed: context.settings.allowedWords)
    }

    func check(_ document: LintDocument, into report: inout RuleReport) {
        for block in document.blocks {
            for match in matcher.matches(in: block.words) {
                if Self.isTechnical(match.words, in: block.words) { continue }
                if match.payload == .humanError, Self.isPrevented(match.words, in: block.words) { continue }
                let phrase = block.text(of: match.words)
                let (message, suggestion): (String, String)
                switch match.payload {
                case .humanError:
                    message = "'\(phrase)' stops the analysis at a person"
                    suggestion = "describe the system condition that made the action possible: what the tool allowed, what the person could see"
                        + Self.rewritten(Rewrite.replacing(match.words, with: "[the condition that made the slip possible]", in: block))
                case .judgement:
                    message = "'\(phrase)' judges a person rather than the system"
                    suggestion = "describe what the person knew and saw at the time, and why the action made sense to them"
                        + Self.rewritten(match.words.count == 1 ? Rewrite.removing(match.words, in: block) : nil)
                case .hunt:
                    message = "'\(phrase)' looks for someone to blame"
                    suggestion = "ask what made the action possible and reasonable at the time, not who did it"
                }
                report.add(message, in: document, block: block, range: block.span(match.words), suggestion: suggestion)
            }
        }
    }

    /// The sentence rewritten, as the end of a suggestion.
    private static func rewritten(_ rewrite: String?) -> String {
        rewrite.map { ", e.g. \"\($0)\"" } ?? ""
    }

    /// Words a judging word qualifies when it is a technical term, not a judgement: "lazy loading", "lazily
    /// evaluated". ("Culprit" is not on the list at all: archives call a commit or a cache entry the culprit.)
    private static let technicalHeads: Set<String> = [
        "load", "loaded", "loading", "loads", "loader", "evaluation", "evaluated", "initialisation", "initialization",
        "initialised", "initialized", "init", "import", "imports", "imported", "fetch", "fetching", "instantiation",
        "binding", "mode", "allocation", "sequence", "sequences", "iterator", "property", "properties", "var", "val",
    ]

    /// Human error as what the system is to prevent ("validates IBANs to cut down on user error") is a design
    /// goal, not a cause.
    private static func isPrevented(_ range: Range<Int>, in words: [Word]) -> Bool {
        let preventing: Set<String> = [
            "reduce", "reduces", "reducing", "prevent", "prevents", "preventing", "avoid", "avoids", "avoiding", "minimise",
            "minimize", "minimises", "minimizes", "fewer", "less", "against", "catch", "catches", "tolerate", "tolerates",
        ]
        var i = range.lowerBound
        // Up to three words back, within the clause: "to cut down on user error", "guards against operator error".
        while i > 0, i > range.lowerBound - 4, words[i].gap == .space {
            i -= 1
            if preventing.contains(words[i].lower) { return true }
            if words[i].lower == "on", i > 0, words[i - 1].lower == "down" { return true }
        }
        return false
    }

    private static func isTechnical(_ range: Range<Int>, in words: [Word]) -> Bool {
        let next = range.upperBound
        // "a generic user error message", "operator error codes": the name of a kind of message, not a cause.
        if next < words.count, words[next].gap == .space, range.count == 2, words[range.upperBound - 1].lower.hasPrefix("error"),
            ["message", "messages", "code", "codes", "page", "pages", "type", "types", "string", "strings", "dialog", "text",
             "handling", "handler", "response", "responses", "rate", "rates", "state", "screen"].contains(words[next].lower)
        {
            return true
        }
        guard range.count == 1, ["lazy", "lazily"].contains(words[range.lowerBound].lower) else { return false }
        return next < words.count && technicalHeads.contains(words[next].lower)
    }
}
