/// What part a person or a role plays in the sentence that names them: the grammar `blame/person` and
/// `style/person-as-actor` share.
///
/// Blame is a person (a name, a handle or a role) stated as the cause, as the one who should have acted
/// otherwise, or in a counterfactual about what they might have done. A person who only acts in the story
/// ("Priya noticed the trend", "Sam rolled the gateway back") is narrative, not blame; a role that acts is
/// how blameless writing names actors, so it is not reported at all.
struct Agency: Sendable {
    /// The part a mention plays.
    enum Part: Sendable, Equatable {
        /// Named as the cause: "caused by Bob", "Bob broke checkout", "the DBA dropped the wrong table".
        case cause
        /// A counterfactual about the person: "Had Bob read the alert…", "If the on-call engineer had…".
        case counterfactual
        /// What the person should have done: "Bob should have checked", "the reviewer ought to have…".
        case shouldHave
        /// The owner of a mistake: "Bob's typo", "@alice's mistake".
        case owner(String)
        /// Acts in the story, and nothing in the sentence makes that the cause.
        case actor
    }

    /// A person or role named in a block, and the part they play.
    struct Mention: Sendable {
        var words: Range<Int>
        var isRole: Bool
        var part: Part
        /// Whether the mention follows "by" (the agent of a passive verb).
        var isAgent: Bool
    }

    let people: PeopleDirectory
    let allowed: Set<String>

    init(people: PeopleDirectory, allowed: Set<String>) {
        self.people = people
        self.allowed = allowed
    }

    /// Every person and role the block names in a part worth reporting.
    func mentions(in block: TextBlock) -> [Mention] {
        let words = block.words
        var out: [Mention] = []
        var i = 0
        while i < words.count {
            if isPerson(words[i], in: block) {
                var end = i + 1
                while end < words.count, words[end].gap == .space, people.isName(words[end], in: block.text) { end += 1 }
                if let mention = person(i..<end, in: words) { out.append(mention) }
                i = end
            } else if let role = role(at: i, in: words) {
                if let part = rolePart(role, in: words) {
                    out.append(Mention(words: role, isRole: true, part: part, isAgent: false))
                }
                i = role.upperBound
            } else {
                i += 1
            }
        }
        return out
    }

    // MARK: People

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

    private func person(_ name: Range<Int>, in words: [Word]) -> Mention? {
        func mention(_ part: Part, agent: Bool = false) -> Mention { Mention(words: name, isRole: false, part: part, isAgent: agent) }
        let last = words[name.upperBound - 1]
        let clauseEnd = Self.clauseEnd(words, from: name.upperBound)
        let before = name.lowerBound > 0 && words[name.lowerBound].gap == .space ? name.lowerBound - 1 : nil

        if last.lower.hasSuffix("'s") {
            guard name.upperBound < words.count, words[name.upperBound].gap == .space else { return nil }
            let noun = words[name.upperBound].lower
            if let before, words[before].lower == "without", Self.sentenceHasWould(words, from: name.upperBound) {
                return mention(.counterfactual)
            }
            if Self.mistakes.contains(noun) { return mention(.owner(noun)) }
            if Self.artefacts.contains(noun), Self.harm(words, in: name.upperBound + 1..<clauseEnd, strongOnly: false) {
                return mention(.cause)
            }
            return nil
        }
        if let before {
            let word = words[before].lower
            // "Had Bob read the alert, …", "If Bob had tested it…".
            if word == "had", Self.startsClause(words, at: before) { return counterfactual(name, after: name.upperBound, words) }
            if word == "if", let had = Self.auxiliary(words, after: name.upperBound, in: ["had", "hadn't"]) {
                return counterfactual(name, after: had, words)
            }
            if word == "by" {
                // "written by @priya", "compiled by Sam": credit for the review's own work, never blame.
                if before > 0, Self.credited.contains(words[before - 1].lower) { return nil }
                // "a slip by @priya", "operator error by the DBA".
                if before > 0, Self.mistakes.contains(words[before - 1].lower) { return mention(.owner(words[before - 1].lower)) }
                let harmed = Self.harm(words, in: Self.clauseStart(words, at: before)..<clauseEnd, strongOnly: false)
                return mention(harmed ? .cause : .actor, agent: true)
            }
            if Self.causePhrase(words, endingAt: before) { return mention(.cause) }
            // "The outage started when @dkim merged…": the clause before the name says what went wrong.
            if ["when", "because", "after", "once"].contains(word), Self.damageBefore(words, at: before) { return mention(.cause) }
        }
        // The subject of a verb: "Bob deployed", "Bob accidentally deleted", "It was Lee who added".
        guard let verb = Self.verb(words, after: name.upperBound) else { return nil }
        // "an error Jordan made", "the mistake Bob made while resizing the volume".
        if let before, Self.mistakes.contains(words[before].lower), ["made", "committed"].contains(words[verb].lower) {
            return mention(.owner(words[before].lower))
        }
        if Self.shouldHave(words, at: verb, until: clauseEnd) { return mention(.shouldHave) }
        let strongOnly = Self.remedies.contains(words[verb].lower)
        // From the name on, so an adverb between name and verb counts: "@ysato accidentally revoked".
        return mention(Self.harm(words, in: name.upperBound..<clauseEnd, strongOnly: strongOnly) ? .cause : .actor)
    }

    /// "Had Priya not spotted the trend, detection would have taken longer" credits her; any other
    /// counterfactual about a person is blame.
    private func counterfactual(_ name: Range<Int>, after index: Int, _ words: [Word]) -> Mention? {
        var i = index
        if i < words.count, ["not", "hadn't", "never"].contains(words[i].lower) || words[i - 1].lower == "hadn't" {
            if ["not", "never"].contains(words[i].lower) { i += 1 }
            if i < words.count, Self.creditVerbs.contains(words[i].lower) { return nil }
        }
        return Mention(words: name, isRole: false, part: .counterfactual, isAgent: false)
    }

    // MARK: Roles

    /// A role as a noun phrase: "the on-call engineer", "an engineer on the security team", "support staff".
    private func role(at i: Int, in words: [Word]) -> Range<Int>? {
        let w = words[i].lower
        guard Self.determiners.contains(w) || Self.roles.contains(w) || Self.roleModifiers.contains(w) else { return nil }
        var head = i
        if Self.roles.contains(w) == false {
            // Up to three modifiers between the determiner and the role: "the junior release manager".
            var j = i + 1
            while j < words.count, j <= i + 4, words[j].gap == .space {
                let word = words[j].lower
                if Self.roles.contains(word) { break }
                // A modifier is a plain word: "the change the engineer made" holds no role phrase.
                if Self.determiners.contains(word) || Lexicon.notVerbs.contains(word) || Lexicon.looksLikeVerb(words[j]) { return nil }
                j += 1
            }
            guard j < words.count, j <= i + 4, words[j].gap == .space, Self.roles.contains(words[j].lower) else { return nil }
            head = j
        }
        // "The on-call engineer": the head is the last role word of the run.
        while head + 1 < words.count, words[head + 1].gap == .space, Self.roles.contains(words[head + 1].lower) { head += 1 }
        // "The DBA team" and "the on-call rotation" are teams and schedules, not people.
        if head + 1 < words.count, words[head + 1].gap == .space, Lexicon.teamWords.contains(words[head + 1].lower)
            || Self.notPeople.contains(words[head + 1].lower)
        {
            return nil
        }
        return i..<(head + 1)
    }

    private func rolePart(_ role: Range<Int>, in words: [Word]) -> Part? {
        let start = role.lowerBound
        let clauseEnd = Self.clauseEnd(words, from: role.upperBound)
        if start > 0, words[start].gap == .space, Self.startsClause(words, at: start) == false {
            let before = words[start - 1].lower
            if before == "had", Self.startsClause(words, at: start - 1) { return .counterfactual }
            if before == "if", Self.auxiliary(words, after: role.upperBound, in: ["had", "hadn't"], within: 6) != nil {
                return .counterfactual
            }
            // Only a role that is the subject of its clause can be its cause: not "paged the DBA".
            guard ["because", "that", "since", "when", "after", "and", "so", "as", "while", "then"].contains(before) else { return nil }
        }
        // Past a relative clause or a qualifier: "the engineer who wrote the migration caused…".
        for i in role.upperBound..<min(clauseEnd, role.upperBound + 8) where Self.shouldHave(words, at: i, until: clauseEnd) {
            return .shouldHave
        }
        guard let verb = (role.upperBound..<clauseEnd).first(where: { Lexicon.looksLikeVerb(words[$0]) || words[$0].lower.hasPrefix("mis") })
        else { return nil }
        return Self.harm(words, in: verb..<clauseEnd, strongOnly: Self.remedies.contains(words[verb].lower)) ? .cause : nil
    }

    // MARK: Grammar

    /// Where the clause holding `index` ends: the next sentence break (`.`, `;`, `:`), or a time such as "10:05".
    static func clauseEnd(_ words: [Word], from index: Int) -> Int {
        var end = index
        while end < words.count, words[end].gap != .sentence { end += 1 }
        return end
    }

    static func clauseStart(_ words: [Word], at index: Int) -> Int {
        var start = index
        while start > 0, words[start].gap != .sentence { start -= 1 }
        return start
    }

    /// Whether a word opens its clause: the start of a sentence, after a comma, or after a time ("14:20 The deployer…").
    static func startsClause(_ words: [Word], at index: Int) -> Bool {
        if index == 0 || words[index].gap != .space { return true }
        let previous = words[index - 1].lower
        return previous.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } || previous.hasSuffix("z") && previous.utf8.first.map { $0 >= 48 && $0 <= 57 } == true
    }

    /// The verb after a subject, past words that do not change who acted and past "who".
    static func verb(_ words: [Word], after index: Int) -> Int? {
        var j = index
        if j < words.count, words[j].gap == .space, words[j].lower == "who" { j += 1 }
        while j < words.count, words[j].gap == .space, Lexicon.fillers.contains(words[j].lower) || words[j].lower.hasSuffix("ly") {
            j += 1
        }
        guard j < words.count, words[j].gap == .space, Lexicon.looksLikeVerb(words[j]) || words[j].lower == "ought" else { return nil }
        return j
    }

    /// The index after "had" (or one of `words`) within a few words of `index`, in the same clause.
    static func auxiliary(_ words: [Word], after index: Int, in auxiliaries: Set<String>, within limit: Int = 3) -> Int? {
        var j = index
        while j < words.count, j < index + limit, words[j].gap == .space {
            if auxiliaries.contains(words[j].lower) { return j + 1 }
            j += 1
        }
        return nil
    }

    /// "should have", "ought to have", "was supposed to", "needed to … and didn't", starting at `index`.
    static func shouldHave(_ words: [Word], at index: Int, until end: Int) -> Bool {
        func word(_ k: Int) -> String? { index + k < end && (k == 0 || words[index + k].gap == .space) ? words[index + k].lower : nil }
        switch word(0) {
        case "should", "shouldn't":
            return word(1) == "have" || word(1) == "not" && word(2) == "have" || word(1) == "really" && word(2) == "have"
        case "should've", "shouldn't've": return true
        case "ought": return word(1) == "to"
        case "was", "were": return word(1) == "supposed" && word(2) == "to"
        case "needed", "had": return word(1) == "to" && (index..<end).contains { ["didn't", "hadn't"].contains(words[$0].lower) }
        case "really": return word(1) == "should"
        default: return false
        }
    }

    /// Whether the clause before a connective names damage: "The outage started when…", "Data was lost because…".
    private static func damageBefore(_ words: [Word], at index: Int) -> Bool {
        let start = clauseStart(words, at: index)
        return (start..<index).contains { damage.contains(words[$0].lower) || ["lost", "failed", "broke", "started"].contains(words[$0].lower) }
            && (start..<index).contains { damage.contains(words[$0].lower) }
    }

    private static func sentenceHasWould(_ words: [Word], from index: Int) -> Bool {
        var j = index
        while j < words.count {
            if ["would", "wouldn't", "could", "couldn't"].contains(words[j].lower) { return true }
            j += 1
            if j < words.count, words[j].gap == .sentence { return false }
        }
        return false
    }

    /// A phrase ending at `index` that makes the next word the cause: "caused by", "because of", "due to", "blame".
    private static func causePhrase(_ words: [Word], endingAt index: Int) -> Bool {
        let word = words[index].lower
        let previous = index > 0 && words[index].gap == .space ? words[index - 1].lower : ""
        switch word {
        case "blame", "blamed", "blaming": return true
        case "by": return previous == "caused" || previous == "triggered" || previous == "started"
        case "of": return previous == "because" || previous == "fault"
        case "to": return previous == "due" || previous == "attributed" || previous == "attributable" || previous == "down"
        case "on": return previous == "blame"
        default: return false
        }
    }

    /// Whether the words say harm was done: a verb of breaking ("broke", "took down", "wiped"), a mistake
    /// ("the wrong bucket", "misconfigured", "without testing"), an omission ("ignored", "forgot"), or a
    /// consequence ("which let", "that is how"). With `strongOnly` (the subject's verb is a remedy, such as
    /// "rolled back the bad release"), only an explicit cause counts.
    static func harm(_ words: [Word], in range: Range<Int>, strongOnly: Bool) -> Bool {
        guard range.isEmpty == false else { return false }
        var strongOnly = strongOnly
        for i in range {
            let w = words[i].lower
            let next = i + 1 < range.upperBound && words[i + 1].gap == .space ? words[i + 1].lower : ""
            // A second verb is judged on its own: "rolled back the release and then ignored the alerts".
            if strongOnly, w == "and" || w == "but", let verb = Self.verb(words, after: i + 1), verb < range.upperBound,
                remedies.contains(words[verb].lower) == false
            {
                strongOnly = false
            }
            if strongCause.contains(w) { return true }
            if w == "to", next == "blame" { return true }
            if w == "responsible", next == "for",
                (i + 2..<min(range.upperBound, i + 7)).contains(where: { damage.contains(words[$0].lower) })
            {
                return true
            }
            if strongOnly { continue }
            if harmWords.contains(w) { return true }
            if w.count >= 6, w.hasPrefix("mis"), w.hasSuffix("ed") || w == "misread" || w == "mistook" { return true }
            switch (w, next) {
            case ("took", _), ("brought", _), ("knocked", _), ("taking", _), ("bringing", _):
                if (i + 1..<min(range.upperBound, i + 5)).contains(where: { ["down", "offline", "out"].contains(words[$0].lower) }) {
                    return true
                }
            case ("led", "to"), ("resulted", "in"), ("which", "let"), ("which", "allowed"), ("that", "let"), ("is", "why"),
                ("is", "how"), ("is", "what"), ("was", "why"), ("was", "how"), ("was", "what"):
                return true
            case ("without", let after) where after.hasSuffix("ing") || ["review", "approval", "tests", "a", "any"].contains(after):
                return true
            default: break
            }
            if (w == "starting" || w == "started" || w == "began"), next == "the",
                i + 2 < range.upperBound, ["incident", "outage"].contains(words[i + 2].lower)
            {
                return true
            }
        }
        return false
    }

    // MARK: Word lists

    /// Verbs that make the sentence's subject its cause, whatever else the sentence says.
    private static let strongCause: Set<String> = [
        "caused", "causing", "causes", "broke", "breaks", "breaking", "crashed", "crashes", "crashing", "corrupted",
        "corrupts", "corrupting", "triggered", "triggers", "wiped", "wipes", "wiping",
    ]

    /// Mistakes and omissions: with a person as subject, the person is stated as the cause.
    private static let harmWords: Set<String> = [
        "wrong", "wrongly", "bad", "untested", "accidentally", "inadvertently", "mistakenly", "ignored", "ignoring",
        "missed", "silenced", "skipped", "skipping", "forgot", "forgetting", "neglected", "overlooked", "bypassed",
        "bypassing", "waved", "delaying", "ignores", "misses", "silences", "skips", "forgets", "neglects", "overlooks",
        "bypasses", "instead", "misreads", "misconfigures", "misroutes", "mistypes", "misjudges",
    ]

    /// What someone can be responsible for that is damage rather than ownership ("responsible for the outage").
    private static let damage: Set<String> = [
        "outage", "outages", "incident", "incidents", "loss", "downtime", "failure", "breach", "damage", "corruption",
        "errors",
    ]

    /// Verbs of repair: "Sam rolled back the bad release" says what was fixed, not who broke it.
    private static let remedies: Set<String> = [
        "rolled", "reverted", "fixed", "restored", "repaired", "corrected", "replaced", "mitigated", "resolved",
        "recovered", "undid", "removed", "noticed", "spotted", "found", "caught", "flagged", "reported", "confirmed",
        "paged", "escalated", "identified", "diagnosed", "investigated", "acknowledged",
    ]

    /// Verbs that, after "had … not", make a counterfactual credit: "Had Priya not spotted the trend…".
    private static let creditVerbs: Set<String> = [
        "spotted", "noticed", "caught", "found", "flagged", "raised", "escalated", "intervened", "acted", "stepped",
        "reacted", "seen", "noticed", "paged", "called", "checked",
    ]

    /// What a person's possessive may own for it to read as blame whatever the sentence says: `Bob's typo`.
    private static let mistakes: Set<String> = [
        "mistake", "mistakes", "error", "errors", "fault", "typo", "oversight", "misconfiguration", "negligence",
        "carelessness", "failure", "slip", "blunder", "screw-up", "lapse",
    ]

    /// Work a person's possessive may own that is blame only when the sentence says it did harm: `Bob's change broke…`.
    private static let artefacts: Set<String> = [
        "change", "changes", "commit", "commits", "deploy", "deployment", "push", "command", "script", "code", "pr",
        "config", "configuration", "action", "actions", "decision", "hotfix", "fix", "patch", "migration", "merge",
        "release", "edit", "update",
    ]

    /// Verbs that, before "by", credit someone for the review's own work: "analysis written by @priya".
    private static let credited: Set<String> = [
        "written", "compiled", "edited", "authored", "drafted", "pulled", "done", "reviewed", "conducted", "built",
        "adapted", "prepared", "collected", "gathered", "produced", "contributed", "provided", "led", "facilitated",
        "run", "hosted", "reported", "found", "spotted", "discovered", "diagnosed", "investigated", "fixed", "resolved",
        "made", "created", "drawn", "taken", "recorded", "transcribed", "summarised", "summarized", "proofread",
        "details", "sleuthing", "analysis", "notes", "research", "help", "input", "feedback", "review",
    ]

    private static let determiners: Set<String> = ["the", "a", "an", "our", "their", "one", "another", "that", "this", "his", "her"]

    /// Nouns for people in their roles: the grammar words of `Lexicon.roleWords` less the pronoun-like
    /// ones, plus roles an incident names.
    static let roles: Set<String> = Lexicon.roleWords.subtracting(["human", "humans", "people", "individual", "individuals", "dev"])
        .union([
            "manager", "managers", "approver", "approvers", "commander", "dba", "dbas", "scribe", "assignee",
            "maintainer", "maintainers", "releaser",
        ])

    /// Nouns after a role word that make it a modifier of a thing: "the on-call rotation", "the reviewer's checklist".
    private static let notPeople: Set<String> = [
        "rotation", "schedule", "shift", "channel", "handbook", "runbook", "role", "roles", "tooling", "dashboard",
        "phone", "pager", "page", "pages", "alert", "alerts", "queue", "tool", "tools", "docs", "guide", "process",
        "policy", "account", "accounts", "access", "time", "experience", "view", "console", "environment", "laptop",
        "workstation", "checklist", "handover", "error", "errors", "mode", "machine", "machines", "box", "boxes",
    ]

    /// Words that start a role phrase without a determiner: "support staff", "junior developers".
    private static let roleModifiers: Set<String> = ["support", "junior", "senior", "new", "on-call", "oncall"]
}
