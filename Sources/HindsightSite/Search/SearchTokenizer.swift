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
