/// Small word classes the people and blame rules share: who can be a subject, what looks like a verb.
///
/// Deliberately no list of first names: people's names come from the repository's history and the
/// configuration (`PeopleDirectory`). These are grammar words, not names.
enum Lexicon {
    /// Pronouns and words that stand for a person.
    static let personWords: Set<String> = [
        "he", "she", "him", "her", "his", "hers", "himself", "herself", "i", "me", "my", "myself", "you", "they", "them",
        "someone", "somebody", "anyone", "anybody", "nobody", "no-one", "everyone", "everybody",
    ]

    /// Nouns for people in their roles (naming the role is the blameless way; these matter as subjects of blame).
    static let roleWords: Set<String> = [
        "engineer", "engineers", "developer", "developers", "dev", "devs", "operator", "operators", "admin", "admins",
        "administrator", "administrators", "sre", "sres", "on-call", "oncall", "on-caller", "responder", "responders",
        "reviewer", "reviewers", "employee", "employees", "staff", "individual", "individuals", "person", "people",
        "human", "humans", "intern", "interns", "contractor", "contractors", "teammate", "teammates", "colleague",
        "colleagues", "author", "committer", "deployer", "programmer", "programmers", "technician", "technicians",
    ]

    /// Words between a subject and its verb that do not change who acted: `Bob accidentally deleted`.
    static let fillers: Set<String> = [
        "then", "also", "just", "still", "never", "not", "already", "again", "later", "soon", "first", "apparently",
        "immediately", "manually", "once", "twice", "himself", "herself", "alone", "too",
    ]

    /// Verbs and auxiliaries that make the word before them the one who acted.
    static let verbs: Set<String> = [
        "broke", "ran", "made", "did", "took", "put", "sent", "wrote", "hit", "let", "set", "left", "went", "gave",
        "began", "chose", "brought", "caught", "got", "kept", "lost", "meant", "forgot", "misread", "mistook", "saw",
        "thought", "told", "understood", "undid", "built", "rebuilt", "drove", "found", "held", "knew", "led", "paid",
        "said", "shut", "spent", "stood", "struck", "threw", "tore", "rewrote", "overrode", "withdrew", "ignored",
        "was", "were", "had", "has", "is", "does", "didn't", "doesn't", "should", "shouldn't", "could", "couldn't",
        "would", "wouldn't", "will", "won't", "can", "can't", "cannot", "must", "may", "might", "wasn't", "weren't",
        "hadn't", "hasn't", "isn't", "needs", "tried", "failed", "forgets", "decided", "pushed", "deployed", "merged",
        "run", "runs", "push", "pushes", "deploy", "deploys", "merge", "merges", "delete", "deletes", "break", "breaks",
        "forget", "miss", "misses", "skip", "skips", "ignore", "ignores", "approve", "approves", "approved",
    ]

    /// Words after a name that make it a name rather than a subject: `Bob and Alice`, `Bob, the…`.
    static let notVerbs: Set<String> = [
        "and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "with", "at", "from", "as", "but", "so", "this",
        "that", "these", "those", "team", "teams", "service", "services", "its", "it",
    ]

    /// Whether a word reads as a verb (or auxiliary) when it follows a name: a past tense, a known verb,
    /// or a third-person present (`restarts`).
    static func looksLikeVerb(_ word: Word) -> Bool {
        let w = word.lower
        if verbs.contains(w) { return true }
        if notVerbs.contains(w) || word.isCapitalised || word.isMention { return false }
        if w.count >= 4, w.hasSuffix("ed") { return true }
        if w.count >= 4, w.hasSuffix("s"), w.hasSuffix("ss") == false, w.hasSuffix("us") == false,
            w.hasSuffix("'s") == false, w.hasSuffix("ics") == false
        {
            return true
        }
        return false
    }

    /// Words a team's name is made of; an owner with one of these is a team, not a person.
    static let teamWords: Set<String> = [
        "team", "teams", "squad", "group", "guild", "tribe", "crew", "chapter", "department", "dept", "org",
        "organisation", "organization", "sre", "ops", "devops", "platform", "infra", "infrastructure", "engineering",
        "eng", "rotation", "oncall", "on-call", "owners", "dba", "dbas", "security", "council", "board", "committee",
        "office", "unit", "pod", "function", "support", "operations", "product", "leadership", "management", "staff",
    ]

    /// Owner placeholders that name nobody.
    static let noOwner: Set<String> = ["tbd", "tba", "tbc", "?", "-", "—", "n/a", "na", "none", "unassigned", "nobody", "unknown", "todo"]
}

extension StringProtocol where SubSequence == Substring {
    /// Without leading and trailing spaces and tabs: a cheap trim for hot paths (Foundation's goes through NSString).
    var trimmedSpaces: SubSequence {
        var slice = self[...]
        while let first = slice.utf8.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.utf8.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }

    /// Whether the text has anything but spaces, tabs and newlines.
    var hasContent: Bool {
        utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A }
    }
}
