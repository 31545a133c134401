import Foundation
import HindsightCore

/// Atom feeds of post-mortems by merge date (the commit that added each one), newest first.
///
/// Ids are permanent: with `base_url` they are the pages' absolute addresses; without one they are `tag:` URIs
/// (`tag:hindsight.invalid,2000:<site-title-slug>/postmortems/<id>/`) and links are relative to the feed.
enum AtomFeed {
    /// Entries per feed: the most recently merged. Readers poll feeds; ten thousand entries in one would be
    /// megabytes fetched again and again for the few that are new.
    static let entryLimit = 50

    /// The feed of every post-mortem and one per factor type, a job each.
    static func jobs(_ archive: Archive, urls: SiteURLs) -> [PageSet.Job] {
        var jobs: [PageSet.Job] = [{
            [render(Array(archive.postMortems.indices), archive: archive, urls: urls, path: "feed.xml", page: "", title: archive.configuration.title)]
        }]
        for group in archive.factorGroups {
            jobs.append {
                let members = Set(group.factors.map(\.postMortem)).sorted()
                return [render(
                    members, archive: archive, urls: urls, path: factorFeed(group.slug), page: SiteURLs.Path.factorType(group.slug),
                    title: "\(group.type) factors · \(archive.configuration.title)")]
            }
        }
        return jobs
    }

    /// Where a factor type's feed is written.
    static func factorFeed(_ slug: String) -> String { SiteURLs.Path.factorType(slug) + "feed.xml" }

    /// The feed of the post-mortems at `members` (indices into the archive's), written at `path` (e.g. `feed.xml`,
    /// `factors/process/feed.xml`), whose web page is `page`.
    static func render(
        _ members: [Int], archive: Archive, urls: SiteURLs, path: String, page: String, title: String
    ) -> OutputFile {
        let postMortems = archive.postMortems
        let fallback = archive.revision?.time ?? Date(timeIntervalSince1970: 0)
        let published = { (pm: PostMortem) -> Date in pm.history?.created.time ?? pm.date?.startDate ?? fallback }
        let updated = { (pm: PostMortem) -> Date in pm.history?.updated.time ?? published(pm) }
        // Indices are sorted, not post-mortems: a post-mortem is a large value to move about.
        let keys = members.map { (index: $0, published: published(postMortems[$0]), id: postMortems[$0].id) }
        let sorted = keys.sorted { ($1.published, $0.id) < ($0.published, $1.id) }
        // An edit to any post-mortem of the feed updates it, even one too old to be listed.
        let feedUpdated = members.map { updated(postMortems[$0]) }.max() ?? fallback
        let entries = sorted.prefix(entryLimit).map { postMortems[$0.index] }
        let site = archive.configuration.title

        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        xml += "  <id>\(x(id(path, archive: archive, urls: urls)))</id>\n"
        xml += "  <title>\(x(title))</title>\n"
        xml += "  <updated>\(Format.iso(feedUpdated))</updated>\n"
        xml += "  <author><name>\(x(site))</name></author>\n"
        xml += "  <generator>\(x(Site.generator))</generator>\n"
        xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(x(urls.href(path, from: path)))\"/>\n"
        xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(x(urls.href(page, from: path)))\"/>\n"
        for pm in entries {
            let target = SiteURLs.Path.postMortem(pm.id)
            xml += "  <entry>\n"
            xml += "    <id>\(x(id(target, archive: archive, urls: urls)))</id>\n"
            xml += "    <title>\(x(pm.title))</title>\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(x(urls.href(target, from: path)))\"/>\n"
            xml += "    <published>\(Format.iso(published(pm)))</published>\n"
            xml += "    <updated>\(Format.iso(updated(pm)))</updated>\n"
            if let team = pm.ownerTeam { xml += "    <author><name>\(x(team))</name></author>\n" }
            if let severity = pm.severity { xml += "    <category term=\"\(x(severity))\" label=\"Severity \(x(severity))\"/>\n" }
            if pm.nearMiss { xml += "    <category term=\"near-miss\" label=\"Near miss\"/>\n" }
            for type in pm.factorTypes { xml += "    <category term=\"\(x(Normalise.slug(type)))\" label=\"\(x(type))\"/>\n" }
            let date = pm.date.map { "Incident on \($0). " } ?? ""
            xml += "    <summary type=\"text\">\(x(date + Format.excerpt(pm.summary, limit: 600)))</summary>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return OutputFile(path: path, data: Data(xml.utf8))
    }

    /// A permanent id for a site path: its absolute address under an absolute `base_url`, else a `tag:` URI.
    static func id(_ target: String, archive: Archive, urls: SiteURLs) -> String {
        if let base = urls.base, base.hasPrefix("http://") || base.hasPrefix("https://") { return base + target }
        let site = Normalise.slug(archive.configuration.title)
        return "tag:hindsight.invalid,2000:\(site.isEmpty ? "archive" : site)/\(target)"
    }

    static func x(_ text: String) -> String { SVG.escape(text) }
}
