/// Rewrites of a blaming sentence in its own words, about the system: the blame rules' suggestions.
///
/// Each rewrite keeps the sentence and changes only the blaming part: a judging word is dropped, a person
/// who acted becomes the thing acted on ("Alex pushed the config without review" → "The config was pushed
/// without review"), a person named as the cause becomes a question about the system. When the sentence's
/// shape is not one these rules can rewrite, the rules give their general advice instead.
enum Rewrite {
    /// The words of the sentence holding `index`: from the last sentence break before it to the next one.
    static func sentence(_ words: [Word], around index: Int) -> Range<Int> {
        var start = index
        while start > 0, words[start].gap != .sentence { start -= 1 }
        var end = index + 1
        while end < words.count, words[end].gap != .sentence { end += 1 }
        return start..<end
    }

    /// The sentence without the words in `cut` (a judging word such as "careless"), or nil when nothing
    /// sensible remains.
    static func removing(_ cut: Range<Int>, in block: TextBlock) -> String? {
        let words = block.words
        let sentence = sentence(words, around: cut.lowerBound)
        guard sentence.count > cut.count + 1 else { return nil }
        let start = words[sentence.lowerBound].range.lowerBound
        let end = end(of: sentence, in: block)
        var before = String(block.text[start..<words[cut.lowerBound].range.lowerBound])
        var after = String(block.text[words[cut.upperBound - 1].range.upperBound..<end])
        // One space between what is left: "A careless push" → "A push".
        while before.hasSuffix(" ") && after.hasPrefix(" ") { after.removeFirst() }
        if before.isEmpty { after = String(after.drop { $0 == " " }) }
        if before.hasSuffix(" "), after.first.map({ ",.;:".contains($0) }) == true { before.removeLast() }
        return sentenceCase(before + after)
    }

    /// The sentence with the words in `range` replaced by `replacement`.
    static func replacing(_ range: Range<Int>, with replacement: String, in block: TextBlock) -> String {
        let words = block.words
        let sentence = sentence(words, around: range.lowerBound)
        let start = words[sentence.lowerBound].range.lowerBound
        let end = end(of: sentence, in: block)
        let before = block.text[start..<words[range.lowerBound].range.lowerBound]
        let after = block.text[words[range.upperBound - 1].range.upperBound..<end]
        return sentenceCase(before + replacement + after)
    }

    /// "Alex pushed the config without review" → "The config was pushed without review": the person who acted
    /// leaves the sentence and what they acted on becomes its subject. Nil unless the name is followed by a
    /// past-tense verb and an object.
    static func passive(_ name: Range<Int>, in block: TextBlock) -> String? {
        let words = block.words
        var verb = name.upperBound
        while verb < words.count, words[verb].gap == .space, Lexicon.fillers.contains(words[verb].lower) || words[verb].lower.hasSuffix("ly") {
            verb += 1
        }
        guard verb < words.count, words[verb].gap == .space, let participle = participle(of: words[verb].lower) else { return nil }
        // A particle stays with its verb: "took down the service" → "the service was taken down".
        var object = verb + 1
        var particle = ""
        if object < words.count, ["down", "out", "up", "off", "over"].contains(words[object].lower) {
            particle = " " + words[object].lower
            object += 1
        }
        guard object < words.count, words[object].gap == .space else { return nil }
        var objectEnd = object
        while objectEnd < words.count, words[objectEnd].gap == .space || objectEnd == object,
            boundaries.contains(words[objectEnd].lower) == false
        {
            objectEnd += 1
        }
        guard objectEnd > object, objectEnd - object <= 6 else { return nil }
        let sentence = sentence(words, around: name.lowerBound)
        let end = end(of: sentence, in: block)
        let objectText = block.text(of: object..<objectEnd)
        let rest = objectEnd < sentence.upperBound ? block.text[words[objectEnd - 1].range.upperBound..<end] : ""
        let lead = name.lowerBound > sentence.lowerBound
            ? block.text[words[sentence.lowerBound].range.lowerBound..<words[name.lowerBound].range.lowerBound] : ""
        let plural = objectText.lowercased().hasSuffix("s") && objectText.lowercased().hasSuffix("ss") == false
        return sentenceCase(lead + objectText + (plural ? " were " : " was ") + participle + particle + rest)
    }

    /// Where the sentence's text ends: after its last word and the stop that closes it.
    private static func end(of sentence: Range<Int>, in block: TextBlock) -> String.Index {
        let text = block.text
        var end = block.words[sentence.upperBound - 1].range.upperBound
        while end < text.endIndex, ".!?".contains(text[end]) { end = text.index(after: end) }
        return end
    }

    /// Words that end the object of a verb: prepositions, conjunctions and relative pronouns.
    private static let boundaries: Set<String> = [
        "without", "before", "after", "during", "when", "while", "because", "by", "to", "in", "on", "at", "for", "which",
        "and", "but", "so", "that", "from", "into", "with", "instead", "against", "as", "then", "until", "of",
    ]

    private static let irregular: [String: String] = [
        "ran": "run", "took": "taken", "broke": "broken", "wrote": "written", "made": "made", "forgot": "forgotten",
        "did": "done", "gave": "given", "set": "set", "put": "put", "shut": "shut", "cut": "cut", "sent": "sent",
        "left": "left", "hit": "hit", "began": "begun", "brought": "brought", "built": "built", "threw": "thrown",
        "overwrote": "overwritten", "rewrote": "rewritten", "undid": "undone", "chose": "chosen", "drove": "driven",
        "froze": "frozen", "mistook": "mistaken", "misread": "misread", "reset": "reset", "shipped": "shipped",
    ]

    private static func participle(of verb: String) -> String? {
        if let irregular = irregular[verb] { return irregular }
        guard verb.count > 3, verb.hasSuffix("ed"), ["need", "feed", "seed", "speed", "shed", "bed"].contains(verb) == false else {
            return nil
        }
        return verb
    }

    private static func sentenceCase<S: StringProtocol>(_ text: S) -> String {
        let trimmed = text.drop { $0 == " " }
        guard let first = trimmed.first else { return "" }
        return first.uppercased() + trimmed.dropFirst()
    }
}
