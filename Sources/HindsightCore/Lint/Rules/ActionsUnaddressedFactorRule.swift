/// `actions/unaddressed-factor`: when action items name the factors they address, a factor no item addresses.
///
/// Items name factors with a column (`Addresses`, `Factor`, `Fixes`) or with references such as `F2` in
/// the item's text; factors are known by their position (`F1` is the first), an `ID` column, or their text.
/// When no item names any factor the rule stays silent: nothing says which item addresses what.
struct ActionsUnaddressedFactorRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "actions/unaddressed-factor", severity: .warning,
        summary: "A contributing factor that no action item addresses (when items name factors).",
        rationale: """
            When action items say which factors they address, a factor left out is a condition that will \
            still be there next time. Either add an item for it, or say why it is accepted.
            """)

    private static let referenceColumns: Set<String> = [
        "addresses", "factor", "factors", "contributing factor", "contributing factors", "fixes", "cause", "causes",
        "related factor", "related factors", "addresses factor", "addresses factors",
    ]
    private static let idColumns: Set<String> = ["id", "#", "ref", "key", "no", "no."]

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem, postMortem.factors.isEmpty == false,
            postMortem.actionItems.isEmpty == false
        else { return }

        var referenced = Set<String>()
        for item in postMortem.actionItems {
            let row = document.blocks(in: .actionItems).filter { $0.line == item.location.line }
            for cell in row where cell.isCell(inColumn: Self.referenceColumns) {
                for part in cell.text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "/" }) {
                    referenced.insert(Self.key(String(part)))
                }
            }
            for block in row where block.isCell(inColumn: Self.referenceColumns) == false {
                for word in block.words where Self.isFactorReference(word.lower) { referenced.insert(word.lower) }
                // "factor 2", "factor #2".
                for (index, word) in block.words.enumerated().dropLast() where word.lower == "factor" || word.lower == "factors" {
                    let next = block.words[index + 1].lower
                    if next.allSatisfy(\.isNumber) { referenced.insert("f" + next) }
                }
            }
        }
        referenced.remove("")
        guard referenced.isEmpty == false else { return }

        for (index, factor) in postMortem.factors.enumerated() {
            let names = identifiers(of: factor, at: index, in: document)
            guard names.isDisjoint(with: referenced) else { continue }
            let location = document.block(for: factor).map { document.location(of: $0) } ?? factor.location
            report.add(
                "contributing factor F\(index + 1) '\(ActionsOwnerRule.short(factor.text))' is addressed by no action item",
                at: location,
                suggestion: "add an action item that addresses F\(index + 1), or state why the risk is accepted")
        }
    }

    /// The names a factor goes by: `f3` for the third, its ID cell, a leading `[F3]`, and its text.
    private func identifiers(of factor: ContributingFactor, at index: Int, in document: LintDocument) -> Set<String> {
        var names: Set<String> = ["f\(index + 1)", Self.key(factor.text)]
        for cell in document.blocks(in: .factors) where cell.line == factor.location.line && cell.isCell(inColumn: Self.idColumns) {
            names.insert(Self.key(cell.text))
        }
        if let first = Word.split(factor.text).first, Self.isFactorReference(first.lower) { names.insert(first.lower) }
        return names
    }

    /// A reference as written in a column: `F2`, `#2`, `2` or a factor's text, normalised.
    private static func key(_ text: String) -> String {
        let trimmed = text.trimmedWhitespace(and: "[]()#.").lowercased()
        if trimmed.allSatisfy(\.isNumber), trimmed.isEmpty == false { return "f" + trimmed }
        return trimmed
    }

    private static func isFactorReference(_ word: String) -> Bool {
        word.count >= 2 && word.first == "f" && word.dropFirst().allSatisfy(\.isNumber)
    }
}
