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
    associatedtype Model: Encodable
    /// The template the page is rendered with.
    static var template: String { get }
    /// The file below the output folder.
    var path: String { get }
    /// The page's title and description (for `<title>` and `<meta name="description">`) and its view model.
    func make(_ context: PageContext) -> PageModel<Model>
}

/// What a `SitePage` makes: the values every page has besides its own view model.
struct PageModel<Model: Encodable> {
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
    let cards: CardCache?

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
/// site's values and the page's inputs (`SitePage`), written out canonically and hashed.
enum PageKey {
    static func of<Page: SitePage>(_ page: Page, site: SiteValues) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        write(.string(Page.template), to: &bytes)
        write(TemplateEncoder.encode(site), to: &bytes)
        write(TemplateEncoder.encode(page), to: &bytes)
        return ContentKey.of(bytes).hex
    }

    /// A type tag, then the value; lengths before texts and lists, object names sorted.
    static func write(_ value: TemplateValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(0x6E)
        case .bool(let flag): bytes.append(flag ? 0x54 : 0x46)
        case .int(let number):
            bytes.append(0x69)
            bytes.append(contentsOf: String(number).utf8)
            bytes.append(0)
        case .double(let number):
            bytes.append(0x66)
            withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case .string(let string): writeText(0x73, string, &bytes)
        case .html(let markup): writeText(0x68, markup, &bytes)
        case .list(let items):
            bytes.append(0x61)
            length(items.count, &bytes)
            for item in items { write(item, to: &bytes) }
        case .object(let object):
            bytes.append(0x64)
            length(object.fields.count, &bytes)
            for name in object.fields.keys.sorted() {
                writeText(0x73, name, &bytes)
                write(object.fields[name]!, to: &bytes)
            }
        }

        func writeText(_ tag: UInt8, _ text: String, _ bytes: inout [UInt8]) {
            bytes.append(tag)
            length(text.utf8.count, &bytes)
            bytes.append(contentsOf: text.utf8)
        }
        func length(_ count: Int, _ bytes: inout [UInt8]) {
            bytes.append(contentsOf: String(count).utf8)
            bytes.append(0x3A)
        }
    }
}

/// Renders pages through the theme, taking each page whose key is unchanged from the previous build instead.
struct PageRenderer: Sendable {
    let theme: Theme
    let site: SiteValues
    let urls: SiteURLs
    let cache: PageCache?
    let cards: CardCache?

    func render<Page: SitePage>(_ page: Page) -> OutputFile {
        guard StageTimer.enabled else { return make(page) }
        let start = ContinuousClock.now
        defer { StageTimer.templates.add(ContinuousClock.now - start) }
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
        let common = CommonFields(context, title: made.title, description: made.description)
        // The page's own values win over the common ones of the same name.
        guard case .object(var values) = TemplateEncoder.encode(common) else { preconditionFailure("common fields are an object") }
        if case .object(let own) = TemplateEncoder.encode(made.model) {
            values.fields.merge(own.fields) { _, own in own }
        }
        let file = OutputFile(path: path, data: theme.render(Page.template, .object(values)))
        if let key { cache?.record(path, key: key) }
        return file
    }
}
