/// The one tokenizer of search, mirrored exactly by `Theme/assets/search.js`:
/// canonical decomposition, combining marks removed (diacritic folding), lowercase,
/// runs of Unicode letters and digits, tokens of two or more characters.
public enum SearchTokenizer {
    /// Words too common to be worth indexing; the client reads this list from the manifest.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "that",
        "the", "this", "to", "was", "were", "with", "we", "our",
    ]

    /// The tokens of `text`, in order, stop words included.
    public static func tokens(_ text: String) -> [String] {
        // Most post-mortems are plain ASCII: split bytes directly, and take the Unicode path
        // (decomposition, mark removal) only for text that needs it. Both give the same tokens.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        return unicodeTokens(text)
    }

    static func asciiTokens(_ text: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func flush() {
            if current.count >= 2 { out.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            default: flush()
            }
        }
        flush()
        return out
    }

    static func unicodeTokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        func flush() {
            if length >= 2 { out.append(String(current).lowercased()) }
            current = String.UnicodeScalarView()
            length = 0
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                current.append(scalar)
                length += 1
            default:
                flush()
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
