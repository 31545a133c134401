import Foundation

/// Why two incidents count as a repeat.
public enum RepeatReason: Sendable, Hashable {
    /// One names the other in `related` or `repeat_of`.
    case linked
    /// Both affected a service and share a factor type, within the repeat window.
    case sharedServiceAndFactorType(service: String, factorType: String, days: Int)
    /// A factor of each reads almost the same (word overlap, in percent).
    case similarFactors(earlier: String, later: String, percent: Int)

    /// A short sentence for pages and reports.
    public var text: String {
        switch self {
        case .linked:
            return "linked as related"
        case .sharedServiceAndFactorType(let service, let type, let days):
            return "same service (\(service)) and a shared \(type) factor, \(days) day\(days == 1 ? "" : "s") apart"
        case .similarFactors(let earlier, let later, let percent):
            return "similar factors (\(percent)% of words shared): “\(earlier)” and “\(later)”"
        }
    }

    /// `linked`, `service-and-factor-type` or `similar-factors`, for the export.
    public var kind: String {
        switch self {
        case .linked: return "linked"
        case .sharedServiceAndFactorType: return "service-and-factor-type"
        case .similarFactors: return "similar-factors"
        }
    }

    /// Lower is stronger: an explicit link, then a shared service and factor type, then similar text.
    public var strength: Int {
        switch self {
        case .linked: return 0
        case .sharedServiceAndFactorType: return 1
        case .similarFactors: return 2
        }
    }
}

/// Two incidents where the later one repeats the earlier one, and why.
public struct RepeatLink: Sendable, Hashable {
    /// The earlier post-mortem's id.
    public let earlier: String
    /// The later post-mortem's id.
    public let later: String
    /// The strongest reason found (explicit links first).
    public let reason: RepeatReason
}

/// Finds repeat incidents: explicit links, or inferred from services, factor types and factor text.
public enum RepeatDetector {
    /// Every repeat pair of the archive, ordered by the later incident (newest first), then the earlier one.
    public static func links(_ postMortems: [PostMortem], settings: InsightsSettings) -> [RepeatLink] {
        let ids = Set(postMortems.map(\.id))
        // Order by incident date (merge date when there is none), then id: earlier and later are well defined.
        // Indices, not copies: a post-mortem is large, and copying every one was a measurable share of a rebuild.
        let ordered = inIncidentOrder(postMortems)
        let rank = Dictionary(ordered.enumerated().map { (postMortems[$1].id, $0) }, uniquingKeysWith: { a, _ in a })
        var best: [Pair: RepeatReason] = [:]
        func offer(_ a: String, _ b: String, _ reason: RepeatReason) {
            guard a != b, let ra = rank[a], let rb = rank[b] else { return }
            let pair = ra < rb ? Pair(earlier: a, later: b) : Pair(earlier: b, later: a)
            if let known = best[pair], known.strength <= reason.strength { return }
            best[pair] = reason
        }

        for pm in postMortems {
            for other in pm.related where ids.contains(other) { offer(pm.id, other, .linked) }
        }

        // Same service and a shared factor type within the window: each incident repeats the most recent earlier
        // one for each service and factor type it has, so a busy service yields a chain, not every pair of it
        // (which grows with the square of the archive). Slugs are computed once per post-mortem.
        let dated = ordered.filter { postMortems[$0].date != nil }
        var slugs = Slugs()
        let datedServices = dated.map { postMortems[$0].services.map { (slug: slugs($0), name: $0) } }
        let datedTypes = dated.map { postMortems[$0].factorTypes.filter { $0 != "Unclassified" } }
        var latest: [String: Int] = [:]  // "service slug\u{0}factor type" → index in `dated` of its newest incident
        for (i, laterIndex) in dated.enumerated() {
            guard let laterDay = postMortems[laterIndex].date else { continue }
            var found: [Int: (service: String, type: String)] = [:]
            for service in datedServices[i] {
                for type in datedTypes[i] {
                    let key = service.slug + "\u{0}" + type
                    if let j = latest[key], found[j] == nil, let earlierDay = postMortems[dated[j]].date,
                        days(from: earlierDay, to: laterDay) <= settings.repeatWindowDays
                    {
                        // The earlier incident's own spelling of the service, as before.
                        let name = datedServices[j].first { $0.slug == service.slug }?.name ?? service.name
                        found[j] = (name, type)
                    }
                    latest[key] = i
                }
            }
            for (j, shared) in found.sorted(by: { $0.key < $1.key }) {
                let earlier = postMortems[dated[j]]
                offer(earlier.id, postMortems[laterIndex].id, .sharedServiceAndFactorType(
                    service: shared.service, factorType: shared.type, days: days(from: earlier.date!, to: laterDay)))
            }
        }

        // Strongly similar factor text, found through an index of words so only pairs sharing words are compared.
        var factors: [(pm: String, text: String, words: Set<String>)] = []
        for index in ordered {
            let pm = postMortems[index]
            for factor in pm.factors {
                let words = Self.words(factor.text)
                if words.count >= 3 { factors.append((pm.id, factor.text, words)) }
            }
        }
        var byWord: [String: [Int]] = [:]
        for (index, factor) in factors.enumerated() {
            for word in factor.words { byWord[word, default: []].append(index) }
        }
        // Candidates share at least one word that is not everywhere; the overlap itself is then counted exactly.
        // (In a small archive every word qualifies; in a large one, words in thousands of factors carry no signal.)
        let common = max(50, factors.count / 50)
        for (index, factor) in factors.enumerated() {
            var candidates = Set<Int>()
            for word in factor.words {
                guard let postings = byWord[word], postings.count <= common else { continue }
                for other in postings where other > index && factors[other].pm != factor.pm { candidates.insert(other) }
            }
            for other in candidates.sorted() {
                let count = factor.words.intersection(factors[other].words).count
                guard count >= 3 else { continue }
                let union = factor.words.union(factors[other].words).count
                let score = Double(count) / Double(union)
                guard score >= settings.similarity else { continue }
                let percent = Int((score * 100).rounded())
                let (a, b) = (factor, factors[other])
                let aFirst = (rank[a.pm] ?? 0) < (rank[b.pm] ?? 0)
                offer(a.pm, b.pm, .similarFactors(
                    earlier: aFirst ? a.text : b.text, later: aFirst ? b.text : a.text, percent: percent))
            }
        }

        // Newest later incident first, then oldest earlier one; ranks looked up once per link, not per comparison.
        return best.map { (later: rank[$0.key.later] ?? 0, earlier: rank[$0.key.earlier] ?? 0, link: $0) }
            .sorted { ($1.later, $0.earlier) < ($0.later, $1.earlier) }
            .map { RepeatLink(earlier: $0.link.key.earlier, later: $0.link.key.later, reason: $0.link.value) }
    }

    /// Groups of incidents joined by repeat links (two or more each), each oldest first; newest chain first.
    public static func chains(_ links: [RepeatLink], postMortems: [PostMortem]) -> [[String]] {
        let rank = Dictionary(
            inIncidentOrder(postMortems).enumerated().map { (postMortems[$1].id, $0) }, uniquingKeysWith: { a, _ in a })
        var parent: [String: String] = [:]
        func find(_ id: String) -> String {
            var root = id
            while let next = parent[root], next != root { root = next }
            parent[id] = root
            return root
        }
        for link in links {
            let a = find(link.earlier), b = find(link.later)
            parent[a] = parent[a] ?? a
            parent[b] = parent[b] ?? b
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var groups: [String: [String]] = [:]
        for id in parent.keys { groups[find(id), default: []].append(id) }
        return groups.values.filter { $0.count > 1 }
            .map { $0.sorted { (rank[$0] ?? 0, $0) < (rank[$1] ?? 0, $1) } }
            .sorted { (rank[$1.last!] ?? 0, $1.last!) < (rank[$0.last!] ?? 0, $0.last!) }
    }

    /// Lowercased words of three or more letters or digits, without the commonest English words.
    static func words(_ text: String) -> Set<String> {
        var out = Set<String>()
        // ASCII (nearly every factor) by bytes: the same words, without a Character and a lowercased copy each.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var word: [UInt8] = []
            func flush() {
                if word.count >= 3 {
                    let w = String(decoding: word, as: UTF8.self)
                    if stopWords.contains(w) == false { out.insert(w) }
                }
                word.removeAll(keepingCapacity: true)
            }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
                default: flush()
                }
            }
            flush()
            return out
        }
        return characterWords(text)
    }

    /// `words`, reading Characters (any script).
    static func characterWords(_ text: String) -> Set<String> {
        var out = Set<String>()
        for word in text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }) where word.count >= 3 {
            let w = String(word)
            if stopWords.contains(w) == false { out.insert(w) }
        }
        return out
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "was", "were", "not", "with", "that", "this", "from", "into", "when", "did", "had",
        "has", "have", "our", "but", "are", "its", "all", "any", "can", "out", "per", "via", "too", "use", "used",
        "been", "being", "than", "then", "there", "their", "they", "which", "who", "what", "would", "could", "should",
        "only", "also", "after", "before", "during", "over", "under", "about", "one", "two", "more", "most", "some",
        "such", "each", "other", "nor", "yet", "off", "own", "same", "very", "will", "just", "both", "because",
    ]

    /// The indices of `postMortems` by incident date (merge date when there is none), then id. Keys are computed
    /// once and indices sorted, rather than moving whole post-mortems through comparisons that rebuild their keys.
    static func inIncidentOrder(_ postMortems: [PostMortem]) -> [Int] {
        let keys = postMortems.map(sortKey)
        return postMortems.indices.sorted { keys[$0] < keys[$1] }
    }

    static func sortKey(_ pm: PostMortem) -> (Double, String) {
        let instant = pm.date?.startDate ?? pm.history?.created.time ?? .distantFuture
        return (instant.timeIntervalSince1970, pm.id)
    }

    struct Pair: Hashable {
        let earlier: String
        let later: String
    }
}
