import Foundation
import HindsightCore
import MustacheKit

/// A page of the site: where it is written, its template, and its view model made from the page's stored
/// properties alone.
///
/// The stored properties are the page's inputs, and their encoding is the page's key (`PageKey`): a property
/// added to a page is in its key without another edit, and a value the page shows can come only from a property
/// (or from the `PageContext`, whose values are in every key). Large inputs, such as a whole post-mortem, stand
/// in the key by the key of what they were made from (`Keyed`).
protocol SitePage: Encodable, Sendable {
    associatedtype Model: TemplateRepresentable
    /// The template the page is rendered with.
    static var template: String { get }
    /// The file below the output folder.
    var path: String { get }
    /// The page's title and description (for `<title>` and `<meta name="description">`) and its view model.
    func make(_ context: PageContext) -> PageModel<Model>
}

/// What a `SitePage` makes: the values every page has besides its own view model.
struct PageModel<Model: TemplateRepresentable> {
    let title: String
    var description: String? = nil
    let model: Model
}

/// What every page is made from besides its own inputs: the site's values (in every page's key), the link maker,
/// and the cards that list pages show.
struct PageContext: Sendable {
    /// The page's path below the output folder.
    let path: String
    let site: SiteValues
    let urls: SiteURLs
    /// Cards rendered once for every list that shows them (keyed by their post-mortems in each list's inputs).
    let cards: CardCache

    /// The link from this page to `target` (a folder such as `factors/` or a file).
    func href(_ target: String) -> String { urls.href(target, from: path) }

    /// The prefix that leads from this page to the site root.
    var root: String { urls.root(from: path) }
}

/// A value that stands in a page's key by the key of everything it is made from (a post-mortem by its parse key),
/// so a page's key is made without reading the value.
struct Keyed<Value: Sendable>: Encodable, Sendable {
    let key: String
    let value: Value

    init(_ value: Value, key: String?) {
        self.value = value
        // Without a key the value cannot be named: the page's key is then one that no other build has.
        self.key = key ?? "unkeyed " + UUID().uuidString
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}

/// The one way a page's key is made: the generator, the theme (in `PageCache`'s seed), the template's name, the
/// site's values and the page's inputs (`SitePage`), written out canonically (`KeyEncoder`) and hashed.
enum PageKey {
    static func of<Page: SitePage>(_ page: Page, site: SiteValues) -> String {
        KeyEncoder.key([Page.template, site, page])
    }
}

/// Renders pages through the theme, taking each page whose key is unchanged from the previous build instead.
struct PageRenderer: Sendable {
    let theme: Theme
    let site: SiteValues
    let urls: SiteURLs
    let cache: PageCache?
    let cards: CardCache
    /// The values every page has, made once per build and link depth.
    let common: CommonFields

    func render<Page: SitePage>(_ page: Page) -> OutputFile {
        guard StageTimer.enabled else { return make(page) }
        let start = StageTimer.threadProcessorTime()
        defer { StageTimer.templates.add(StageTimer.threadProcessorTime() - start) }
        return make(page)
    }

    private func make<Page: SitePage>(_ page: Page) -> OutputFile {
        let path = page.path
        var key: String?
        if let cache {
            let pageKey = PageKey.of(page, site: site)
            if let previous = cache.reuse(path, key: pageKey) { return previous }
            key = pageKey
        }
        let context = PageContext(path: path, site: site, urls: urls, cards: cards)
        let made = page.make(context)
        // The page's own values win over the common ones of the same name.
        let values = common.value(context, title: made.title, description: made.description).merging(made.model.templateValue)
        let file = OutputFile(path: path, data: theme.render(Page.template, values))
        if let key { cache?.record(path, key: key) }
        return file
    }
}
