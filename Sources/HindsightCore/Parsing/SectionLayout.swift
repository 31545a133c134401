import CommonMarkKit

/// The body's outline: its title heading, what comes before the first section, and each section's blocks.
///
/// A section starts at a `##` heading, or at a `#` heading other than the title (archives that write
/// `# Timeline` and `# Action items`). A `#` section ends whatever came before it. Under a `#` section of a
/// known kind, a `##` heading of no known kind is a sub-heading of it (`# Timeline`, then `## Day 1`); under an
/// unknown one, `##` headings are sections by their own names. In a timeline, a heading that is a time
/// (`## 23:27`) is an entry, not a new section. A paragraph that is only a bold section name
/// (`**Timeline:**`) starts a section as a heading would.
struct SectionLayout {
    /// One section.
    struct Part {
        var heading: MarkdownNode
        var level: Int
        /// The heading's words, without stray `#` from broken nesting (`## ### Timeline`).
        var title: String
        var kind: SectionKind?
        var blocks: [MarkdownNode] = []
    }

    /// The title heading's text, when the body opens with one.
    var title: String?
    var preamble: [MarkdownNode] = []
    var sections: [Part] = []

    init(_ blocks: [MarkdownNode], configuration: Configuration) {
        // The title is the first heading when it is a level-1 heading that names no section ("# Timeline"
        // opening a file is its first section).
        var titleIndex: Int?
        if let first = blocks.firstIndex(where: { $0.headingLevel != nil }), blocks[first].isHeading(level: 1),
            Self.kind(of: blocks[first], configuration) == nil
        {
            titleIndex = first
            title = Self.text(of: blocks[first])
        }
        for (index, block) in blocks.enumerated() where index != titleIndex {
            if let level = block.headingLevel, level <= 2 {
                let kind = Self.kind(of: block, configuration)
                if level == 2, let current = sections.last, staysInside(current, kind: kind, heading: block) {
                    sections[sections.count - 1].blocks.append(block)
                } else {
                    sections.append(Part(heading: block, level: level, title: Self.text(of: block), kind: kind))
                }
                continue
            }
            // Only where no known section is open: inside one, "**Root causes:**" is a label within it.
            if block.kind == .paragraph, sections.last?.kind == nil, let name = Self.boldName(block),
                let kind = SectionCatalog.kind(forHeading: name, configuration: configuration)
            {
                sections.append(Part(heading: block, level: 2, title: name, kind: kind))
                continue
            }
            if sections.isEmpty { preamble.append(block) } else { sections[sections.count - 1].blocks.append(block) }
        }
        // A bare "Actions" beside an "Action items" section is a template's checklist for the report itself
        // ("- [x] Sections above are filled out"), not follow-up work.
        if sections.filter({ $0.kind == .actionItems }).count > 1 {
            for index in sections.indices where SectionCatalog.normalise(sections[index].title) == "actions" {
                sections[index].kind = nil
            }
        }
    }

    /// Whether a `##` heading belongs to the section before it rather than starting one.
    private func staysInside(_ current: Part, kind: SectionKind?, heading: MarkdownNode) -> Bool {
        if current.kind == .timeline, TimeText.scan(Self.text(of: heading)[...]) != nil { return true }
        return current.level == 1 && current.kind != nil && kind == nil
    }

    private static func kind(of heading: MarkdownNode, _ configuration: Configuration) -> SectionKind? {
        SectionCatalog.kind(forHeading: text(of: heading), configuration: configuration)
    }

    static func text(of heading: MarkdownNode) -> String {
        heading.plainText.trimmedWhitespace(and: "#").trimmedWhitespace()
    }

    /// The text of a paragraph that is only bold words (`**Timeline:**`), without the colon.
    private static func boldName(_ paragraph: MarkdownNode) -> String? {
        guard paragraph.children.count == 1, paragraph.children[0].kind == .strong else { return nil }
        let text = paragraph.children[0].plainText.trimmedWhitespace()
        guard text.count <= 60 else { return nil }
        return text.trimmedWhitespace(and: ":")
    }
}

/// A date written into a title: `# 2019-05-02, Title`, `# Incident on 2021-03-02 - Title`,
/// `# Retrospective: Queue outage 2019-05-02`, `# incident date: 2019-05-02, …`, `# … on November 24th, 2025`.
enum TitleDate {
    /// The title without a date at its start or end (with the words that introduce it), and the date. A date in
    /// the middle of a title is read but left in it.
    static func split(_ title: String, order: DateOrder?) -> (title: String, day: Day?) {
        let scalars = Array(title.unicodeScalars)
        var index = title.unicodeScalars.startIndex
        var offset = 0
        var previous: Unicode.Scalar?
        while index < title.unicodeScalars.endIndex {
            let scalar = scalars[offset]
            let wordStart = previous.map { !$0.properties.isAlphabetic && !("0"..."9").contains($0) } ?? true
            if wordStart, ("0"..."9").contains(scalar) || scalar.properties.isAlphabetic,
                let (time, rest) = TimeText.scan(Substring(title.unicodeScalars[index...]), order: order), let day = time.day
            {
                let before = String(title.unicodeScalars[..<index])
                var after = rest.trimmedWhitespace()
                // "2018-08-10 - 2018-08-30", "2021-10-08 23:01 - 2021-10-09 02:40 UTC": a range's end goes too.
                if let (_, tail) = TimeText.scan(after[...], order: order), tail.trimmedWhitespace().isEmpty { after = "" }
                let lead = before.trimmedWhitespace(and: ",:-–—|(")
                if lead.isEmpty || introduces(lead) {
                    return (after.isEmpty ? title : after.trimmedWhitespace(and: ",:-–—|)"), day)
                }
                if after.isEmpty || after == ")" {
                    var kept = lead
                    for word in [" on", " of", " from", " at", " dated", " (", " —", " –", " -"]
                    where kept.lowercased().hasSuffix(word) {
                        kept = String(kept.dropLast(word.count)).trimmedWhitespace(and: ",:-–—|(")
                    }
                    return (kept.isEmpty ? title : kept, day)
                }
                return (title, day)
            }
            previous = scalar
            index = title.unicodeScalars.index(after: index)
            offset += 1
        }
        return (title, nil)
    }

    /// Words that only introduce the date: "Incident on", "incident date:", "Date".
    private static func introduces(_ lead: String) -> Bool {
        ["incident on", "incident date", "incident", "date", "on", "outage on", "incident of"].contains(lead.lowercased())
    }
}

/// The incident's date as the opening sentence states it: "On September 29, 2025, …", "Between November 11 and
/// November 15, 2025 we hit …", "From 2021-03-02 …". Many archives name a file by the day it was published, so a
/// date the text opens with is the better witness than the file name.
enum OpeningDate {
    /// The first day the paragraph opens with, after "On", "On the evening of", "Between" or "From"; a month and day
    /// without a year take the year of the next date in the same sentence that has one ("November 11 and
    /// November 15, 2025"), else `year`.
    static func day(in paragraph: String, order: DateOrder?, year: Int? = nil) -> Day? {
        let sentence = paragraph.prefix { $0 != "\n" && $0 != "." }
        let lower = sentence.lowercased()
        guard var word = ["on ", "between ", "from "].first(where: { lower.hasPrefix($0) }) else { return nil }
        for part in ["morning", "afternoon", "evening", "night"] where lower.hasPrefix("on the \(part) of ") {
            word = "on the \(part) of "
        }
        guard let (time, rest) = TimeText.scan(sentence.dropFirst(word.count), order: order) else { return nil }
        if let day = time.day { return day }
        guard let monthDay = time.monthDay else { return nil }
        // The year of the range's end: the next date in the sentence, over the words between ("and", "to").
        var tail = rest
        while tail.isEmpty == false {
            if let (next, _) = TimeText.scan(tail, order: order), let end = next.day {
                return Day(year: end.year, month: monthDay.month, day: monthDay.day)
            }
            tail = tail.drop { $0 != " " }.dropFirst()
        }
        return year.flatMap { Day(year: $0, month: monthDay.month, day: monthDay.day) }
    }
}
