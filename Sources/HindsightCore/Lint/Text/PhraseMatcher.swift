/// Finds phrases (sequences of words) in a text block's words in one pass, longest match first.
///
/// Built once per run: phrases are indexed by their first word, so each word of the text costs one
/// dictionary lookup. `*` in a phrase stands for any one word (the rule decides what it must be).
/// Words of a phrase only match across plain spaces, so `should, have` or `should. Have` do not match.
public struct PhraseMatcher<Payload: Sendable>: Sendable {
    private struct Entry: Sendable {
        var words: [String]
        var payload: Payload
    }

    /// A phrase found in a block.
    public struct Match: Sendable {
        /// Indices into the block's words.
        public var words: Range<Int>
        public var payload: Payload
    }

    private let byFirst: [String: [Entry]]
    /// Which (first byte, length) pairs start a phrase: most words are ruled out without hashing them.
    private let shapes: Shapes

    /// Phrases in any case; any equal (ignoring case) to one of `allowed` are left out.
    public init(_ phrases: [(String, Payload)], allowed: Set<String> = []) {
        var index: [String: [Entry]] = [:]
        for (phrase, payload) in phrases {
            let words = phrase.lowercased().split(separator: " ").map(String.init)
            guard let first = words.first, allowed.contains(words.joined(separator: " ")) == false else { continue }
            index[first, default: []].append(Entry(words: words, payload: payload))
        }
        for key in index.keys { index[key]!.sort { $0.words.count > $1.words.count } }
        byFirst = index
        shapes = Shapes(index.keys)
    }

    /// Every phrase in the words, left to right, without overlaps.
    public func matches(in words: [Word]) -> [Match] {
        var out: [Match] = []
        var i = 0
        while i < words.count {
            if shapes.mayContain(words[i].lower), let entries = byFirst[words[i].lower], let entry = entries.first(where: { matches($0.words, words, at: i) }) {
                out.append(Match(words: i..<(i + entry.words.count), payload: entry.payload))
                i += entry.words.count
            } else {
                i += 1
            }
        }
        return out
    }

    /// The first phrase that starts exactly at word `i`, if any.
    public func match(in words: [Word], at i: Int) -> Match? {
        guard i < words.count, shapes.mayContain(words[i].lower), let entries = byFirst[words[i].lower],
            let entry = entries.first(where: { matches($0.words, words, at: i) })
        else { return nil }
        return Match(words: i..<(i + entry.words.count), payload: entry.payload)
    }

    private func matches(_ phrase: [String], _ words: [Word], at start: Int) -> Bool {
        guard start + phrase.count <= words.count else { return false }
        for offset in 1..<max(1, phrase.count) {
            let word = words[start + offset]
            guard word.gap == .space, phrase[offset] == "*" || phrase[offset] == word.lower else { return false }
        }
        return true
    }
}

/// A 256 × 32 bit table of (first byte, length) pairs: a cheap, exact-negative filter before a dictionary lookup.
struct Shapes: Sendable {
    private var bits = [UInt32](repeating: 0, count: 256)

    init(_ words: some Sequence<String>) {
        for word in words {
            guard let first = word.utf8.first else { continue }
            bits[Int(first)] |= 1 << UInt32(min(word.utf8.count, 31))
        }
    }

    @inline(__always)
    func mayContain(_ word: String) -> Bool {
        guard let first = word.utf8.first else { return false }
        return bits[Int(first)] & (1 << UInt32(min(word.utf8.count, 31))) != 0
    }
}
