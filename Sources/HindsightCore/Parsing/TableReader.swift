import CommonMarkKit

/// A GFM table read into header names and rows of cells (plain text and the cell nodes).
struct TableReader {
    struct Cell {
        var text: String
        var node: MarkdownNode
    }

    var headers: [String]
    var rows: [[Cell]]
    var rowLines: [Int]

    init(_ table: MarkdownNode) {
        headers = []
        rows = []
        rowLines = []
        for row in table.children {
            guard case .tableRow(let isHeader) = row.kind else { continue }
            let cells = row.children.map { Cell(text: $0.plainText.trimmedWhitespace(), node: $0) }
            if isHeader {
                headers = cells.map { SectionCatalog.normalise($0.text) }
            } else {
                rows.append(cells)
                rowLines.append(row.line)
            }
        }
    }

    /// The column whose header is the earliest of `names` (exact), then one starting with them.
    func column(_ names: [String]) -> Int? {
        for name in names { if let exact = headers.firstIndex(of: name) { return exact } }
        return headers.firstIndex { header in names.contains { header.hasPrefix($0 + " ") || header.hasPrefix($0 + "(") } }
    }
}
