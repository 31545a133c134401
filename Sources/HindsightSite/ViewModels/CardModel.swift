import Foundation
import HindsightCore
import MustacheKit

/// A link to a term page (a service, tag or factor type) with its name.
struct TermLink: Encodable, Sendable, TemplateRepresentable {
    let name: String
    var href: String

    var templateValue: TemplateValue { ["name": .string(name), "href": .string(href)] }
}

/// A post-mortem as a list entry (`card.mustache`); the post-mortem page starts from the same fields.
struct CardModel: Sendable, TemplateRepresentable {
    let id: String
    let title: String
    private(set) var href: String
    let date: String?
    let severity: String?
    let severityClass: String?
    private(set) var severityHref: String?
    private(set) var services: [TermLink]
    let hasServices: Bool
    private(set) var factorTypes: [TermLink]
    let hasFactorTypes: Bool
    let nearMiss: Bool
    let isDraft: Bool
    let status: String
    let summary: String?

    /// The card of `pm` on a page whose prefix to the site root is `root`.
    init(_ pm: PostMortem, urls: SiteURLs, root: String) {
        let href = { (target: String) in urls.href(target, root: root) }
        id = pm.id
        title = pm.title
        self.href = href(SiteURLs.Path.postMortem(pm.id))
        date = pm.date.map(Format.day)
        severity = pm.severity.nonEmpty
        let severitySlug = severity.map(Format.slug)
        severityClass = severitySlug
        severityHref = severitySlug.map { href(SiteURLs.Path.term("severity", $0)) }
        services = pm.services.map { TermLink(name: $0, href: href(SiteURLs.Path.term("services", Format.slug($0)))) }
        hasServices = !services.isEmpty
        factorTypes = pm.factorTypes.map { TermLink(name: $0, href: href(SiteURLs.Path.factorType(Format.slug($0)))) }
        hasFactorTypes = !factorTypes.isEmpty
        nearMiss = pm.nearMiss
        isDraft = pm.status == .draft
        status = pm.status.rawValue
        let excerpt = Format.excerpt(pm.summary, limit: 280)
        summary = excerpt.isEmpty ? nil : excerpt
    }

    /// This card on a page whose prefix to the site root is `root`, from the card made for the site root: a
    /// relative link gains the prefix, an absolute one is the same from every page.
    func rooted(_ root: String, urls: SiteURLs) -> CardModel {
        guard urls.base == nil, root.isEmpty == false else { return self }
        var card = self
        card.href = root + href
        card.severityHref = severityHref.map { root + $0 }
        for index in card.services.indices { card.services[index].href = root + card.services[index].href }
        for index in card.factorTypes.indices { card.factorTypes[index].href = root + card.factorTypes[index].href }
        return card
    }

    var templateValue: TemplateValue {
        [
            "id": .string(id), "title": .string(title), "href": .string(href), "date": .init(date),
            "severity": .init(severity), "severity_class": .init(severityClass), "severity_href": .init(severityHref),
            "services": .init(services), "has_services": .bool(hasServices), "factor_types": .init(factorTypes),
            "has_factor_types": .bool(hasFactorTypes), "near_miss": .bool(nearMiss), "is_draft": .bool(isDraft),
            "status": .string(status), "summary": .init(summary),
        ]
    }
}

/// A rendered card in a list (`{{{card}}}` in `index`, `term`).
struct CardEntry: Sendable, TemplateRepresentable {
    let card: HTML

    var templateValue: TemplateValue { ["card": .html(card.markup)] }
}

/// Post-mortem cards rendered once per link root, when a page showing them is rendered, and shared by every
/// list showing them.
///
/// A post-mortem appears on the home page and on a page of each of its services, severity, tags and year;
/// relative links differ only by the page's depth, so a card is rendered at most once for each depth. A list
/// page's key holds each card's post-mortem by its parse key (`Keyed`), so a reused page renders no card.
final class CardCache: @unchecked Sendable {
    private let postMortems: [PostMortem]
    private let theme: Theme
    private let urls: SiteURLs
    /// Cards rendered so far, by link root.
    private var rendered: [String: [HTML?]] = [:]
    /// Each post-mortem's card at the site root, made once and moved to each root a list is at.
    private var models: [CardModel?]
    private let lock = NSLock()

    init(postMortems: [PostMortem], theme: Theme, urls: SiteURLs) {
        self.postMortems = postMortems
        self.theme = theme
        self.urls = urls
        models = Array(repeating: nil, count: postMortems.count)
    }

    /// The card of the post-mortem at `index` for the page at `path`, rendered on first use at its root.
    func card(_ index: Int, from path: String) -> HTML {
        let root = urls.root(from: path)
        if let card = lock.withLock({ rendered[root]?[index] }) { return card }
        // Rendered outside the lock; two pages asking at once both render the same bytes, and one is kept.
        let model: CardModel
        if let made = lock.withLock({ models[index] }) {
            model = made
        } else {
            model = CardModel(postMortems[index], urls: urls, root: "")
            lock.withLock { models[index] = model }
        }
        let card = HTML(theme.renderText("card", model.rooted(root, urls: urls).templateValue))
        lock.withLock {
            if rendered[root] == nil { rendered[root] = Array(repeating: nil, count: postMortems.count) }
            rendered[root]![index] = card
        }
        return card
    }

    /// The cards of `members` (post-mortems by index) for the page at `path`.
    func list(_ members: [Keyed<Int>], from path: String) -> [CardEntry] {
        members.map { CardEntry(card: card($0.value, from: path)) }
    }
}
