import Foundation
import GitKit
import HindsightCore
import MustacheKit

/// What every page shows of the site, and so part of every page's key.
struct SiteValues: Encodable, Sendable {
    let title: String
    let generator: String
    /// The revision built, when the theme shows it (`Theme.showsRevision`): otherwise every commit would change
    /// every page.
    let commitShort: String?
    let buildDate: String?
    /// The base address links start with, nil for relative links.
    let base: String?

    init(title: String, generator: String, revision: Commit?, showsRevision: Bool, urls: SiteURLs) {
        self.title = title
        self.generator = generator
        let revision = showsRevision ? revision : nil
        commitShort = revision.map { $0.id.short }
        buildDate = revision.map { Format.day($0.time) }
        base = urls.base
    }
}

/// The values every page has: `lang`, `site` (`title`, `generator`, `commit_short`, `build_date`), `page`
/// (`title`, `description`), `root` and `links` (the site's sections, linked from every page's header and
/// footer). `site` is the same on every page and `links` on every page at one depth, so both are made once.
final class CommonFields: @unchecked Sendable {
    private let urls: SiteURLs
    private let site: TemplateValue
    /// `links` by the page's root prefix (one per folder depth).
    private var links: [String: TemplateValue] = [:]
    private let lock = NSLock()

    init(_ site: SiteValues, urls: SiteURLs) {
        self.urls = urls
        self.site = [
            "title": .string(site.title), "generator": .string(site.generator), "commit_short": .init(site.commitShort),
            "build_date": .init(site.buildDate),
        ]
    }

    /// The common fields of the page at `context.path`, with its title and description.
    func value(_ context: PageContext, title: String, description: String?) -> TemplateValue {
        let root = context.root
        return [
            "lang": "en", "site": site, "page": ["title": .string(title), "description": .init(description.nonEmpty)],
            "root": .string(root), "links": links(root: root, path: context.path),
        ]
    }

    private func links(root: String, path: String) -> TemplateValue {
        if let links = lock.withLock({ links[root] }) { return links }
        let href = { (target: String) in TemplateValue.string(self.urls.href(target, from: path)) }
        let made: TemplateValue = [
            "home": href(""), "factors": href("factors/"), "services": href("services/"), "severity": href("severity/"),
            "tags": href("tags/"), "years": href("years/"), "api": href(SiteURLs.Path.api), "search": href("search/"),
            "insights": href("insights/"), "action_items": href("action-items/"), "feed": href("feed.xml"),
        ]
        lock.withLock { links[root] = made }
        return made
    }
}
