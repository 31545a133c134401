/// One node of a parsed Markdown document, copied out of cmark-gfm into plain Swift values.
public struct MarkdownNode: Sendable, Equatable {
    /// The node's type, with the attributes that type carries.
    public enum Kind: Sendable, Equatable {
        case document
        case blockQuote
        case list(ordered: Bool, start: Int)
        /// A list item; `task` is nil for plain items, else whether its box is checked.
        case item(task: Bool?)
        case codeBlock(info: String)
        case htmlBlock
        case paragraph
        case heading(level: Int)
        case thematicBreak
        case table
        case tableRow(header: Bool)
        case tableCell
        case footnoteDefinition
        case text
        case softBreak
        case lineBreak
        case code
        case htmlInline
        case emphasis
        case strong
        case strikethrough
        case link(url: String, title: String)
        case image(url: String, title: String)
        case footnoteReference
        /// A node type this wrapper does not know, by cmark's name for it.
        case other(String)
    }

    public var kind: Kind
    /// Text of text, code, code block and HTML nodes; empty otherwise.
    public var literal: String
    public var children: [MarkdownNode]
    /// 1-based line in the parsed text where the node starts.
    public var line: Int
    /// 1-based column in the parsed text where the node starts.
    public var column: Int

    public init(kind: Kind, literal: String = "", children: [MarkdownNode] = [], line: Int = 1, column: Int = 1) {
        self.kind = kind
        self.literal = literal
        self.children = children
        self.line = line
        self.column = column
    }
}

extension MarkdownNode {
    /// The node's text with all markup removed; breaks become spaces.
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text, .code:
            out += literal
        case .codeBlock:
            out += literal
        case .softBreak, .lineBreak:
            out += " "
        case .htmlInline, .htmlBlock:
            // Raw HTML is never shown; its text is not content either.
            break
        case .paragraph, .heading, .tableCell:
            if out.isEmpty == false && out.last != " " && out.last != "\n" && isBlockLevel { out += " " }
            for child in children { child.appendPlainText(to: &out) }
        default:
            for child in children { child.appendPlainText(to: &out) }
        }
    }

    /// The node's text with all markup removed, its blocks kept apart: a newline between paragraphs, headings,
    /// list items, code blocks and table rows, a tab between the cells of a row. Search and snippets read this,
    /// so a heading, a table cell or a timestamp never runs into the words beside it.
    public var blockText: String {
        var out = ""
        appendBlockText(to: &out)
        while out.last == "\n" || out.last == "\t" { out.removeLast() }
        return out
    }

    private func appendBlockText(to out: inout String) {
        switch kind {
        case .text, .code:
            out += literal
        case .codeBlock:
            separate(&out, by: "\n")
            out += literal.trimmingTrailingNewlines
            out += "\n"
        case .softBreak, .lineBreak:
            out += " "
        case .htmlInline, .htmlBlock:
            break
        case .paragraph, .heading, .item, .tableRow:
            separate(&out, by: "\n")
            for child in children { child.appendBlockText(to: &out) }
            separate(&out, by: "\n")
        case .tableCell:
            separate(&out, by: "\t")
            for child in children { child.appendBlockText(to: &out) }
            separate(&out, by: "\t")
        default:
            for child in children { child.appendBlockText(to: &out) }
        }
    }

    /// Ends `out` with `separator` unless it is empty or already ends a block (a newline outranks a tab).
    private func separate(_ out: inout String, by separator: Character) {
        guard let last = out.last else { return }
        if last == "\n" { return }
        if last == "\t" {
            if separator == "\n" { out.removeLast(); out.append("\n") }
            return
        }
        out.append(separator)
    }

    private var isBlockLevel: Bool {
        switch kind {
        case .paragraph, .heading: return true
        default: return false
        }
    }

    /// Whether this is a block-level heading of the given level.
    public func isHeading(level: Int) -> Bool {
        if case .heading(let l) = kind { return l == level }
        return false
    }

    /// The heading level, or nil when this is not a heading.
    public var headingLevel: Int? {
        if case .heading(let l) = kind { return l }
        return nil
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == "\n" { end = index(before: end) }
        return self[..<end]
    }
}
