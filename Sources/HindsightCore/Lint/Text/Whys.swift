import CommonMarkKit

/// The whys of an analysis section: each question asked, with the text blocks that hold it and its answer.
///
/// A `## Five Whys` section counts the items of its list (or the rows of its table). Any other analysis
/// section counts the paragraphs and items that ask "why"; an analysis written as prose, with no why in
/// it, has no whys to count and is left alone.
struct Whys {
    /// The section the whys are in.
    let section: DocumentSection
    /// One entry per why, each the text blocks from its question to the next question.
    let steps: [[TextBlock]]
    /// Whether the section's heading is a whys heading ("Five Whys", "5 Whys", "Why did it happen").
    let isWhysSection: Bool

    /// The whys of the document's first analysis section, or nil when it has none to count.
    init?(_ document: LintDocument) {
        guard let section = document.section(.analysis) else { return nil }
        self.section = section
        isWhysSection = Word.split(section.heading).contains { $0.lower == "why" || $0.lower == "whys" }
        let blocks = Array(document.blocks(in: section).dropFirst())

        // A list or table in a whys section: one step per top-level item or body row.
        var starts: [Int] = []
        if isWhysSection {
            if let list = section.nodes.first(where: { if case .list = $0.kind { return true } else { return false } }) {
                starts = list.children.map { section.fileLine(of: $0) }
            } else if let table = section.nodes.first(where: { $0.kind == .table }) {
                starts = table.children.dropFirst().map { section.fileLine(of: $0) }
            }
        }
        var steps: [[TextBlock]] = []
        if starts.isEmpty == false {
            for (index, start) in starts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : Int.max
                steps.append(blocks.filter { $0.line >= start && $0.line < end })
            }
        } else {
            // Otherwise every block that asks why starts a step; the blocks after it are its answer.
            for block in blocks {
                if Self.asksWhy(block) {
                    steps.append([block])
                } else if steps.isEmpty == false {
                    steps[steps.count - 1].append(block)
                }
            }
        }
        if steps.isEmpty && isWhysSection == false { return nil }
        self.steps = steps
    }

    /// Whether a block asks why: "Why did…?", "1. **Why** was…", "Why? Because…".
    static func asksWhy(_ block: TextBlock) -> Bool {
        let firstWords = block.words.prefix(3)
        return firstWords.contains { $0.lower == "why" }
    }

    /// The answer of a step: what follows the last question mark of its text, or all of it.
    static func answer(of step: [TextBlock]) -> [(block: TextBlock, from: String.Index)] {
        step.map { block in
            if let mark = block.text.lastIndex(of: "?") { return (block, block.text.index(after: mark)) }
            return (block, block.text.startIndex)
        }
    }
}
