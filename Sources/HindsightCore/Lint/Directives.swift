import CommonMarkKit

/// Inline `<!-- hindsight-disable … -->` comments: where in a file which rules are turned off.
///
/// - `hindsight-disable-file ids` — the whole file, front matter included;
/// - `hindsight-disable ids` … `hindsight-enable ids` — from the comment's line to the enable (or the end);
/// - `hindsight-disable-line ids` — the comment's own line (inside a table row, for example);
/// - `hindsight-disable-next-line ids` — the line after the comment.
///
/// An id is a rule id (`blame/person`), a category (`blame` or `blame/*`), or nothing at all for every
/// rule. Words after the ids are a free-text reason. Comments inside code are not directives: they are
/// read from cmark-gfm's HTML nodes, not from the raw text.
struct Directives: Sendable {
    /// A directive as written, for reporting unknown rule ids.
    struct Mention: Sendable {
        var id: String
        var location: SourceLocation
        var length: Int
    }

    private var fileWide: [String] = []
    private var regions: [(pattern: String, from: Int, to: Int)] = []
    private var lines: [Int: [String]] = [:]
    /// Every id named by a directive, with where.
    private(set) var mentions: [Mention] = []

    init() {}

    init(tree: MarkdownNode, lineOffset: Int, path: String = "") {
        var open: [String: Int] = [:]
        var found: [(verb: String, ids: [String], line: Int, endLine: Int, column: Int)] = []
        func visit(_ node: MarkdownNode) {
            switch node.kind {
            case .htmlBlock, .htmlInline:
                found += Self.parse(node.literal, line: node.line + lineOffset, column: node.column)
            case .codeBlock, .code:
                break
            default:
                for child in node.children { visit(child) }
            }
        }
        visit(tree)
        for directive in found {
            let ids = directive.ids.isEmpty ? ["*"] : directive.ids
            for id in directive.ids {
                mentions.append(Mention(
                    id: id, location: SourceLocation(path: path, line: directive.line, column: directive.column),
                    length: id.count))
            }
            switch directive.verb {
            case "disable-file":
                fileWide += ids
            case "disable":
                for id in ids where open[id] == nil { open[id] = directive.line }
            case "enable":
                for id in ids {
                    if let from = open.removeValue(forKey: id) { regions.append((id, from, directive.line)) }
                }
                if directive.ids.isEmpty {
                    for (id, from) in open { regions.append((id, from, directive.line)) }
                    open = [:]
                }
            case "disable-line":
                lines[directive.line, default: []] += ids
            case "disable-next-line":
                lines[directive.endLine + 1, default: []] += ids
            default:
                break
            }
        }
        for (id, from) in open { regions.append((id, from, Int.max)) }
    }

    /// Whether a finding of `ruleID` at `line` is turned off.
    func suppresses(_ ruleID: String, line: Int?) -> Bool {
        if fileWide.contains(where: { Self.pattern($0, matches: ruleID) }) { return true }
        guard let line else { return false }
        if let ids = lines[line], ids.contains(where: { Self.pattern($0, matches: ruleID) }) { return true }
        return regions.contains { $0.from <= line && line <= $0.to && Self.pattern($0.pattern, matches: ruleID) }
    }

    /// `*` matches every rule, `blame` and `blame/*` a category, anything else one id.
    static func pattern(_ pattern: String, matches ruleID: String) -> Bool {
        if pattern == "*" || pattern == ruleID { return true }
        let category = pattern.hasSuffix("/*") ? String(pattern.dropLast(2)) : pattern
        return ruleID.hasPrefix(category + "/")
    }

    private static let verbs = ["disable-next-line", "disable-line", "disable-file", "disable", "enable"]

    /// Finds `<!-- hindsight-VERB ids… reason -->` comments in an HTML node's text.
    static func parse(_ html: String, line: Int, column: Int) -> [(verb: String, ids: [String], line: Int, endLine: Int, column: Int)] {
        var out: [(String, [String], Int, Int, Int)] = []
        var rest = html[...]
        while let open = rest.range(of: "<!--") {
            guard let close = rest[open.upperBound...].range(of: "-->") else { break }
            let body = rest[open.upperBound..<close.lowerBound]
            let before = html[..<open.lowerBound]
            let startLine = line + before.filter { $0 == "\n" }.count
            let endLine = startLine + body.filter { $0 == "\n" }.count
            let startColumn = before.contains("\n")
                ? before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
                : column + before.count
            rest = rest[close.upperBound...]

            let words = body.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," })
            guard let first = words.first, first.hasPrefix("hindsight-") else { continue }
            let verb = String(first.dropFirst("hindsight-".count))
            guard verbs.contains(verb) else { continue }
            // Ids come first; the first word that cannot be an id starts the reason.
            var ids: [String] = []
            for word in words.dropFirst() {
                let candidate = String(word)
                guard candidate.contains("/") || candidate == "*" || RuleCatalog.categories.contains(candidate) else { break }
                ids.append(candidate)
            }
            out.append((verb, ids, startLine, endLine, startColumn))
        }
        return out
    }
}
