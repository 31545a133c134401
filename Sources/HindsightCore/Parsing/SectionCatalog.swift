/// Recognises the well-known sections by H2 heading text, with the synonyms of the common templates.
enum SectionCatalog {
    private static let synonyms: [(SectionKind, [String])] = [
        (.summary, ["summary", "issue summary", "executive summary", "overview", "incident summary", "tl;dr", "tldr", "description"]),
        (.impact, ["impact", "customer impact", "user impact", "business impact", "impact assessment"]),
        (.timeline, ["timeline", "incident timeline", "timeline of events", "chronology", "sequence of events"]),
        (.analysis, ["five whys", "5 whys", "analysis", "root cause analysis", "investigation", "why did it happen"]),
        (.factors, [
            "contributing factors", "contributing factor", "root causes", "root cause", "causes", "cause",
            "factors", "trigger and root causes", "root causes and trigger",
        ]),
        (.wentWell, ["what went well", "went well", "things that went well"]),
        (.wentPoorly, [
            "what went poorly", "what went wrong", "went wrong", "went poorly", "what could have gone better",
            "things that went wrong", "what didn't go well", "what did not go well",
        ]),
        (.lucky, ["where we got lucky", "where we were lucky", "got lucky", "luck"]),
        (.actionItems, [
            "action items", "action item", "follow-ups", "follow ups", "followups", "follow-up actions",
            "corrective and preventative measures", "corrective and preventive measures", "corrective actions",
            "remediation", "remediations", "next steps", "actions", "corrective and preventative measure",
            "corrective and preventive measure", "preventive measures", "preventative measures", "review actions",
            "follow-up", "follow up", "followup", "resulting action", "resulting actions", "action plan",
            "improvements", "how are we preventing it from happening again", "how we're preventing it from happening again",
            "what we're doing about it", "what we are doing about it", "prevention", "preventing recurrence",
        ]),
        (.lessons, ["lessons", "lessons learned", "lessons learnt", "learnings", "takeaways", "key takeaways"]),
    ]

    /// Each synonym's kind, the first kind listing it winning.
    private static let exact: [String: SectionKind] = {
        var exact: [String: SectionKind] = [:]
        for (kind, names) in synonyms {
            for name in names where exact[name] == nil { exact[name] = kind }
        }
        return exact
    }()

    /// Each synonym followed by a space and by "(", in the order of the list, made once rather than per heading.
    private static let prefixes: [(spaced: String, bracketed: String, colon: String, kind: SectionKind)] = synonyms.flatMap {
        kind, names in names.map { ($0 + " ", $0 + "(", $0 + ":", kind) }
    }

    /// The section kind for a heading, or nil for sections Hindsight has no use for; the archive's
    /// `sections:` mapping comes first.
    static func kind(forHeading heading: String, configuration: Configuration? = nil) -> SectionKind? {
        let key = normalise(heading)
        if key.isEmpty { return nil }
        if let configuration, let name = configuration.mappedSection(key) {
            return SectionKind.allCases.first { $0.configurationName == name }
        }
        if let kind = exact[key] { return kind }
        // "Timeline (all times UTC)", "Impact on customers": the name followed by more words.
        for prefix in prefixes where key.hasPrefix(prefix.spaced) || key.hasPrefix(prefix.bracketed) || key.hasPrefix(prefix.colon) {
            return prefix.kind
        }
        return nil
    }

    /// Lowercased, numbering ("1.", "2)") and trailing punctuation removed, spaces collapsed.
    static func normalise(_ heading: String) -> String {
        var text = heading.lowercased()
        // Foundation's replacing copies every heading; most have neither character.
        if text.utf8.contains(where: { $0 >= 0x80 }) { text = text.replacingOccurrences(of: "’", with: "'") }
        if text.utf8.contains(UInt8(ascii: "&")) { text = text.replacingOccurrences(of: "&", with: "and") }
        // Drop a leading number like "1.", "2)", "3 -".
        while let first = text.first, first.isNumber || first == "." || first == ")" || first == " " {
            if first.isNumber, text.hasPrefix("5 whys") { break }
            text.removeFirst()
        }
        // Drop decorations such as emoji.
        if text.utf8.contains(where: { $0 >= 0x80 }) {
            text = String(
                String.UnicodeScalarView(
                text.unicodeScalars.filter { scalar in
                    !(scalar.properties.isEmojiPresentation || scalar.value == 0xFE0F || scalar.value == 0x200D
                        || (scalar.properties.isEmoji && scalar.value > 0x7F))
                }))
        }
        // Broken nesting ("## ### Timeline") and closing hashes leave '#' around the words.
        text = text.trimmedWhitespace(and: ":.-–—#?!")
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
