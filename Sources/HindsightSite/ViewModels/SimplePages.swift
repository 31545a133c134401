import Foundation
import HindsightCore
import MustacheKit

/// The search page (`search.mustache`); the index it reads is written by `SearchIndexBuilder`.
struct SearchPage: SitePage {
    struct Facet: Encodable, Sendable { let key: String, label: String }
    struct Model: TemplateRepresentable {
        struct Search { let index: String, linkSuffix: String, facets: [Facet] }
        let search: Search
        let isSearch = true

        var templateValue: TemplateValue {
            [
                "search": [
                    "index": .string(search.index), "link_suffix": .string(search.linkSuffix),
                    "facets": .list(search.facets.map { ["key": .string($0.key), "label": .string($0.label)] }),
                ],
                "is_search": .bool(isSearch),
            ]
        }
    }

    static let template = "search"
    let path = "search/index.html"
    static let facets = [
        Facet(key: "severity", label: "Severity"), Facet(key: "type", label: "Factor type"),
        Facet(key: "service", label: "Service"), Facet(key: "year", label: "Year"),
    ]

    func make(_ context: PageContext) -> PageModel<Model> {
        PageModel(
            title: "Search", description: "Search every post-mortem, factor and action item",
            model: Model(search: .init(
                index: context.root + "search/", linkSuffix: context.urls.base == nil ? "index.html" : "", facets: Self.facets)))
    }
}

/// The page a server shows for a missing address (`404.mustache`).
struct NotFoundPage: SitePage {
    struct Model: TemplateRepresentable {
        var templateValue: TemplateValue { [:] }
    }

    static let template = "404"
    let path = "404.html"

    func make(_ context: PageContext) -> PageModel<Model> { PageModel(title: "Page not found", model: Model()) }
}
