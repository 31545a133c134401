import Foundation

/// A post-mortem file split into its YAML front matter and Markdown body.
struct SplitDocument: Sendable {
    /// The YAML between the `---` fences, nil when the file has none.
    var yaml: String?
    /// 1-based line of the first YAML line in the file.
    var yamlLine: Int
    /// The Markdown after the front matter.
    var body: String
    /// 1-based line of the body's first line in the file.
    var bodyLine: Int
}

enum FrontMatter {
    /// Splits `text` at `---` fences. A BOM is dropped and CRLF read as LF, so line numbers match editors.
    static func split(_ text: String, path: String) throws(Diagnostic) -> SplitDocument {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.contains(13) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        let utf8 = text.utf8
        // Front matter starts with "---" alone on the first line.
        guard utf8.starts(with: "---".utf8) else {
            return SplitDocument(yaml: nil, yamlLine: 1, body: text, bodyLine: 1)
        }
        var lineStart = utf8.startIndex
        var line = 1
        var fenceEnd: String.Index?
        var yamlStart: String.Index?
        var closing: (start: String.Index, end: String.Index, line: Int)?
        var index = utf8.startIndex
        while index <= utf8.endIndex {
            let atEnd = index == utf8.endIndex
            if atEnd || utf8[index] == UInt8(ascii: "\n") {
                // Only a fence at column 1 counts; an indented '---' belongs to a block scalar.
                var content = Substring(text[lineStart..<index])
                while let last = content.last, last == " " || last == "\t" { content = content.dropLast() }
                if line == 1 {
                    guard content == "---" else {
                        return SplitDocument(yaml: nil, yamlLine: 1, body: text, bodyLine: 1)
                    }
                    fenceEnd = index
                    yamlStart = atEnd ? index : utf8.index(after: index)
                } else if content == "---" || content == "..." {
                    closing = (lineStart, index, line)
                    break
                }
                if atEnd { break }
                line += 1
                lineStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        _ = fenceEnd
        guard let closing, let yamlStart else {
            throw Diagnostic.error(
                "front matter never closes: add a line '---' after the last key",
                at: SourceLocation(path: path, line: 1, column: 1))
        }
        let yaml = String(text[yamlStart..<closing.start])
        let bodyStart = closing.end == utf8.endIndex ? closing.end : utf8.index(after: closing.end)
        return SplitDocument(
            yaml: yaml, yamlLine: 2, body: String(text[bodyStart...]), bodyLine: closing.line + 1)
    }
}
