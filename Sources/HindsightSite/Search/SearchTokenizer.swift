/// The one tokenizer of search, mirrored exactly by `Theme/assets/search.js`:
/// canonical decomposition, combining marks removed (diacritic folding), lowercase,
/// runs of Unicode letters and digits, tokens of two or more characters.
public enum SearchTokenizer {
    /// Words too common to be worth indexing; the client reads this list from the manifest.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "that",
        "the", "this", "to", "was", "were", "with", "we", "our",
    ]
    static let longestStopWord = stopWords.map(\.utf8.count).max() ?? 0

    /// The tokens of `text`, in order, stop words included.
    ///
    /// Decomposing scalar by scalar gives the same tokens as decomposing the whole text: canonical
    /// reordering only moves combining marks, and every combining mark is dropped. So ASCII (most of
    /// a post-mortem) takes a fast path and only other scalars are decomposed.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        if asciiTokens(text, { out.append($0) }) { return out }
        return scalarTokens(text)
    }

    /// Calls `body` with each token of `text` and returns true when `text` is ASCII (most of a post-mortem);
    /// returns false, having called nothing, otherwise. Bytes are lowercased as they are read and a token is
    /// made straight from them, with no scalar-by-scalar string building.
    static func asciiTokens(_ text: String, _ body: (String) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte >= 0x80 { return false }
            var token = [UInt8]()
            token.reserveCapacity(32)
            for byte in bytes {
                switch byte {
                case 0x61...0x7A, 0x30...0x39: token.append(byte)
                case 0x41...0x5A: token.append(byte + 32)
                default:
                    if token.count >= 2 { body(String(decoding: token, as: UTF8.self)) }
                    token.removeAll(keepingCapacity: true)
                }
            }
            if token.count >= 2 { body(String(decoding: token, as: UTF8.self)) }
            return true
        }
    }

    /// Adds the index tokens of `text` (stop words left out) to `counts` and returns how many there were.
    static func count(indexTokensOf text: String, into counts: inout [String: Int]) -> Int {
        var total = 0
        func add(_ token: String) {
            // Tokens longer than every stop word skip the set.
            if token.utf8.count <= longestStopWord, stopWords.contains(token) { return }
            counts[token, default: 0] += 1
            total += 1
        }
        if asciiTokens(text, add) == false {
            for token in scalarTokens(text) { add(token) }
        }
        return total
    }

    /// The tokens of `text`, scalar by scalar: the reference for any text, and the path for text that is not ASCII.
    static func scalarTokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        var ascii = true
        func flush() {
            if length >= 2 { out.append(ascii ? String(current) : String(current).lowercased()) }
            current = String.UnicodeScalarView()
            length = 0
            ascii = true
        }
        func take(_ scalar: Unicode.Scalar) {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                return
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                current.append(scalar)
                length += 1
                ascii = false
            default:
                flush()
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) {
                    current.append(scalar)
                    length += 1
                } else if value >= 0x41 && value <= 0x5A {
                    current.append(Unicode.Scalar(value + 32)!)
                    length += 1
                } else {
                    flush()
                }
            } else {
                for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars { take(part) }
            }
        }
        flush()
        return out
    }

    /// Tokens worth indexing: stop words left out.
    public static func indexTokens(_ text: String) -> [String] {
        tokens(text).filter { stopWords.contains($0) == false }
    }
}
