import CommonMarkKit

/// Reads contributing factors from a table (`Factor | Type | Contribution`) or a list (type first).
struct FactorExtractor {
    let knownTypes: [String]
    let place: (MarkdownNode) -> SourceLocation

    func extract(_ blocks: [MarkdownNode]) -> [ContributingFactor] {
        var factors: [ContributingFactor] = []
        var headingType: String?
        for block in blocks {
            switch block.kind {
            case .heading:
                // "### Process" groups the factors below it.
                let text = block.plainText.trimmedWhitespace()
                headingType = text.isEmpty ? nil : Normalise.factorType(text, known: knownTypes)
            case .table:
                factors += fromTable(block, defaultType: headingType)
            case .list:
                factors += fromList(block, defaultType: headingType)
            default:
                break
            }
        }
        return factors
    }

    private func fromTable(_ table: MarkdownNode, defaultType: String?) -> [ContributingFactor] {
        let reader = TableReader(table)
        let typeColumn = reader.column(["type", "category", "kind", "class", "classification", "factor type"])
        let contributionColumn = reader.column([
            "contribution", "how it contributed", "impact", "details", "detail", "explanation", "why", "effect", "notes",
            "description",
        ])
        let factorColumn =
            reader.column(["factor", "contributing factor", "cause", "root cause", "what", "issue", "finding"])
            ?? reader.headers.indices.first { $0 != typeColumn && $0 != contributionColumn } ?? 0
        var out: [ContributingFactor] = []
        for (row, line) in zip(reader.rows, reader.rowLines) {
            func cell(_ index: Int?) -> String {
                guard let index, index < row.count else { return "" }
                return row[index].text
            }
            let text = cell(factorColumn)
            if text.isEmpty { continue }
            let type = typeColumn.map { Normalise.factorType(cell($0), known: knownTypes) } ?? defaultType ?? "Unclassified"
            var location = place(table)
            location.line += line - table.line
            out.append(ContributingFactor(
                text: text, type: type, contribution: contributionColumn == factorColumn ? "" : cell(contributionColumn),
                location: location))
        }
        return out
    }

    private func fromList(_ list: MarkdownNode, defaultType: String?) -> [ContributingFactor] {
        var out: [ContributingFactor] = []
        for item in list.children {
            let paragraphs = item.children.filter { $0.kind == .paragraph }
            let nested = item.children.filter { if case .list = $0.kind { return true } else { return false } }
            guard let first = paragraphs.first else {
                for sub in nested { out += fromList(sub, defaultType: defaultType) }
                continue
            }
            let (type, text) = splitType(first)
            // "- **Process**" with sub-bullets: the bullets are factors of that type.
            if text.isEmpty, let type, nested.isEmpty == false {
                for sub in nested { out += fromList(sub, defaultType: type) }
                continue
            }
            let contribution = paragraphs.dropFirst().map(\.plainText).joined(separator: " ")
            out.append(ContributingFactor(
                text: text.isEmpty ? first.plainText : text,
                type: type ?? defaultType ?? "Unclassified",
                contribution: contribution, location: place(item)))
        }
        return out
    }

    /// `**Type**: text`, `*Type* — text`, `Type: text` (a known type) → (type, text).
    private func splitType(_ paragraph: MarkdownNode) -> (String?, String) {
        let inlines = paragraph.children
        if let lead = inlines.first, lead.kind == .strong || lead.kind == .emphasis {
            let label = lead.plainText.trimmedWhitespace(and: ":")
            if label.isEmpty == false, label.split(separator: " ").count <= 3 {
                let rest = MarkdownNode(kind: .paragraph, children: Array(inlines.dropFirst())).plainText
                return (Normalise.factorType(label, known: knownTypes), Self.trimSeparators(rest))
            }
        }
        let text = paragraph.plainText.trimmedWhitespace()
        for separator in [":", " — ", " – ", " - "] {
            guard let range = text.firstRange(of: separator) else { continue }
            let label = String(text[..<range.lowerBound]).trimmedWhitespace()
            if Normalise.isKnownFactorType(label, known: knownTypes) {
                return (Normalise.factorType(label, known: knownTypes), Self.trimSeparators(String(text[range.upperBound...])))
            }
        }
        return (nil, text)
    }

    static func trimSeparators(_ text: String) -> String {
        text.trimmedWhitespace(and: ":—–-|")
    }
}
