import CommonMarkKit
import Foundation

/// Reads action items from a table (Action, Owner, Priority, Status in any order), a task list or a plain list.
struct ActionItemExtractor {
    let place: (MarkdownNode) -> SourceLocation

    /// Items of a section's blocks. Sub-headings and bold labels group the lists under them, and say their
    /// status when they name one (`### Immediate actions (completed)`, `**In progress:**`); a sub-heading with
    /// no list or table under it is an item itself (`### Add alerting on queue depth`).
    func extract(_ blocks: [MarkdownNode]) -> [ActionItem] {
        var items: [ActionItem] = []
        var groupStatus: String?
        // A section without lists or tables writes one heading per item.
        let headingsAreItems = blocks.contains { block in
            if case .list = block.kind { return true }
            return block.kind == .table
        } == false
        // An unordered list right after another list, under the same heading, holds the details of that list's
        // last item: "1. **Migrate the table**", then "- Created a new table …"; or "- Try a staging
        // environment", then "* please use separate DB credentials" (a change of bullet is all that starts a new
        // list there).
        var afterList = false
        for block in blocks {
            switch block.kind {
            case .table:
                items += fromTable(block)
                afterList = false
            case .list(let ordered, _):
                // Details are one list: the list after them holds items again.
                if ordered == false, afterList {
                    afterList = false
                    continue
                }
                items += fromList(block, groupStatus: groupStatus)
                afterList = true
            case .heading:
                let text = SectionLayout.text(of: block)
                groupStatus = Self.status(ofGroup: text)
                afterList = false
                if headingsAreItems, (block.headingLevel ?? 0) >= 3, text.isEmpty == false {
                    var parsed = Self.parseLine(text)
                    if let groupStatus, parsed.status == "open" { parsed.status = groupStatus }
                    items.append(ActionItem(
                        text: parsed.text, owner: parsed.owner, priority: parsed.priority, status: parsed.status,
                        ticket: parsed.ticket, due: nil, location: place(block)))
                }
            case .paragraph:
                afterList = false
                if block.children.count == 1, block.children[0].kind == .strong {
                    groupStatus = Self.status(ofGroup: block.plainText)
                } else if let first = block.children.first, first.kind == .strong,
                    ["action item:", "action:", "action item", "action"].contains(first.plainText.lowercased().trimmedWhitespace())
                {
                    // "**Action item:** Start incidents earlier. … Owner: @team"
                    let rest = MarkdownNode(kind: .paragraph, children: Array(block.children.dropFirst())).plainText
                    var parsed = Self.parseLine(rest.trimmedWhitespace(and: ":"))
                    if let groupStatus, parsed.status == "open" { parsed.status = groupStatus }
                    if parsed.text.isEmpty == false {
                        items.append(ActionItem(
                            text: parsed.text, owner: parsed.owner, priority: parsed.priority, status: parsed.status,
                            ticket: parsed.ticket, due: nil, location: place(block)))
                    }
                }
            default: break
            }
        }
        return items
    }

    /// Whether an item is a short reply to the one above it rather than an action ("we sort of already have
    /// that"): a few words, opening with a pronoun, saying it exists already.
    static func isReply(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," })
        guard words.count <= 8, let first = words.first else { return false }
        return ["we", "i", "it", "that", "this"].contains(first) && words.contains("already")
    }

    /// The status a group's heading or label gives its items: done for "Immediate actions (completed)",
    /// in progress for "In progress (next 2 weeks)", none for a heading that names no status.
    static func status(ofGroup text: String) -> String? {
        let lower = text.lowercased()
        if ["(completed)", "(done)", "completed actions", "done:", "(complete)", "already done", "completed:"]
            .contains(where: { lower.containsUTF8($0) }) || lower.hasPrefix("completed") || lower.hasPrefix("done")
        {
            return "done"
        }
        if lower.hasPrefix("in progress") || lower.containsUTF8("(in progress)") || lower.containsUTF8("in-progress") {
            return "in-progress"
        }
        return nil
    }

    private func fromTable(_ table: MarkdownNode) -> [ActionItem] {
        let reader = TableReader(table)
        let owner = reader.column(["owner", "owners", "team", "owner team", "owning team", "assignee", "who", "responsible"])
        let priority = reader.column(["priority", "prio", "pri", "p"])
        let status = reader.column(["status", "state", "done", "progress"])
        let ticket = reader.column(["ticket", "issue", "bug", "link", "jira", "tracking", "tracker"])
        let due = reader.column(["due", "due date", "target", "target date", "deadline", "by"])
        let taken = Set([owner, priority, status, ticket, due].compactMap { $0 })
        let action =
            reader.column(["action", "action item", "item", "task", "description", "what", "follow-up", "follow up", "title", "measure"])
            ?? reader.headers.indices.first { taken.contains($0) == false } ?? 0
        var out: [ActionItem] = []
        for (row, line) in zip(reader.rows, reader.rowLines) {
            func cell(_ index: Int?) -> String {
                guard let index, index < row.count else { return "" }
                return row[index].text
            }
            let text = cell(action)
            if text.isEmpty { continue }
            var location = place(table)
            location.line += line - table.line
            var statusText = cell(status)
            if ["x", "[x]", "✅", "✔", "✔️", "yes", "y", "☑"].contains(statusText.lowercased()) { statusText = "done" }
            if ["[ ]", "no", "n", "☐"].contains(statusText.lowercased()) { statusText = "open" }
            out.append(ActionItem(
                text: text, owner: nonEmpty(cell(owner)), priority: Normalise.priority(cell(priority)),
                status: Normalise.actionStatus(statusText), ticket: nonEmpty(cell(ticket)), due: nonEmpty(cell(due)),
                location: location))
        }
        return out
    }

    private func fromList(_ list: MarkdownNode, groupStatus: String?) -> [ActionItem] {
        var out: [ActionItem] = []
        for (index, item) in list.children.enumerated() {
            guard case .item(let task) = item.kind else { continue }
            guard let paragraph = item.children.first(where: { $0.kind == .paragraph }) else { continue }
            // " * Testing" over nested items: a label of a few words groups the items under it.
            let nested = item.children.filter { if case .list = $0.kind { return true } else { return false } }
            let label = paragraph.plainText.trimmedWhitespace()
            if nested.isEmpty == false, task == nil, label.split(separator: " ").count <= 4, label.hasSuffix(".") == false {
                let status = Self.status(ofGroup: label) ?? groupStatus
                for list in nested { out += fromList(list, groupStatus: status) }
                continue
            }
            let struck = paragraph.children.count == 1 && paragraph.children[0].kind == .strikethrough
            var text = paragraph.plainText
            // "** a note" on the next line is a wiki-style sub-note of the item, not part of it.
            if text.containsUTF8(" ** "), let note = text.range(of: " ** ") { text = String(text[..<note.lowerBound]) }
            if Self.isPlaceholder(text) || index > 0 && Self.isReply(text) { continue }
            var parsed = Self.parseLine(text)
            if let task { parsed.status = task ? "done" : (parsed.status == "done" ? "done" : parsed.status) }
            if struck { parsed.status = "done" }
            if task == nil, parsed.status == "open", let groupStatus { parsed.status = groupStatus }
            // "- [ ]" saved without its trailing space is a plain item reading "[ ]": an empty box, not an action.
            if parsed.text.isEmpty || ["[ ]", "[]", "[x]", "[X]"].contains(parsed.text) { continue }
            out.append(ActionItem(
                text: parsed.text, owner: parsed.owner, priority: parsed.priority, status: parsed.status,
                ticket: parsed.ticket, due: nil, location: place(item)))
        }
        return out
    }

    struct Line: Equatable {
        var text: String
        var owner: String?
        var priority: String?
        var status: String
        var ticket: String?
    }

    /// Leading marks of status, longest first where one starts another.
    private static let statusMarks: [(String, String)] = [
        ("✅", "done"), ("✔️", "done"), ("✔", "done"), ("☑", "done"), ("❌", "open"), ("☐", "open"), ("[done]", "done"),
        ("[x]", "done"), ("[*]", "done"), ("[ ]", "open"), ("done:", "done"),
    ]

    /// Whether an item is a template's placeholder left in: `{{ summary }}`, one lowercase word in braces.
    static func isPlaceholder(_ raw: String) -> Bool {
        guard raw.containsUTF8("{{"), let open = raw.range(of: "{{"), let close = raw.range(of: "}}"), open.upperBound <= close.lowerBound else {
            return false
        }
        let inner = raw[open.upperBound..<close.lowerBound].trimmedWhitespace()
        return inner.isEmpty || inner.allSatisfy { $0.isLowercase || $0 == "_" }
    }

    /// `[P1] Add alerting — SRE Team (OPS-12) (done)` → its parts.
    static func parseLine(_ raw: String) -> Line {
        // Template braces around the words ("{{ Add alerting }}") are not part of them.
        var text = raw.containsUTF8("{{") || raw.containsUTF8("}}")
            ? raw.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "").trimmedWhitespace()
            : raw.trimmedWhitespace()
        var line = Line(text: "", owner: nil, priority: nil, status: "open", ticket: nil)

        // A leading mark of status: ✅ or ✔ done, ❌ or ☐ open, `[done]`, `[x]`, `[*]` (a box written by hand).
        // Every mark starts with a bracket, a "d" or a byte above ASCII: most items are turned away by their first byte.
        if let first = text.utf8.first, first >= 0x80 || first == UInt8(ascii: "[") || first | 0x20 == UInt8(ascii: "d") {
            let opening = text.prefix(8).lowercased()
            for (mark, status) in Self.statusMarks where opening.hasPrefix(mark) {
                text = String(text.dropFirst(mark.count)).trimmedWhitespace()
                line.status = status
                break
            }
        }
        // Leading priority: [P1], (P1), P1:, P1 -, P1 —.
        if let match = leadingPriority(text) {
            line.priority = match.priority
            text = String(text[match.end...]).trimmedWhitespace()
        }
        // Parenthesised or bracketed notes anywhere: (owner: X), (P1), (done), [OPS-12].
        while let open = text.lastIndex(where: { $0 == "(" || $0 == "[" }),
            let close = text[open...].firstIndex(where: { $0 == ")" || $0 == "]" }),
            text.index(after: close) == text.endIndex || text[text.index(after: close)...].trimmedWhitespace().isEmpty
        {
            let inner = text[text.index(after: open)..<close].trimmedWhitespace()
            if let value = labelled(inner, ["owner", "owners", "team", "assignee"]) {
                line.owner = value
            } else if let value = labelled(inner, ["priority", "prio"]) {
                line.priority = Normalise.priority(value)
            } else if let value = labelled(inner, ["status", "state"]) {
                line.status = Normalise.actionStatus(value)
            } else if let value = labelled(inner, ["ticket", "issue", "bug"]) {
                line.ticket = value
            } else if let p = Normalise.priority(inner), p.count == 2, p.first == "P" {
                line.priority = p
            } else if ["done", "in-progress"].contains(Normalise.actionStatus(inner.replacingOccurrences(of: "already ", with: ""))),
                inner.count < 20
            {
                line.status = Normalise.actionStatus(inner.replacingOccurrences(of: "already ", with: ""))
            } else if isTicket(inner) {
                line.ticket = inner
            } else {
                break
            }
            text = String(text[..<open]).trimmedWhitespace()
        }
        // "Owner: X" written inline after a separator.
        for marker in [" — Owner:", " - Owner:", " – Owner:", " Owner:", " owner:"] {
            if let range = text.lastUTF8Range(of: marker) {
                line.owner = String(text[range.upperBound...]).trimmedWhitespace(and: ".")
                text = String(text[..<range.lowerBound]).trimmedWhitespace()
                break
            }
        }
        // A trailing " — Team Name" (em or en dash) names the owner when short.
        if line.owner == nil {
            for dash in [" — ", " – "] {
                if let range = text.lastUTF8Range(of: dash) {
                    let candidate = text[range.upperBound...].trimmedWhitespace(and: ".")
                    if candidate.isEmpty == false, candidate.split(separator: " ").count <= 5 {
                        line.owner = candidate
                        text = String(text[..<range.lowerBound]).trimmedWhitespace()
                    }
                    break
                }
            }
        }
        line.text = text.trimmedWhitespace(and: "—–-:")
        return line
    }

    private static func leadingPriority(_ text: String) -> (priority: String, end: String.Index)? {
        let scalars = Array(text)
        var i = 0
        var bracket: Character?
        if let first = scalars.first, first == "[" || first == "(" { bracket = first; i = 1 }
        guard i + 1 < scalars.count, scalars[i] == "P" || scalars[i] == "p", scalars[i + 1].isNumber else { return nil }
        let priority = "P" + String(scalars[i + 1])
        var j = i + 2
        if let bracket {
            guard j < scalars.count, scalars[j] == (bracket == "[" ? "]" : ")") else { return nil }
            j += 1
        } else {
            guard j < scalars.count, [":", " ", "-", "—", "–"].contains(scalars[j]) else { return nil }
        }
        while j < scalars.count, [":", " ", "-", "—", "–"].contains(scalars[j]) { j += 1 }
        return (priority, text.index(text.startIndex, offsetBy: j))
    }

    private static func labelled(_ text: String, _ labels: [String]) -> String? {
        let lower = text.lowercased()
        for label in labels where lower.hasPrefix(label + ":") || lower.hasPrefix(label + " ") {
            let value = text.dropFirst(label.count).trimmedWhitespace(and: ":")
            return value.isEmpty ? nil : value
        }
        return nil
    }

    private static func isTicket(_ text: String) -> Bool {
        // PROJ-123, #123, or a link.
        if text.hasPrefix("http://") || text.hasPrefix("https://") { return true }
        if text.hasPrefix("#"), text.dropFirst().allSatisfy(\.isNumber), text.count > 1 { return true }
        let parts = text.split(separator: "-")
        return parts.count == 2 && parts[0].allSatisfy { $0.isUppercase || $0.isNumber } && parts[0].first?.isLetter == true
            && parts[1].allSatisfy(\.isNumber) && parts[1].isEmpty == false
    }

    private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
