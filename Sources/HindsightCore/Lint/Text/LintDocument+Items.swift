/// Finding the text of the structures the parser extracted (action items, factors), for exact positions.
extension LintDocument {
    /// Column headers of action-item tables that hold the action itself.
    static let actionColumns: Set<String> = [
        "action", "action item", "item", "task", "description", "what", "follow-up", "follow up", "title", "measure",
    ]

    /// Column headers that hold something other than the action (owner, status…): not scanned for wording.
    static let actionMetaColumns: Set<String> = [
        "owner", "owners", "team", "owner team", "owning team", "assignee", "who", "responsible", "priority", "prio", "pri",
        "p", "status", "state", "done", "progress", "ticket", "issue", "bug", "link", "jira", "tracking", "tracker", "due",
        "due date", "target", "target date", "deadline", "by",
    ]

    /// The text block of an action item: its list item, or its cell in the action column.
    public func block(for item: ActionItem) -> TextBlock? {
        let candidates = blocks(in: .actionItems).filter { $0.line == item.location.line }
        if let cell = candidates.first(where: { $0.isCell(inColumn: Self.actionColumns) }) { return cell }
        if let cell = candidates.first(where: {
            if case .tableCell(_, false) = $0.context { return $0.text.trimmedSpaces == item.text }
            return false
        }) {
            return cell
        }
        return candidates.first { $0.context == .listItem } ?? candidates.first {
            if case .tableCell = $0.context { return false }
            return true
        }
    }

    /// The text block of a contributing factor: its list item, or its cell in the factor column.
    public func block(for factor: ContributingFactor) -> TextBlock? {
        let candidates = blocks(in: .factors).filter { $0.line == factor.location.line }
        return candidates.first { $0.text.trimmedSpaces == factor.text }
            ?? candidates.first { $0.text.contains(factor.text) } ?? candidates.first
    }

    /// The location of an action item: the start of its text when found, else where the parser put it.
    public func location(of item: ActionItem) -> SourceLocation {
        block(for: item).map { location(of: $0) } ?? item.location
    }

    /// Where `text` is first written on a line, when it is.
    public func locate(_ text: String, onLine number: Int) -> (SourceLocation, Int)? {
        let content = line(number)
        guard text.isEmpty == false, let range = content.range(of: text) else { return nil }
        let column = content.unicodeScalars.distance(from: content.startIndex, to: range.lowerBound) + 1
        return (SourceLocation(path: path, line: number, column: column), text.unicodeScalars.count)
    }
}
