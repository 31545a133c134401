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
            let cells = row.children.map { Cell(text: $0.plainText.trimmingCharacters(in: .whitespaces), node: $0) }
            if isHeader {
                headers = cells.map { SectionCatalog.normalise($0.text) }
            } else {
                rows.append(cells)
                rowLines.append(row.line)
            }
        }
    }

    /// The index of the first column whose header is one of `names` (exact), then one starting with them.
    func column(_ names: [String]) -> Int? {
        if let exact = headers.firstIndex(where: { names.contains($0) }) { return exact }
        return headers.firstIndex { header in names.contains { header.hasPrefix($0 + " ") || header.hasPrefix($0 + "(") } }
    }
}
