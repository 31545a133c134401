import Foundation
internal import CCmarkGFM

/// A heading found while rendering, with the anchor given to it.
public struct RenderedHeading: Sendable, Equatable {
    public let level: Int
    public let text: String
    public let anchor: String
    public let line: Int
    /// Whether the heading is a block of the document itself (not inside a quote or list).
    public let topLevel: Bool
}

/// The result of one parse: the Swift tree and, when asked for, cmark's HTML.
public struct ParsedMarkdown: Sendable {
    public let document: MarkdownNode
    /// HTML rendered by cmark-gfm in safe mode, nil when not requested.
    public let html: String?
    /// Headings in document order, with their anchors (only when HTML was rendered).
    public let headings: [RenderedHeading]
}

/// Options for one parse.
public struct MarkdownOptions: Sendable {
    /// Render HTML as well as the tree.
    public var renderHTML: Bool = true
    /// Give every heading a GitHub-style anchor link and id.
    public var anchorHeadings: Bool = true
    /// Leave a level-1 heading that opens the document out of the HTML (the page shows it as its title).
    public var dropLeadingHeading1: Bool = false
    /// When set, the leading heading is dropped only if its text is this title (case and spaces aside).
    public var leadingHeading1Title: String?
    /// Anchors already used by the page around the body, so headings do not collide with them.
    public var reservedAnchors: [String] = []

    public init(
        renderHTML: Bool = true, anchorHeadings: Bool = true, dropLeadingHeading1: Bool = false,
        reservedAnchors: [String] = []
    ) {
        self.renderHTML = renderHTML
        self.anchorHeadings = anchorHeadings
        self.dropLeadingHeading1 = dropLeadingHeading1
        self.reservedAnchors = reservedAnchors
    }
}

/// GitHub-flavoured Markdown through cmark-gfm, as a pull-request preview renders it.
public enum Markdown {
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    /// Held while a parser finishes (see `parse`).
    private static let finishing = NSLock()

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Parses `text` once, copies the tree out and optionally renders HTML, then frees everything.
    ///
    /// Safe mode stays on: raw HTML is omitted and `javascript:`-style links are dropped by cmark.
    public static func parse(_ text: String, options: MarkdownOptions = MarkdownOptions()) -> ParsedMarkdown {
        _ = registered
        let cmarkOptions = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
            | CMARK_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(cmarkOptions) else {
            return ParsedMarkdown(document: MarkdownNode(kind: .document), html: nil, headings: [])
        }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var copy = text
        copy.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        // cmark-gfm fills a global table with the extensions' inline characters when a parse starts its inlines
        // (inside `finish`) and clears it when that parse ends: two finishing at once lose each other's autolinks
        // and strikethrough. Block parsing (`feed`) does not read the table and stays parallel.
        guard let root = finishing.withLock({ cmark_parser_finish(parser) }) else {
            return ParsedMarkdown(document: MarkdownNode(kind: .document), html: nil, headings: [])
        }
        defer { cmark_node_free(root) }

        let document = copyNode(root, depth: 0)
        guard options.renderHTML else {
            return ParsedMarkdown(document: document, html: nil, headings: [])
        }

        if options.dropLeadingHeading1, let first = cmark_node_first_child(root),
            cmark_node_get_type(first) == CMARK_NODE_HEADING, cmark_node_get_heading_level(first) == 1,
            options.leadingHeading1Title.map({ title in
                flattenedText(first).trimmingCharacters(in: .whitespaces).lowercased()
                    == title.trimmingCharacters(in: .whitespaces).lowercased()
            }) ?? true
        {
            cmark_node_unlink(first)
            cmark_node_free(first)
        }

        var headings: [RenderedHeading] = []
        if options.anchorHeadings {
            var slugger = AnchorSlugger(reserved: options.reservedAnchors)
            anchorHeadings(in: root, depth: 0, slugger: &slugger, headings: &headings)
        }

        guard let rendered = cmark_render_html(root, cmarkOptions, cmark_parser_get_syntax_extensions(parser)) else {
            return ParsedMarkdown(document: document, html: "", headings: headings)
        }
        defer { free(rendered) }
        return ParsedMarkdown(document: document, html: String(cString: rendered), headings: headings)
    }

    /// Adds `<a class="anchor" id=… href=#…>` as the first child of every heading, as GitHub does.
    private static func anchorHeadings(
        in node: OpaquePointer, depth: Int, slugger: inout AnchorSlugger, headings: inout [RenderedHeading]
    ) {
        guard depth < maximumDepth else { return }
        var child = cmark_node_first_child(node)
        while let current = child {
            child = cmark_node_next(current)
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_HEADING {
                let text = copyNode(current, depth: depth).plainText.trimmingCharacters(in: .whitespaces)
                let anchor = slugger.slug(for: text)
                headings.append(RenderedHeading(
                    level: Int(cmark_node_get_heading_level(current)), text: text, anchor: anchor,
                    line: Int(cmark_node_get_start_line(current)), topLevel: depth == 0))
                // The anchor is made only of letters, digits, '-' and '_', so it needs no escaping.
                if let link = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) {
                    cmark_node_set_on_enter(
                        link, "<a class=\"anchor\" id=\"\(anchor)\" href=\"#\(anchor)\" aria-hidden=\"true\" tabindex=\"-1\">")
                    cmark_node_set_on_exit(link, "</a>")
                    if cmark_node_prepend_child(current, link) == 0 { cmark_node_free(link) }
                }
            } else if type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM {
                anchorHeadings(in: current, depth: depth + 1, slugger: &slugger, headings: &headings)
            }
        }
    }

    /// Nesting deeper than this is copied as plain text: no real document nests this deep, and
    /// recursion per level would let a hostile file exhaust the stack.
    static let maximumDepth = 128

    /// Copies a cmark node and its descendants into Swift values.
    static func copyNode(_ node: OpaquePointer, depth: Int) -> MarkdownNode {
        if depth >= maximumDepth {
            return MarkdownNode(
                kind: .text, literal: flattenedText(node), line: Int(cmark_node_get_start_line(node)),
                column: Int(cmark_node_get_start_column(node)))
        }
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            children.append(copyNode(current, depth: depth + 1))
            child = cmark_node_next(current)
        }
        let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        return MarkdownNode(
            kind: kind(of: node), literal: literal, children: children,
            line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
    }

    /// All text below a node, gathered with cmark's own (iterative) iterator.
    static func flattenedText(_ node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if let literal = cmark_node_get_literal(current) { text += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH:
                text += " "
            default:
                break
            }
        }
        return text
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST:
            return .list(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)))
        case CMARK_NODE_ITEM:
            let isTask = cmark_node_get_type_string(node).map { String(cString: $0) } == "tasklist"
            return .item(task: isTask ? cmark_gfm_extensions_get_tasklist_item_checked(node) : nil)
        case CMARK_NODE_CODE_BLOCK:
            return .codeBlock(info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK:
            return .link(
                url: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                title: cmark_node_get_title(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_IMAGE:
            return .image(
                url: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                title: cmark_node_get_title(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_FOOTNOTE_REFERENCE: return .footnoteReference
        default:
            // Extension node types are registered at run time; cmark names them.
            let name = cmark_node_get_type_string(node).map { String(cString: $0) } ?? "unknown"
            switch name {
            case "table": return .table
            case "table_header", "table_row":
                return .tableRow(header: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
            case "table_cell": return .tableCell
            case "strikethrough": return .strikethrough
            default: return .other(name)
            }
        }
    }
}
