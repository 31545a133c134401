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

/// What every page is made from besides its own inputs: its path, the link maker (whose base is in the site's
/// values, in every key), and the cards that list pages show.
struct PageContext: Sendable {
    /// The page's path below the output folder.
    let path: String
    let urls: SiteURLs
    /// Cards rendered once for every list that shows them (keyed by their post-mortems in each list's inputs).
    let cards: CardCache
    /// The prefix that leads from this page to the site root.
    let root: String

    init(path: String, urls: SiteURLs, cards: CardCache) {
        self.path = path
        self.urls = urls
        self.cards = cards
        root = urls.root(from: path)
    }

    /// The link from this page to `target` (a folder such as `factors/` or a file).
    func href(_ target: String) -> String { urls.href(target, root: root) }
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

/// The one way a page's key is made: the generator, the theme and the executable (in `PageCache`'s seed), the
/// site's values, the template's name and the page's inputs (`SitePage`), written out canonically (`KeyEncoder`)
/// and hashed. The site's values are the same for every page, so they stand in each key by their own key, made
/// once.
struct PageKey: Sendable {
    private let site: String

    init(site: SiteValues) { self.site = KeyEncoder.key(site) }

    /// The key of `page`.
    func of<Page: SitePage>(_ page: Page) -> String {
        let encoder = KeyEncoder()
        encoder.text(0x73, site)
        encoder.text(0x73, Page.template)
        encoder.nested(page)
        return encoder.key
    }
}

/// Renders pages through the theme, taking each page whose key is unchanged from the previous build instead.
struct PageRenderer: Sendable {
    let theme: Theme
    let urls: SiteURLs
    let cache: PageCache?
    let cards: CardCache
    let keys: PageKey
    /// The values every page has, made once per build and link depth.
    let common: CommonFields

    func render<Page: SitePage>(_ page: Page) -> OutputFile {
        let start = StageTimer.enabled ? StageTimer.threadProcessorTime() : nil
        defer { if let start { StageTimer.templates.add(StageTimer.threadProcessorTime() - start) } }
        let path = page.path
        let key = cache.map { _ in keys.of(page) }
        if let key, let previous = cache?.reuse(path, key: key) { return previous }
        let context = PageContext(path: path, urls: urls, cards: cards)
        let made = page.make(context)
        // The page's own values win over the common ones of the same name.
        let values = common.value(context, title: made.title, description: made.description).merging(made.model.templateValue)
        let file = OutputFile(path: path, data: theme.render(Page.template, values))
        if let key { cache?.record(path, key: key) }
        return file
    }
}
