/// What compiling one template needs from the library: the index of every template name, so partial and parent
/// tags link by index, and block names interned library-wide, so a block finds its argument by an integer.
struct CompileContext {
    var templateIndices: [String: Int]
    var blockIDs: [String: Int] = [:]

    mutating func blockID(_ name: String) -> Int {
        if let id = blockIDs[name] { return id }
        let id = blockIDs.count
        blockIDs[name] = id
        return id
    }
}

extension Template {
    /// How deep sections, inverted sections, parents and blocks may nest in one template.
    static let maxNesting = 256

    /// Compiles `source`, reporting errors against `path`.
    init(compiling source: String, named name: String, path: String, context: inout CompileContext)
        throws(TemplateError)
    {
        var scanner = Scanner(bytes: Array(source.utf8), path: path)
        try scanner.scan()
        var parser = Parser(scanner: scanner, name: name)
        try parser.link()
        parser.markStandalone()
        self = parser.build(context: &context)
    }
}

/// Turns a scanned token list into a `Template`: matches sections with their closing tags, applies the
/// standalone-line and indentation rules, and lays the nodes out flat.
private struct Parser {
    let scanner: Scanner
    let bytes: [UInt8]
    let tokens: [Token]
    let name: String

    /// For an opening tag, the index of its closing tag, and the other way round; -1 for other tokens.
    var partner: [Int]
    /// The opening tag each token is directly inside, -1 at the top.
    var enclosing: [Int]
    /// Bytes removed from the start and the end of each text token by standalone tags beside it.
    var headTrim: [Int]
    var tailTrim: [Int]
    /// For partial, parent and block tags: the indentation they add, as a source range.
    var indentation: [Indentation]
    /// For argument blocks: the whitespace that starts the line after the opening tag, removed from every
    /// line of the block's content.
    var intrinsic: [Range<Int>]

    init(scanner: Scanner, name: String) {
        self.scanner = scanner
        self.bytes = scanner.bytes
        self.tokens = scanner.tokens
        self.name = name
        let count = scanner.tokens.count
        partner = Array(repeating: -1, count: count)
        enclosing = Array(repeating: -1, count: count)
        headTrim = Array(repeating: 0, count: count)
        tailTrim = Array(repeating: 0, count: count)
        indentation = Array(repeating: .none, count: count)
        intrinsic = Array(repeating: 0..<0, count: count)
    }

    // MARK: Structure

    /// Pairs every opening tag with its closing tag.
    mutating func link() throws(TemplateError) {
        var open: [Int] = []
        for index in tokens.indices {
            enclosing[index] = open.last ?? -1
            let token = tokens[index]
            switch token.kind {
            case .section, .inverted, .parent, .block:
                guard open.count < Template.maxNesting else {
                    throw scanner.error(
                        at: token.start,
                        "sections nest more than \(Template.maxNesting) deep: move the inner part into a partial")
                }
                open.append(index)
            case .close:
                guard let innermost = open.last else {
                    throw scanner.error(
                        at: token.start,
                        "\(scanner.spell("/" + token.name, at: index)) closes nothing: no section named '\(token.name)' is open; remove it or open it with \(scanner.spell("#" + token.name, at: index))"
                    )
                }
                let opening = tokens[innermost]
                guard opening.name == token.name else {
                    let (line, column) = Scanner.position(of: opening.start, in: bytes)
                    let isOpen = open.contains { tokens[$0].name == token.name }
                    let advice =
                        isOpen
                        ? "close the inner one first with \(scanner.spell("/" + opening.name, at: index))"
                        : "write \(scanner.spell("/" + opening.name, at: index))"
                    throw scanner.error(
                        at: token.start,
                        "\(scanner.spell("/" + token.name, at: index)) does not match the open \(Parser.describe(opening.kind)) \(scanner.spell(Parser.sigil(opening.kind) + opening.name, at: innermost)) at line \(line), column \(column): \(advice)"
                    )
                }
                partner[innermost] = index
                partner[index] = innermost
                open.removeLast()
            default:
                break
            }
        }
        if let innermost = open.last {
            let token = tokens[innermost]
            throw scanner.error(
                at: token.start,
                "unclosed \(Parser.describe(token.kind)) \(scanner.spell(Parser.sigil(token.kind) + token.name, at: innermost)): end it with \(scanner.spell("/" + token.name, at: innermost))"
            )
        }
    }

    static func describe(_ kind: Token.Kind) -> String {
        switch kind {
        case .inverted: return "inverted section"
        case .parent: return "parent"
        case .block: return "block"
        default: return "section"
        }
    }

    static func sigil(_ kind: Token.Kind) -> String {
        switch kind {
        case .inverted: return "^"
        case .parent: return "<"
        case .block: return "$"
        default: return "#"
        }
    }

    /// Whether token `index` is a block directly inside a parent tag pair: an argument, not a parameter.
    func isArgument(_ index: Int) -> Bool {
        tokens[index].kind == .block && enclosing[index] >= 0 && tokens[enclosing[index]].kind == .parent
    }

    // MARK: Standalone lines

    /// When only spaces and tabs precede tag `index` on its line, how many there are.
    func leadingWhitespace(_ index: Int) -> Int? {
        guard index > 0 else { return 0 }
        let previous = tokens[index - 1]
        guard previous.kind == .text else { return nil }
        var position = previous.end
        while position > previous.start {
            let byte = bytes[position - 1]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                position -= 1
            } else if byte == UInt8(ascii: "\n") {
                return previous.end - position
            } else {
                return nil
            }
        }
        return index - 1 == 0 ? previous.end - previous.start : nil
    }

    /// When only spaces and tabs follow tag `index` up to the end of its line, how many bytes to remove after
    /// it: those and the line break (`\n` or `\r\n`), if any.
    func trailingWhitespace(_ index: Int) -> Int? {
        guard index + 1 < tokens.count else { return 0 }
        let next = tokens[index + 1]
        guard next.kind == .text else { return nil }
        var position = next.start
        while position < next.end {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                position += 1
            } else if byte == UInt8(ascii: "\n") {
                return position + 1 - next.start
            } else if byte == UInt8(ascii: "\r"), position + 1 < next.end, bytes[position + 1] == UInt8(ascii: "\n") {
                return position + 2 - next.start
            } else {
                return nil
            }
        }
        return index + 1 == tokens.count - 1 ? next.end - next.start : nil
    }

    /// The spaces and tabs that start the line after tag `index`, whose own line ends `trailing` bytes on.
    func nextLineIndentation(_ index: Int, trailing: Int) -> Range<Int> {
        guard index + 1 < tokens.count, tokens[index + 1].kind == .text else { return 0..<0 }
        let next = tokens[index + 1]
        let start = next.start + trailing
        var position = start
        while position < next.end, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
        return start..<position
    }

    /// Removes the whitespace and line break around standalone tags and records the indentation partials,
    /// parents and blocks add. Every decision reads the source as written, so the order of tags does not matter.
    mutating func markStandalone() {
        for index in tokens.indices {
            let token = tokens[index]
            switch token.kind {
            case .text, .variable, .unescaped:
                continue

            case .comment, .delimiters, .section, .inverted, .partial:
                guard let leading = leadingWhitespace(index), let trailing = trailingWhitespace(index) else { continue }
                trim(before: index, leading, after: trailing)
                if token.kind == .partial {
                    indentation[index] = Indentation(start: token.start - leading, end: token.start, mode: .lineStart)
                }

            case .block where isArgument(index):
                // What precedes an argument's opening tag is parent content, which renders nothing, so only
                // the end of its line decides.
                guard let trailing = trailingWhitespace(index) else { continue }
                trim(before: index, 0, after: trailing)
                intrinsic[index] = nextLineIndentation(index, trailing: trailing)

            case .block:
                let leading = leadingWhitespace(index)
                let trailing = trailingWhitespace(index)
                let pairStandalone = leading != nil && trailingWhitespace(partner[index]) != nil
                if let leading, let trailing {
                    trim(before: index, leading, after: trailing)
                    if pairStandalone {
                        let range = nextLineIndentation(index, trailing: trailing)
                        indentation[index] = Indentation(start: range.lowerBound, end: range.upperBound, mode: .lineStart)
                    }
                } else if let leading, pairStandalone {
                    // A one-line pair: its leading whitespace stays in the text and indents the later lines of
                    // an argument that replaces it.
                    indentation[index] = Indentation(start: token.start - leading, end: token.start, mode: .inline)
                }

            case .parent:
                guard let leading = leadingWhitespace(index) else { continue }
                let trailing = trailingWhitespace(index)
                guard trailing != nil || trailingWhitespace(partner[index]) != nil else { continue }
                trim(before: index, leading, after: trailing ?? 0)
                indentation[index] = Indentation(start: token.start - leading, end: token.start, mode: .lineStart)

            case .close:
                let opening = partner[index]
                switch tokens[opening].kind {
                case .block where isArgument(opening):
                    // The end of an argument's content: a last line of only whitespace belongs to the tag. What
                    // follows is parent content.
                    if let leading = leadingWhitespace(index) { trim(before: index, leading, after: 0) }
                case .parent:
                    guard let trailing = trailingWhitespace(index) else { continue }
                    if leadingWhitespace(opening) != nil || leadingWhitespace(index) != nil {
                        trim(before: index, 0, after: trailing)
                    }
                default:
                    guard let leading = leadingWhitespace(index), let trailing = trailingWhitespace(index) else {
                        continue
                    }
                    trim(before: index, leading, after: trailing)
                }
            }
        }
    }

    private mutating func trim(before index: Int, _ leading: Int, after trailing: Int) {
        if index > 0, tokens[index - 1].kind == .text { tailTrim[index - 1] = leading }
        if index + 1 < tokens.count, tokens[index + 1].kind == .text { headTrim[index + 1] = trailing }
    }

    // MARK: Nodes

    /// Lays the nodes out. Content of a parent tag pair other than its argument blocks renders nothing, so it is
    /// left out; every line of an argument block loses the block's intrinsic indentation.
    func build(context: inout CompileContext) -> Template {
        var builder = Builder(bytes: bytes, template: Template(name: name))
        var open: [(token: Int, node: Int, dedents: Int, scope: Int)] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if let innermost = open.last, tokens[innermost.token].kind == .parent, token.kind != .block,
                partner[index] != innermost.token
            {
                switch token.kind {
                case .section, .inverted, .parent: index = partner[index] + 1
                default: index += 1
                }
                continue
            }
            switch token.kind {
            case .text:
                let start = token.start + headTrim[index]
                let end = token.end - tailTrim[index]
                if start < end { builder.appendText(start, end) }

            case .variable, .unescaped:
                let name = builder.intern(token.name)
                builder.mention(name)
                builder.append(.variable(name: name, escaped: token.kind == .variable))

            case .section, .inverted:
                let name = builder.intern(token.name)
                builder.mention(name)
                let scope = builder.scope
                if token.kind == .section { builder.enter(name) }
                open.append((index, builder.template.nodes.count, builder.dedents.count, scope))
                builder.append(token.kind == .section ? .section(name: name, end: 0) : .inverted(name: name, end: 0))

            case .partial:
                let template = context.templateIndices[token.name] ?? -1
                if template >= 0 { builder.template.includes.append(template) }
                builder.append(.partial(template: template, indentation: builder.indentation(indentation[index])))

            case .parent:
                let template = context.templateIndices[token.name] ?? -1
                if template >= 0 { builder.template.includes.append(template) }
                let indent = builder.indentation(indentation[index])
                open.append((index, builder.template.nodes.count, builder.dedents.count, builder.scope))
                builder.append(.parent(template: template, end: 0, indentation: indent))

            case .block:
                let indent = builder.indentation(indentation[index])
                open.append((index, builder.template.nodes.count, builder.dedents.count, builder.scope))
                builder.append(.block(id: context.blockID(token.name), end: 0, indentation: indent))
                if intrinsic[index].isEmpty == false { builder.pushDedent(intrinsic[index]) }

            case .close:
                guard let innermost = open.popLast() else { break }
                builder.close(node: innermost.node)
                builder.dedents.removeLast(builder.dedents.count - innermost.dedents)
                builder.scope = innermost.scope

            case .comment, .delimiters:
                break
            }
            index += 1
        }
        return builder.template
    }
}

/// Appends nodes and bytes to a template under construction.
private struct Builder {
    let bytes: [UInt8]
    var template: Template
    /// The intrinsic indentation of each enclosing argument block, outermost first, as each appears once the
    /// blocks around it have removed theirs.
    var dedents: [[UInt8]] = []
    /// The innermost enclosing section, for mentions.
    var scope = -1
    private var nameIndices: [String: Int] = [:]
    /// Whether the last node is text that a following run of text may extend.
    private var extendsText = false

    init(bytes: [UInt8], template: Template) {
        self.bytes = bytes
        self.template = template
    }

    mutating func intern(_ name: String) -> Int {
        if let index = nameIndices[name] { return index }
        let index = template.names.count
        template.names.append(Name(segments: name == "." ? [] : name.split(separator: ".").map(String.init)))
        nameIndices[name] = index
        return index
    }

    mutating func mention(_ name: Int) {
        template.mentions.append(Mention(name: name, scope: scope))
    }

    mutating func enter(_ name: Int) {
        template.scopes.append(Scope(name: name, parent: scope))
        scope = template.scopes.count - 1
    }

    mutating func append(_ node: Node) {
        template.nodes.append(node)
        extendsText = false
    }

    /// Sets the end of the section, parent or block node at `node` to the current end of the node array.
    mutating func close(node: Int) {
        let end = template.nodes.count
        switch template.nodes[node] {
        case .section(let name, _): template.nodes[node] = .section(name: name, end: end)
        case .inverted(let name, _): template.nodes[node] = .inverted(name: name, end: end)
        case .parent(let target, _, let indentation):
            template.nodes[node] = .parent(template: target, end: end, indentation: indentation)
        case .block(let id, _, let indentation):
            template.nodes[node] = .block(id: id, end: end, indentation: indentation)
        case .text, .variable, .partial:
            break
        }
        extendsText = false
    }

    /// Where a line starting at `position` begins once the enclosing argument blocks' indentation is removed.
    func dedented(_ position: Int, _ end: Int) -> Int {
        var position = position
        for dedent in dedents where end - position >= dedent.count {
            if bytes[position..<(position + dedent.count)].elementsEqual(dedent) { position += dedent.count }
        }
        return position
    }

    mutating func pushDedent(_ range: Range<Int>) {
        let start = dedented(range.lowerBound, range.upperBound)
        if start < range.upperBound { dedents.append(Array(bytes[start..<range.upperBound])) }
    }

    /// Copies indentation whitespace into the template's bytes, less the enclosing blocks' indentation.
    mutating func indentation(_ indentation: Indentation) -> Indentation {
        guard indentation.mode != .none else { return .none }
        let start = dedented(indentation.start, indentation.end)
        let offset = template.bytes.count
        template.bytes.append(contentsOf: bytes[start..<indentation.end])
        return Indentation(start: offset, end: template.bytes.count, mode: indentation.mode)
    }

    mutating func appendText(_ start: Int, _ end: Int) {
        let offset = template.bytes.count
        if dedents.isEmpty {
            template.bytes.append(contentsOf: bytes[start..<end])
        } else {
            var position = start
            var atLineStart = start == 0 || bytes[start - 1] == UInt8(ascii: "\n")
            while position < end {
                if atLineStart { position = dedented(position, end) }
                var lineEnd = position
                while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                atLineStart = lineEnd < end
                if atLineStart { lineEnd += 1 }
                template.bytes.append(contentsOf: bytes[position..<lineEnd])
                position = lineEnd
            }
        }
        guard template.bytes.count > offset else { return }
        if extendsText, case .text(let textStart, _) = template.nodes.last {
            template.nodes[template.nodes.count - 1] = .text(start: textStart, end: template.bytes.count)
        } else {
            template.nodes.append(.text(start: offset, end: template.bytes.count))
        }
        extendsText = true
    }
}
