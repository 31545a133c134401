/// A piece of template source: a run of text or one tag, by byte offsets into the source.
struct Token {
    enum Kind: UInt8 {
        case text, variable, unescaped, section, inverted, close, partial, parent, block, comment, delimiters
    }

    var kind: Kind
    /// The offset of the text, or of the tag's opening delimiter.
    var start: Int
    /// The offset just past the text, or past the tag's closing delimiter.
    var end: Int
    /// The tag's name, trimmed; empty for text, comments and set-delimiter tags.
    var name: String = ""
    /// The delimiters in force at the tag, as an index into `Scanner.delimiterSets`, for error messages.
    var delimiters: Int = 0
}

/// Splits template source into text and tags, following set-delimiter tags, and rejects malformed tags.
struct Scanner {
    /// The longest delimiter a set-delimiter tag may choose; longer ones only make searching slow.
    static let maxDelimiterLength = 16

    let bytes: [UInt8]
    let path: String
    private(set) var tokens: [Token] = []
    /// Every delimiter pair the template uses, the default first.
    private(set) var delimiterSets: [(open: String, close: String)] = [("{{", "}}")]
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// The text of a tag written with the delimiters in force at `token`, for messages.
    func spell(_ content: String, at token: Int) -> String {
        let set = delimiterSets[tokens.isEmpty ? 0 : tokens[token].delimiters]
        return set.open + content + set.close
    }

    func error(at offset: Int, _ message: String) -> TemplateError {
        let (line, column) = Scanner.position(of: offset, in: bytes)
        return TemplateError(path: path, line: line, column: column, message: message)
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    mutating func scan() throws(TemplateError) {
        var position = 0
        while let tagStart = find(open, from: position) {
            if tagStart > position { tokens.append(Token(kind: .text, start: position, end: tagStart)) }
            position = try scanTag(at: tagStart)
        }
        if position < bytes.count { tokens.append(Token(kind: .text, start: position, end: bytes.count)) }
    }

    /// Reads the tag whose opening delimiter is at `tagStart`, appends it and returns the offset after it.
    private mutating func scanTag(at tagStart: Int) throws(TemplateError) -> Int {
        let openText = String(decoding: open, as: UTF8.self)
        let closeText = String(decoding: close, as: UTF8.self)
        let contentStart = tagStart + open.count
        let sigil: UInt8 = contentStart < bytes.count ? bytes[contentStart] : 0
        var token = Token(kind: .variable, start: tagStart, end: tagStart, delimiters: delimiterSets.count - 1)

        func unclosed() -> TemplateError {
            error(at: tagStart, "unclosed tag: '\(openText)' has no matching '\(closeText)'; end the tag with \(closeText)")
        }

        switch sigil {
        case UInt8(ascii: "!"):
            guard let closeStart = find(close, from: contentStart + 1) else { throw unclosed() }
            token.kind = .comment
            token.end = closeStart + close.count
            tokens.append(token)
            return token.end

        case UInt8(ascii: "="):
            guard let equals = find([UInt8(ascii: "=")] + close, from: contentStart + 1) else {
                if find(close, from: contentStart + 1) == nil { throw unclosed() }
                throw badDelimiters(at: tagStart)
            }
            let parts = split(contentStart + 1, equals)
            guard parts.count == 2, parts.allSatisfy({ part in
                part.count <= Scanner.maxDelimiterLength && part.contains(UInt8(ascii: "=")) == false
            }) else {
                throw badDelimiters(at: tagStart)
            }
            token.kind = .delimiters
            token.end = equals + 1 + close.count
            tokens.append(token)
            open = parts[0]
            close = parts[1]
            delimiterSets.append((String(decoding: open, as: UTF8.self), String(decoding: close, as: UTF8.self)))
            return token.end

        case UInt8(ascii: "{"):
            guard let closeStart = find(close, from: contentStart + 1) else { throw unclosed() }
            let nameEnd: Int
            if closeStart < bytes.count, bytes[closeStart] == UInt8(ascii: "}"),
                starts(with: close, at: closeStart + 1)
            {
                nameEnd = closeStart
                token.end = closeStart + 1 + close.count
            } else if bytes[closeStart - 1] == UInt8(ascii: "}"), closeStart - 1 > contentStart {
                nameEnd = closeStart - 1
                token.end = closeStart + close.count
            } else {
                let name = String(decoding: trimmed(contentStart + 1, closeStart), as: UTF8.self)
                throw error(
                    at: tagStart,
                    "unclosed triple mustache: '\(openText){' needs '}\(closeText)'; write \(openText){\(name.isEmpty ? "name" : name)}\(closeText)")
            }
            token.kind = .unescaped
            token.name = try name(contentStart + 1, nameEnd, kind: .unescaped, sigil: "{", tagStart: tagStart)
            tokens.append(token)
            return token.end

        default:
            guard let closeStart = find(close, from: contentStart) else { throw unclosed() }
            token.end = closeStart + close.count
            var nameStart = contentStart + 1
            var sigilText = String(UnicodeScalar(sigil))
            switch sigil {
            case UInt8(ascii: "&"): token.kind = .unescaped
            case UInt8(ascii: "#"): token.kind = .section
            case UInt8(ascii: "^"): token.kind = .inverted
            case UInt8(ascii: "/"): token.kind = .close
            case UInt8(ascii: ">"): token.kind = .partial
            case UInt8(ascii: "<"): token.kind = .parent
            case UInt8(ascii: "$"): token.kind = .block
            case UInt8(ascii: "%"):
                throw error(
                    at: tagStart,
                    "pragmas are not supported; remove the \(openText)%…\(closeText) tag (no pragma changes how this engine renders)")
            default:
                token.kind = .variable
                nameStart = contentStart
                sigilText = ""
            }
            token.name = try name(nameStart, closeStart, kind: token.kind, sigil: sigilText, tagStart: tagStart)
            tokens.append(token)
            return token.end
        }
    }

    private func badDelimiters(at offset: Int) -> TemplateError {
        let openText = String(decoding: open, as: UTF8.self)
        let closeText = String(decoding: close, as: UTF8.self)
        return error(
            at: offset,
            "bad set-delimiter tag: write two new delimiters of at most \(Scanner.maxDelimiterLength) bytes, without '=' or spaces inside, separated by a space, e.g. \(openText)=<% %>=\(closeText)"
        )
    }

    /// Checks and returns the name of a tag, trimmed.
    private func name(_ start: Int, _ end: Int, kind: Token.Kind, sigil: String, tagStart: Int) throws(TemplateError)
        -> String
    {
        let openText = String(decoding: open, as: UTF8.self)
        let closeText = String(decoding: close, as: UTF8.self)
        let bytes = trimmed(start, end)
        let name = String(decoding: bytes, as: UTF8.self)
        let example: String
        switch kind {
        case .section, .inverted, .close: example = "items"
        case .partial, .parent: example = "card"
        default: example = "title"
        }
        guard bytes.isEmpty == false else {
            throw error(
                at: tagStart,
                "empty tag name in \(openText)\(sigil)\(closeText): write a name, e.g. \(openText)\(sigil)\(example)\(closeText)")
        }
        if let space = bytes.firstIndex(where: Scanner.isWhitespace) {
            let first = String(decoding: bytes[..<space], as: UTF8.self)
            if first.contains("(") == false {
                throw error(
                    at: tagStart,
                    "tag name '\(name)' contains whitespace: a tag takes one name, e.g. \(openText)\(sigil)\(first)\(closeText)")
            }
        }
        if kind == .variable, let first = bytes.first, "#^/><$&{!=%".utf8.contains(first) {
            let rest = String(decoding: trimmed(bytes.startIndex + 1, end), as: UTF8.self)
            throw error(
                at: tagStart,
                "'\(UnicodeScalar(first))' must follow \(openText) directly: write \(openText)\(UnicodeScalar(first))\(rest)\(closeText)")
        }
        switch kind {
        case .partial, .parent:
            if bytes.first == UInt8(ascii: "*") {
                let what = kind == .partial ? "partial" : "parent"
                throw error(
                    at: tagStart,
                    "dynamic \(what) names are not supported; name the \(what): \(openText)\(sigil) \(example)\(closeText)")
            }
        case .variable, .unescaped, .section, .inverted, .close:
            if let parenthesis = bytes.firstIndex(where: { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")") }) {
                var argument = bytes[(parenthesis + 1)...]
                if let closing = argument.lastIndex(of: UInt8(ascii: ")")) { argument = argument[..<closing] }
                var plain = String(decoding: argument, as: UTF8.self)
                if plain.isEmpty || plain.contains("(") || plain.contains(" ") { plain = "name" }
                throw error(
                    at: tagStart,
                    "transforms such as \(name) are not supported: format the value in the view model and write \(openText)\(sigil)\(plain)\(closeText)"
                )
            }
            if name != "." {
                let segments = name.split(separator: ".", omittingEmptySubsequences: false)
                if segments.contains(where: \.isEmpty) {
                    throw error(
                        at: tagStart,
                        "malformed dotted name '\(name)': separate names with single dots, e.g. \(openText)\(sigil)site.title\(closeText)"
                    )
                }
            }
        default:
            break
        }
        return name
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private func trimmed(_ start: Int, _ end: Int) -> ArraySlice<UInt8> {
        var lower = start
        var upper = max(start, end)
        while lower < upper, Scanner.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, Scanner.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// The whitespace-separated words of `bytes[start..<end]`.
    private func split(_ start: Int, _ end: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes[start..<max(start, end)] {
            if Scanner.isWhitespace(byte) {
                if current.isEmpty == false { parts.append(current) }
                current.removeAll()
            } else {
                current.append(byte)
            }
        }
        if current.isEmpty == false { parts.append(current) }
        return parts
    }

    private func starts(with needle: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + needle.count <= bytes.count else { return false }
        var index = 0
        while index < needle.count {
            if bytes[offset + index] != needle[index] { return false }
            index += 1
        }
        return true
    }

    /// The offset of the first occurrence of `needle` at or after `offset`.
    private func find(_ needle: [UInt8], from offset: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = max(0, offset)
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first, starts(with: needle, at: index) { return index }
            index += 1
        }
        return nil
    }
}
