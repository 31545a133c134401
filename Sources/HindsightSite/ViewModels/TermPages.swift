import Foundation
import HindsightCore
import MustacheKit

/// The names of a taxonomy (services, severity, tags, years) as pages show them.
struct TaxonomyName: Encodable, Sendable {
    /// The folder below the site root (`services`).
    let folder: String
    let name: String
    let singular: String
}

/// A taxonomy's list of terms (`terms.mustache`), such as `/services/`.
struct TermListPage: SitePage {
    struct Entry: Encodable, Sendable, TemplateRepresentable {
        let name: String
        let href: String
        let count: Int

        var templateValue: TemplateValue { ["name": .string(name), "href": .string(href), "count": .int(count)] }
    }

    struct Model: TemplateRepresentable {
        struct Taxonomy { let name: String, singular: String }
        let taxonomy: Taxonomy
        let terms: [Entry]

        var templateValue: TemplateValue {
            ["taxonomy": ["name": .string(taxonomy.name), "singular": .string(taxonomy.singular)], "terms": .init(terms)]
        }
    }

    static let template = "terms"
    let path: String
    let taxonomy: TaxonomyName
    let terms: [Entry]

    init(_ taxonomy: TaxonomyName, terms: [Term], urls: SiteURLs) {
        path = "\(taxonomy.folder)/index.html"
        self.taxonomy = taxonomy
        self.terms = terms.map { [path] term in
            Entry(name: term.name, href: urls.href(SiteURLs.Path.term(taxonomy.folder, term.slug), from: path), count: term.members.count)
        }
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        PageModel(
            title: taxonomy.name,
            model: Model(taxonomy: .init(name: taxonomy.name, singular: taxonomy.singular), terms: terms))
    }
}

/// A page of one term's post-mortems (`term.mustache`), such as `/services/checkout/`.
struct TermPage: SitePage {
    struct Model: TemplateRepresentable {
        struct Taxonomy { let name: String, singular: String, href: String }
        struct TermModel { let name: String, count: Int }
        let taxonomy: Taxonomy
        let term: TermModel
        let postmortems: [CardEntry]
        let pager: PagerModel?

        var templateValue: TemplateValue {
            [
                "taxonomy": ["name": .string(taxonomy.name), "singular": .string(taxonomy.singular), "href": .string(taxonomy.href)],
                "term": ["name": .string(term.name), "count": .int(term.count)], "postmortems": .init(postmortems),
                "pager": .init(pager),
            ]
        }
    }

    static let template = "term"
    let path: String
    let number: Int
    let taxonomy: TaxonomyName
    let name: String
    let count: Int
    let postmortems: [Keyed<Int>]
    let pager: PagerModel?

    init(_ number: Int, of pages: Pagination, term: Term, taxonomy: TaxonomyName, links: ArchiveLinks, urls: SiteURLs) {
        path = pages.path(page: number)
        self.number = number
        self.taxonomy = taxonomy
        name = term.name
        count = term.members.count
        postmortems = term.members[pages.range(page: number)].map(links.card)
        pager = pages.pager(page: number, urls: urls)
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        let singular = taxonomy.singular
        return PageModel(
            title: number == 1 ? "\(singular): \(name)" : "\(singular): \(name), page \(number)",
            model: Model(
                taxonomy: .init(name: taxonomy.name, singular: singular, href: context.href("\(taxonomy.folder)/")),
                term: .init(name: name, count: count), postmortems: context.cards.list(postmortems, from: path),
                pager: pager))
    }
}
