import CommonMarkKit
import Foundation

/// One file as every rule sees it: the parsed post-mortem, the raw lines, and the body parsed once by
/// cmark-gfm into sections and text blocks shared by all rules.
public struct LintDocument: Sendable {
    /// The file's path from the repository root.
    public let path: String
    /// The parsed post-mortem; nil when the file could not be parsed at all (the parser's errors say why).
    public let postMortem: PostMortem?
    /// Every paragraph, heading, list item and table cell of the body, in document order.
    public let blocks: [TextBlock]
    /// The `##` sections, in document order.
    public let sections: [DocumentSection]
    /// Top-level blocks before the first `##` (besides the `#` title).
    public let preamble: [MarkdownNode]
    /// `hindsight-disable` comments.
    let directives: Directives
    /// The text with a BOM dropped and CRLF read as LF, as the parser reads it.
    private let text: String
    private let lineStarts: [String.Index]
    /// The file line of the body's first line (after the front matter).
    let bodyLine: Int

    /// Reads a file's text; `postMortem` is what the parser made of the same file, `tree` the body's tree the
    /// parse stage kept (the body is parsed here only without one).
    public init(
        path: String, data: Data, postMortem: PostMortem?, tree: MarkdownNode? = nil, configuration: Configuration = Configuration()
    ) {
        self.path = path
        self.postMortem = postMortem
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.contains(UInt8(ascii: "\r")) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        self.text = text
        var starts = [text.startIndex]
        var index = text.utf8.startIndex
        while let newline = text.utf8[index...].firstIndex(of: UInt8(ascii: "\n")) {
            index = text.utf8.index(after: newline)
            starts.append(index)
        }
        lineStarts = starts

        // A file whose front matter never closes has no body the parser agrees on: only its diagnostics count.
        guard let postMortem, let split = Self.body(of: text, lineStarts: starts) else {
            bodyLine = 1
            blocks = []
            sections = []
            preamble = []
            directives = Directives()
            return
        }
        bodyLine = split.bodyLine
        let document = tree
            ?? Markdown.parse(String(split.body), options: MarkdownOptions(renderHTML: false, anchorHeadings: false)).document
        // The parser already recognised each `##` heading, in the same order: reuse its kinds.
        var builder = BlockBuilder(path: path, lineOffset: split.bodyLine - 1, knownKinds: postMortem.sections.map(\.kind))
        if let title = postMortem.keyLocations["title"], postMortem.title.isEmpty == false {
            builder.addTitle(postMortem.title, key: title, lines: lineStarts, text: text)
        }
        builder.walkDocument(document, configuration: configuration)
        blocks = builder.blocks
        sections = builder.sections
        preamble = builder.preamble
        directives = Directives(tree: document, lineOffset: split.bodyLine - 1, path: path)
    }

    /// The body after the front matter, and its first line, as `FrontMatter.split` finds them: the front
    /// matter opens with `---` on the first line and closes at the next `---` or `...` line. Nil when it never closes.
    private static func body(of text: String, lineStarts: [String.Index]) -> (body: Substring, bodyLine: Int)? {
        func trimmed(_ line: Int) -> Substring {
            let start = lineStarts[line]
            let end = line + 1 < lineStarts.count ? text.utf8.index(before: lineStarts[line + 1]) : text.endIndex
            var slice = text[start..<end]
            while let first = slice.utf8.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
            while let last = slice.utf8.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            return slice
        }
        guard text.utf8.starts(with: "---".utf8), trimmed(0) == "---" else { return (text[...], 1) }
        for line in 1..<lineStarts.count {
            let content = trimmed(line)
            if content == "---" || content == "..." {
                let next = line + 1
                return (next < lineStarts.count ? text[lineStarts[next]...] : text[text.endIndex...], next + 1)
            }
        }
        return nil
    }

    /// The text of a 1-based line, without its newline; empty past the end.
    public func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? text.index(before: lineStarts[number]) : text.endIndex
        return text[start..<max(start, end)]
    }

    /// The file location of a span of a block's text, and its length in characters when it stays on one line.
    public func location(of range: Range<String.Index>, in block: TextBlock) -> (SourceLocation, Int?) {
        guard let piece = block.pieces.last(where: { $0.range.lowerBound <= range.lowerBound }) ?? block.pieces.first else {
            return (SourceLocation(path: path, line: block.line), nil)
        }
        let lineText = line(piece.line)
        let utf8 = lineText.utf8
        var raw = utf8.index(utf8.startIndex, offsetBy: max(0, piece.byteColumn - 1), limitedBy: utf8.endIndex) ?? utf8.endIndex
        // Align the block's text with the raw line, character by character: escapes (`\*`) and entities
        // (`&amp;`) make the raw text longer than what cmark reports, so search forward instead of counting.
        if range.lowerBound > piece.range.lowerBound {
            for character in block.text[piece.range.lowerBound..<min(range.lowerBound, piece.range.upperBound)] {
                if let found = lineText[raw...].firstIndex(of: character) { raw = lineText.index(after: found) }
            }
        }
        if let first = block.text[range].first, let found = lineText[raw...].firstIndex(of: first) { raw = found }
        let column = lineText.unicodeScalars.distance(from: lineText.startIndex, to: raw) + 1
        let matched = block.text[range]
        let length = matched.contains("\n") ? nil : matched.unicodeScalars.count
        return (SourceLocation(path: path, line: piece.line, column: column), length)
    }

    /// The location of a block's start.
    public func location(of block: TextBlock) -> SourceLocation {
        location(of: block.text.startIndex..<block.text.startIndex, in: block).0
    }

    /// The blocks of one section.
    public func blocks(in section: DocumentSection) -> ArraySlice<TextBlock> {
        blocks[section.blockRange]
    }

    /// The blocks of every section of a kind.
    public func blocks(in kind: SectionKind) -> [TextBlock] {
        sections.filter { $0.kind == kind }.flatMap { blocks[$0.blockRange] }
    }

    /// The first section of a kind.
    public func section(_ kind: SectionKind) -> DocumentSection? {
        sections.first { $0.kind == kind }
    }

    /// Where a front matter key was written, else the top of the file.
    public func location(ofKey key: String) -> SourceLocation {
        postMortem?.keyLocations[key] ?? SourceLocation(path: path)
    }

    /// Whether the post-mortem is a draft (rules about completeness leave drafts alone).
    public var isDraft: Bool { postMortem?.status == .draft }
}

/// A `##` section of the body, as rules need it: its kind, heading, top-level blocks and text blocks.
public struct DocumentSection: Sendable {
    public let kind: SectionKind?
    /// The heading as written.
    public let heading: String
    /// Where the heading is.
    public let location: SourceLocation
    /// The section's top-level Markdown blocks (lists, tables, paragraphs…), with lines relative to the body.
    public let nodes: [MarkdownNode]
    /// The section's text blocks: indices into `LintDocument.blocks`.
    public let blockRange: Range<Int>
    /// Added to a node's line to give the file line.
    let lineOffset: Int

    /// The file line of one of the section's nodes.
    public func fileLine(of node: MarkdownNode) -> Int { node.line + lineOffset }
}

/// Walks the body once, producing text blocks with their places and the section list.
private struct BlockBuilder {
    let path: String
    let lineOffset: Int
    /// The parser's section kinds, one per `##` heading in order.
    let knownKinds: [SectionKind?]
    var blocks: [TextBlock] = []
    var sections: [DocumentSection] = []
    var preamble: [MarkdownNode] = []
    private var currentKind: SectionKind?
    private var currentIndex: Int?
    private var sectionStart = 0
    private var sectionNodes: [MarkdownNode] = []
    private var pendingHeading: (heading: String, location: SourceLocation)?
    private var tableCount = 0

    init(path: String, lineOffset: Int, knownKinds: [SectionKind?]) {
        self.path = path
        self.lineOffset = lineOffset
        self.knownKinds = knownKinds
    }

    /// The front matter title as a block of its own, so blame in a title is seen too.
    mutating func addTitle(_ title: String, key: SourceLocation, lines: [String.Index], text: String) {
        guard key.line <= lines.count else { return }
        let start = lines[key.line - 1]
        let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
        let lineText = text[start..<end]
        // The value follows the key; find where the title's first character is written.
        guard let colon = lineText.firstIndex(of: ":"), let first = title.first,
            let valueStart = lineText[colon...].firstIndex(of: first)
        else { return }
        let byteColumn = lineText.utf8.distance(from: lineText.startIndex, to: valueStart) + 1
        let piece = TextBlock.Piece(range: title.startIndex..<title.endIndex, line: key.line, byteColumn: byteColumn)
        blocks.append(TextBlock(
            context: .title, section: nil, sectionIndex: nil, text: title, line: key.line, tableRow: nil, pieces: [piece]))
    }

    /// The body's sections as the parser outlines them (`SectionLayout`): the rules see the same sections, in
    /// the same order, as the parser read facts from.
    mutating func walkDocument(_ document: MarkdownNode, configuration: Configuration) {
        let layout = SectionLayout(document.children, configuration: configuration)
        for node in layout.preamble {
            preamble.append(node)
            walk(node)
        }
        for part in layout.sections {
            currentKind = sections.count < knownKinds.count ? knownKinds[sections.count] : part.kind
            currentIndex = sections.count
            pendingHeading = (part.title, SourceLocation(path: path, line: part.heading.line + lineOffset, column: part.heading.column))
            sectionStart = blocks.count
            sectionNodes = part.blocks
            if let level = part.heading.headingLevel {
                addInline(part.heading, context: .heading(level: level))
            } else {
                walk(part.heading)
            }
            for node in part.blocks { walk(node) }
            closeSection()
        }
    }

    private mutating func closeSection() {
        guard let index = currentIndex, let heading = pendingHeading, index == sections.count else { return }
        sections.append(DocumentSection(
            kind: currentKind, heading: heading.heading, location: heading.location, nodes: sectionNodes,
            blockRange: sectionStart..<blocks.count, lineOffset: lineOffset))
    }

    private mutating func walk(_ node: MarkdownNode) {
        switch node.kind {
        case .heading(let level):
            addInline(node, context: .heading(level: level))
        case .paragraph:
            addInline(node, context: .paragraph)
        case .list:
            for item in node.children {
                for child in item.children {
                    if child.kind == .paragraph { addInline(child, context: .listItem) } else { walk(child) }
                }
            }
        case .table:
            let table = tableCount
            tableCount += 1
            var headers: [String] = []
            var row = 0
            for rowNode in node.children {
                guard case .tableRow(let isHeader) = rowNode.kind else { continue }
                if isHeader {
                    headers = rowNode.children.map { Self.header($0.plainText) }
                }
                for (column, cell) in rowNode.children.enumerated() {
                    let name = column < headers.count ? headers[column] : ""
                    addInline(
                        cell, context: .tableCell(column: name, isHeader: isHeader),
                        tableRow: isHeader ? nil : TextBlock.TableRowID(table: table, row: row))
                }
                if isHeader == false { row += 1 }
            }
        case .blockQuote, .item, .footnoteDefinition:
            for child in node.children { walk(child) }
        default:
            // Code blocks, HTML and rules are not prose.
            break
        }
    }

    /// A column header as `TableReader` compares it; plain ASCII words take a fast path.
    static func header(_ text: String) -> String {
        let simple = text.utf8.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 32 || byte == 45 || byte == 35
        }
        guard simple else { return SectionCatalog.normalise(text) }
        return text.lowercased().split(separator: " ").joined(separator: " ")
    }

    /// Collects an inline container's text, remembering where each text node starts.
    private mutating func addInline(_ node: MarkdownNode, context: TextBlock.Context, tableRow: TextBlock.TableRowID? = nil) {
        var text = ""
        // UTF-8 offsets while the text grows; indices are made once it is final.
        var spans: [(lower: Int, upper: Int, line: Int, column: Int)] = []
        func visit(_ inline: MarkdownNode) {
            switch inline.kind {
            case .text:
                let lower = text.utf8.count
                text += inline.literal
                spans.append((lower, text.utf8.count, inline.line + lineOffset, inline.column))
            case .code:
                // Code is not prose: one placeholder keeps words on either side apart.
                text += "\u{FFFC}"
            case .softBreak, .lineBreak:
                text += " "
            case .htmlInline, .image, .footnoteReference:
                break
            default:
                for child in inline.children { visit(child) }
            }
        }
        for child in node.children { visit(child) }
        let utf8 = text.utf8
        let fixed = spans.map { span in
            TextBlock.Piece(
                range: utf8.index(utf8.startIndex, offsetBy: span.lower)..<utf8.index(utf8.startIndex, offsetBy: span.upper),
                line: span.line, byteColumn: span.column)
        }
        guard text.hasContent else { return }
        blocks.append(TextBlock(
            context: context, section: currentKind, sectionIndex: currentIndex, text: text,
            line: node.line + lineOffset, tableRow: tableRow, pieces: fixed))
    }
}
