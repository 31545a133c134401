import Foundation
import GitKit
import HindsightCore

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

/// The values every page has: `lang`, `site`, `page`, `root` and `links`.
struct CommonFields: Encodable {
    struct Site: Encodable {
        let title: String
        let generator: String
        let commitShort: String?
        let buildDate: String?
    }

    struct Page: Encodable {
        let title: String
        let description: String?
    }

    /// The site's sections, linked from every page's header and footer.
    struct Links: Encodable {
        let home: String, factors: String, services: String, severity: String, tags: String, years: String
        let api: String, search: String, insights: String, actionItems: String, feed: String
    }

    let lang = "en"
    let site: Site
    let page: Page
    let root: String
    let links: Links

    init(_ context: PageContext, title: String, description: String?) {
        let site = context.site
        self.site = Site(title: site.title, generator: site.generator, commitShort: site.commitShort, buildDate: site.buildDate)
        page = Page(title: title, description: description.nonEmpty)
        root = context.root
        links = Links(
            home: context.href(""), factors: context.href("factors/"), services: context.href("services/"),
            severity: context.href("severity/"), tags: context.href("tags/"), years: context.href("years/"),
            api: context.href(SiteURLs.Path.api), search: context.href("search/"), insights: context.href("insights/"),
            actionItems: context.href("action-items/"), feed: context.href("feed.xml"))
    }
}
