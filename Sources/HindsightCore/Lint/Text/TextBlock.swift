/// A run of prose a reader sees as one unit: a paragraph, a heading, a list item's text or a table cell.
///
/// Markup is gone (emphasis, link targets, HTML) and inline code is replaced by U+FFFC, so rules match
/// what is written rather than how it is formatted, and never match inside code. `pieces` remember where
/// each stretch of the text starts in the file, so a match anywhere in the block has an exact line and column.
public struct TextBlock: Sendable {
    /// Where in the document's structure the text sits.
    public enum Context: Sendable, Hashable {
        /// The front matter `title`.
        case title
        case heading(level: Int)
        case paragraph
        /// The text of a list item (its nested lists are blocks of their own).
        case listItem
        /// A table cell, with its column's header text as written (lowercased, normalised).
        case tableCell(column: String, isHeader: Bool)
    }

    public let context: Context
    /// The kind of the `##` section the block is in; nil before the first `##` or under an unknown heading.
    public let section: SectionKind?
    /// Index into `LintDocument.sections`, nil before the first `##`.
    public let sectionIndex: Int?
    /// The text without markup.
    public let text: String
    /// The words of `text`, lowercased, with their places.
    public let words: [Word]
    /// The file line where the block starts.
    public let line: Int
    /// For a table cell: which table (counting tables in the document) and which body row, so cells of one row can be found together.
    public let tableRow: TableRowID?
    let pieces: [Piece]

    /// A stretch of `text` copied from one text node, with where that node starts in the file.
    struct Piece: Sendable {
        var range: Range<String.Index>
        var line: Int
        /// 1-based UTF-8 column of the piece's first byte on its line, as cmark-gfm reports it.
        var byteColumn: Int
    }

    /// One table row, for finding the other cells of a row.
    public struct TableRowID: Sendable, Hashable {
        public let table: Int
        public let row: Int
    }

    init(
        context: Context, section: SectionKind?, sectionIndex: Int?, text: String, line: Int, tableRow: TableRowID?,
        pieces: [Piece]
    ) {
        self.context = context
        self.section = section
        self.sectionIndex = sectionIndex
        self.text = text
        self.line = line
        self.tableRow = tableRow
        self.pieces = pieces
        self.words = Word.split(text)
    }

    /// The words `range` (indices into `words`) covers, as written.
    public func text(of range: Range<Int>) -> Substring {
        text[words[range.lowerBound].range.lowerBound..<words[range.upperBound - 1].range.upperBound]
    }

    /// The span of text a range of words covers.
    public func span(_ range: Range<Int>) -> Range<String.Index> {
        words[range.lowerBound].range.lowerBound..<words[range.upperBound - 1].range.upperBound
    }

    /// Whether this is a table cell whose column header is one of `names`.
    public func isCell(inColumn names: Set<String>) -> Bool {
        if case .tableCell(let column, false) = context { return names.contains(column) }
        return false
    }
}

/// One word of a text block: letters and digits, with inner apostrophes and hyphens (`don't`, `on-call`) and a leading `@`.
public struct Word: Sendable, Hashable {
    /// Lowercased, with typographic apostrophes made straight.
    public let lower: String
    /// Where the word is in the block's text.
    public let range: Range<String.Index>
    /// Whether the word starts with an uppercase letter (names are only matched when capitalised).
    public let isCapitalised: Bool
    /// What separates the word from the one before it.
    public let gap: Gap

    /// What stands between two words: phrases only match across plain spaces.
    public enum Gap: Sendable, Hashable {
        /// Only spaces (or a line break inside the paragraph).
        case space
        /// Other punctuation inside a sentence, such as a comma, a bracket or inline code.
        case punctuation
        /// The start of the block, or `.`, `!`, `?`, `;` or `:`: a new sentence or clause.
        case sentence
    }

    /// Whether this word is an `@mention`.
    public var isMention: Bool { lower.utf8.first == UInt8(ascii: "@") }

    /// The word without a possessive `'s` (`bob's` → `bob`).
    public var withoutPossessive: Substring {
        lower.hasSuffix("'s") ? lower.dropLast(2) : lower[...]
    }

    /// Splits text into words in one pass over its Unicode scalars (ASCII is classified without table lookups).
    static func split(_ text: String) -> [Word] {
        let scalars = text.unicodeScalars
        let end = scalars.endIndex
        var words: [Word] = []
        var gap = Gap.sentence
        var previous: Unicode.Scalar?
        var i = scalars.startIndex
        while i < end {
            let scalar = scalars[i]
            let next = scalars.index(after: i)
            if isWordScalar(scalar) || isMentionStart(scalar, next: next < end ? scalars[next] : nil, previous: previous) {
                let start = i
                var j = next
                while j < end {
                    let c = scalars[j]
                    if isWordScalar(c) {
                        j = scalars.index(after: j)
                        continue
                    }
                    // An apostrophe or hyphen joins two word characters: don't, on-call, re-train.
                    if c == "'" || c == "\u{2019}" || c == "-" {
                        let k = scalars.index(after: j)
                        if k < end, isWordScalar(scalars[k]) {
                            j = k
                            continue
                        }
                    }
                    break
                }
                var lower = String(text[start..<j]).lowercased()
                if lower.utf8.contains(0xE2) { lower = lower.replacingOccurrences(of: "\u{2019}", with: "'") }
                let first = scalar == "@" ? scalars[next] : scalar
                let capitalised = first.isASCII ? (first.value >= 65 && first.value <= 90) : first.properties.isUppercase
                words.append(Word(lower: lower, range: start..<j, isCapitalised: capitalised, gap: gap))
                gap = .space
                previous = scalars[scalars.index(before: j)]
                i = j
                continue
            }
            switch scalar {
            case " ", "\t", "\n", "\u{00A0}":
                break
            case ".", "!", "?", ";", ":", "\u{2026}":
                gap = .sentence
            default:
                if gap == .space { gap = .punctuation }
            }
            previous = scalar
            i = next
        }
        return words
    }

    /// Letters, digits and combining marks.
    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 128 { return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }

    /// `@` before a name starts a mention, unless it is inside an e-mail address (`bob@example.org`).
    private static func isMentionStart(_ scalar: Unicode.Scalar, next: Unicode.Scalar?, previous: Unicode.Scalar?) -> Bool {
        guard scalar == "@", let next, isWordScalar(next) else { return false }
        if let previous, isWordScalar(previous) || previous == "." || previous == "_" { return false }
        return true
    }
}
