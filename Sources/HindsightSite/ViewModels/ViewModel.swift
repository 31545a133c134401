import Foundation
import HindsightCore

/// Builds the flat, named values templates see. Templates get view models, never domain types.
///
/// swift-mustache treats an empty string as true and looks a missing key up in outer contexts, so absent
/// values are `NSNull` (false), never `""` or a missing key.
struct ViewModel {
    let archive: Archive
    let urls: SiteURLs
    let generator: String
    /// Repeats and completion dates, for the post-mortem pages.
    var insights: Insights? = nil
    /// For each id, the post-mortems whose `related` names it (built once, read by every page).
    let namedBy: [String: [String]]
    /// Whether the theme shows the revision built (`Theme.showsRevision`).
    var showsRevision = true
    /// Each post-mortem's parse key (`Archive.parseKeys`) in hex, by index: the keys of the values a page defers
    /// name them, a dozen per page, and looking each up by path and writing it out was a share of a rebuild.
    let parseKeyHex: [String?]

    init(archive: Archive, urls: SiteURLs, generator: String, insights: Insights? = nil) {
        self.archive = archive
        self.urls = urls
        self.generator = generator
        self.insights = insights
        var namedBy: [String: [String]] = [:]
        for pm in archive.postMortems {
            for id in pm.related { namedBy[id, default: []].append(pm.id) }
        }
        self.namedBy = namedBy
        parseKeyHex = archive.postMortems.map { archive.parseKeys[$0.sourcePath]?.hex }
    }

    /// `pm`'s parse key in hex, when the build parsed through a cache.
    func parseKeyHex(of pm: PostMortem) -> String? {
        if let index = archive.indexByID[pm.id], archive.postMortems[index].sourcePath == pm.sourcePath { return parseKeyHex[index] }
        return archive.parseKeys[pm.sourcePath]?.hex
    }

    /// `nil` and `""` as Mustache's false.
    static func value(_ text: String?) -> Any {
        guard let text, text.isEmpty == false else { return NSNull() }
        return text
    }

    /// A page's values to start from: the values every page has (`commonFields`), made only if the page is
    /// rendered. They stand in its fingerprint as a key naming all they are made from: the page's path, title and
    /// description, the site's title, the generator, the revision when shown, and the base address. Building them
    /// (eleven links) and fingerprinting them was a third of what a reused page cost.
    func common(page path: String, title: String, description: String? = nil) -> [String: Any] {
        let key = Self.key("common", [
            path, title, description ?? "\u{0}", archive.configuration.title, generator, shownRevision ?? "\u{0}",
            urls.base ?? "\u{0}",
        ])
        return [Deferred.fieldsKey: Deferred(key: key) { self.commonFields(page: path, title: title, description: description) }]
    }

    /// The revision as pages show it (its id and day) when the theme shows it, for keys.
    var shownRevision: String? { showsRevision ? archive.revision.map { $0.id.hex + " " + Format.day($0.time) } : nil }

    /// The revision a post-mortem's history links its source at: when a repository address is set ("" otherwise).
    var sourceRevision: String { archive.configuration.repoURL == nil ? "" : archive.revision?.id.hex ?? "" }

    /// A key of texts: `kind`, then each text after its length, so that no text can pass for a separator.
    static func key(_ kind: String, _ texts: [String]) -> String {
        var key = kind
        for text in texts { key += "\u{0}\(text.utf8.count):" + text }
        return key
    }

    /// The values every page has: site, page, root, links.
    func commonFields(page path: String, title: String, description: String? = nil) -> [String: Any] {
        let config = archive.configuration
        let revision = archive.revision
        return [
            "lang": "en",
            // The revision only when a template shows it: otherwise every commit would change every page.
            "site": [
                "title": config.title,
                "generator": generator,
                "commit_short": showsRevision ? ViewModel.value(revision?.id.short) : NSNull(),
                "build_date": showsRevision ? ViewModel.value(revision.map { Format.day($0.time) }) : NSNull(),
            ] as [String: Any],
            "page": ["title": title, "description": ViewModel.value(description)] as [String: Any],
            "root": urls.root(from: path),
            "links": [
                "home": urls.href("", from: path),
                "factors": urls.href("factors/", from: path),
                "services": urls.href("services/", from: path),
                "severity": urls.href("severity/", from: path),
                "tags": urls.href("tags/", from: path),
                "years": urls.href("years/", from: path),
                "api": urls.href(SiteURLs.Path.api, from: path),
                "search": urls.href("search/", from: path),
                "insights": urls.href("insights/", from: path),
                "action_items": urls.href("action-items/", from: path),
                "feed": urls.href("feed.xml", from: path),
            ],
        ]
    }

    /// A post-mortem as a list entry.
    func card(_ pm: PostMortem, from path: String) -> [String: Any] {
        let services = pm.services.map { term(name: $0, taxonomy: "services", from: path) }
        let types = pm.factorTypes.map { type -> [String: Any] in
            ["name": type, "href": urls.href(SiteURLs.Path.factorType(Normalise.slug(type)), from: path)]
        }
        return [
            "id": pm.id,
            "title": pm.title,
            "href": urls.href(SiteURLs.Path.postMortem(pm.id), from: path),
            "date": ViewModel.value(pm.date?.description),
            "severity": ViewModel.value(pm.severity),
            "severity_class": ViewModel.value(pm.severity.map { Normalise.slug($0) }),
            "severity_href": pm.severity.map { urls.href(SiteURLs.Path.term("severity", Normalise.slug($0)), from: path) } as Any? ?? NSNull(),
            "services": services,
            "has_services": !services.isEmpty,
            "factor_types": types,
            "has_factor_types": !types.isEmpty,
            "near_miss": pm.nearMiss,
            "is_draft": pm.status == .draft,
            "status": pm.status.rawValue,
            "summary": ViewModel.value(Format.excerpt(pm.summary, limit: 280)),
        ]
    }

    func term(name: String, taxonomy: String, from path: String) -> [String: Any] {
        ["name": name, "href": urls.href(SiteURLs.Path.term(taxonomy, Normalise.slug(name)), from: path)]
    }
}

/// Display formats shared by the pages.
enum Format {
    static func day(_ date: Date) -> String { Day(utc: date).description }

    /// `2024-03-05 14:02 UTC`.
    static func instant(_ date: Date) -> String {
        let day = Day(utc: date)
        let seconds = Int(date.timeIntervalSince(day.startDate))
        return "\(day.description) \(two(seconds / 3600)):\(two((seconds % 3600) / 60)) UTC"
    }

    /// ISO 8601 in UTC, seconds precision.
    static func iso(_ date: Date) -> String {
        let day = Day(utc: date)
        let seconds = Int(date.timeIntervalSince(day.startDate))
        return "\(day.description)T\(two(seconds / 3600)):\(two((seconds % 3600) / 60)):\(two(seconds % 60))Z"
    }

    /// Two digits, zero-padded.
    private static func two(_ value: Int) -> String { Day.padded(value, 2) }

    /// `1 h 25 min`, `3 d 4 h`, `12 min`.
    static func duration(minutes: Int) -> String {
        if minutes < 0 { return "−" + duration(minutes: -minutes) }
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 {
            let rest = minutes % 60
            return rest == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(rest) min"
        }
        let hours = (minutes / 60) % 24
        return hours == 0 ? "\(minutes / 1440) d" : "\(minutes / 1440) d \(hours) h"
    }

    /// The first `limit` characters, cut at a word, with an ellipsis.
    static func excerpt(_ text: String, limit: Int) -> String {
        // ASCII without line breaks (most summaries): one Character per byte, so bytes can be cut and trimmed
        // directly (every post-mortem page has an excerpt; Characters and CharacterSet took a tenth of a second).
        guard text.utf8.allSatisfy({ $0 < 0x80 && ($0 < 0x0A || $0 > 0x0D) }) else {
            return excerptCharacters(text, limit: limit)
        }
        guard text.utf8.count > limit else { return text }
        var cut = Array(text.utf8.prefix(limit))
        if let space = cut.lastIndex(of: UInt8(ascii: " ")) { cut.removeSubrange(space...) }
        var (start, end) = (0, cut.count)
        while start < end, asciiExcerptEnds[Int(cut[start])] { start += 1 }
        while end > start, asciiExcerptEnds[Int(cut[end - 1])] { end -= 1 }
        return String(decoding: cut[start..<end], as: UTF8.self) + "…"
    }

    /// `excerpt` by Characters, for any text.
    static func excerptCharacters(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        var cut = String(flat.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: excerptEnds) + "…"
    }

    /// What an excerpt does not end with (made once: a union of character sets is costly, and every page has one).
    private static let excerptEnds = CharacterSet.punctuationCharacters.union(.whitespaces)
    /// `excerptEnds` for each ASCII byte.
    private static let asciiExcerptEnds = (0..<128).map { excerptEnds.contains(Unicode.Scalar(UInt8($0))) }
}
