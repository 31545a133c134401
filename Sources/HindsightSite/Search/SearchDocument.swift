import GitKit
import HindsightCore

/// The searchable fields of a post-mortem and their weights (title and factor matches rank above body text).
struct SearchDocument {
    enum Field: Int, CaseIterable {
        case title, factors, services, tags, actions, body

        /// BM25F field weights.
        var weight: Double {
            switch self {
            case .title: return 6
            case .factors: return 4
            case .services: return 4
            case .tags: return 3
            case .actions: return 2
            case .body: return 1
            }
        }
    }

    /// Token counts per field.
    var termCounts: [[String: Int]]
    /// Token totals per field (document length for BM25's normalisation).
    var lengths: [Int]
    /// The text shown for snippets and checked for phrases, section by section: `[heading, text]`, the text's
    /// blocks on lines of their own and a row's cells apart by tabs (`MarkdownNode.blockText`).
    var sections: [[String]]

    init(_ pm: PostMortem) {
        let factorText = pm.factors.map { "\($0.type) \($0.text) \($0.contribution)" }.joined(separator: "\n")
        let actionText = pm.actionItems.map { "\($0.text) \($0.owner ?? "")" }.joined(separator: "\n")
        let body = pm.sections.map { "\($0.heading)\n\($0.text)" }.joined(separator: "\n\n")
        let sources: [Field: String] = [
            .title: pm.title + " " + pm.id.replacingOccurrences(of: "-", with: " "),
            .factors: factorText,
            .services: pm.services.joined(separator: " "),
            .tags: (pm.tags + [pm.severity ?? "", pm.ownerTeam ?? ""]).joined(separator: " "),
            .actions: actionText,
            .body: body.isEmpty ? pm.summary : body,
        ]
        termCounts = []
        lengths = []
        for field in Field.allCases {
            var counts: [String: Int] = [:]
            let length = SearchTokenizer.count(indexTokensOf: sources[field] ?? "", into: &counts)
            termCounts.append(counts)
            lengths.append(length)
        }
        sections = body.isEmpty ? [["", pm.summary]] : pm.sections.map { [$0.heading, $0.text] }
    }

    /// The key (`ContentKey`) of everything a post-mortem's share of the index is made from (its searchable fields and
    /// what its fragment shows): the `SearchCache` key. Nil if hashing fails.
    ///
    /// With the post-mortem's parse key (`Archive.parseKeys`), which names everything it was made from, the key is
    /// made from that instead of its text.
    static func key(_ pm: PostMortem, parseKey: ObjectID? = nil) -> ObjectID? {
        var writer = BinaryWriter()
        writer.varint(SearchIndexBuilder.formatVersion)
        if let parseKey {
            writer.string("parsed")
            writer.string(parseKey.hex)
            return ContentKey.of(writer.buffer)
        }
        for text in [pm.id, pm.title, pm.summary] { writer.string(text) }
        writer.optional(pm.date?.description)
        writer.optional(pm.severity)
        writer.optional(pm.ownerTeam)
        writer.varint(pm.nearMiss ? 1 : 0)
        for list in [pm.services, pm.tags] {
            writer.varint(list.count)
            for item in list { writer.string(item) }
        }
        writer.varint(pm.factors.count)
        for factor in pm.factors {
            writer.string(factor.type)
            writer.string(factor.text)
            writer.string(factor.contribution)
        }
        writer.varint(pm.actionItems.count)
        for item in pm.actionItems {
            writer.string(item.text)
            writer.optional(item.owner)
            writer.string(item.status)
        }
        writer.varint(pm.sections.count)
        for section in pm.sections {
            writer.string(section.heading)
            writer.string(section.text)
        }
        return ContentKey.of(writer.buffer)
    }
}
