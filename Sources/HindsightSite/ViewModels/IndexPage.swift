import Foundation
import HindsightCore
import MustacheKit

/// A page of the home list (`index.mustache`): the archive's counts and browse links on the first page, then
/// post-mortems newest first.
struct IndexPage: SitePage {
    /// A factor type or severity with its page and how many it has.
    struct Group: Encodable, Sendable, TemplateRepresentable {
        let name: String
        let href: String
        let count: Int
        let severityClass: String?

        var templateValue: TemplateValue {
            ["name": .string(name), "href": .string(href), "count": .int(count), "severity_class": .init(severityClass)]
        }
    }

    struct Counts: Encodable, Sendable, TemplateRepresentable {
        let postmortems: Int, nearMisses: Int, factors: Int, actionItems: Int, openActionItems: Int

        var templateValue: TemplateValue {
            [
                "postmortems": .int(postmortems), "near_misses": .int(nearMisses), "factors": .int(factors),
                "action_items": .int(actionItems), "open_action_items": .int(openActionItems),
            ]
        }
    }

    static let template = "index"
    let path: String
    let number: Int
    let siteTitle: String
    let counts: Counts
    let factorTypes: [Group]
    let severities: [Group]
    let postmortems: [Keyed<Int>]
    let pager: PagerModel?

    struct Model: TemplateRepresentable {
        let firstPage: Bool
        let counts: Counts
        let factorTypes: [Group]
        let severities: [Group]
        let postmortems: [CardEntry]
        let pager: PagerModel?

        var templateValue: TemplateValue {
            [
                "first_page": .bool(firstPage), "counts": .init(counts), "factor_types": .init(factorTypes),
                "severities": .init(severities), "postmortems": .init(postmortems), "pager": .init(pager),
            ]
        }
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        PageModel(
            title: number == 1 ? "All post-mortems" : "All post-mortems, page \(number)",
            description: "Blameless post-mortems of \(siteTitle)",
            model: Model(
                firstPage: number == 1, counts: counts, factorTypes: factorTypes, severities: severities,
                postmortems: context.cards.list(postmortems, from: path), pager: pager))
    }
}

extension IndexPage {
    /// Page `number` of the home list.
    init(_ number: Int, of pages: Pagination, archive: Archive, links: ArchiveLinks, counts: Counts, urls: SiteURLs) {
        let path = pages.path(page: number)
        self.path = path
        self.number = number
        siteTitle = archive.configuration.title
        self.counts = counts
        factorTypes = archive.factorGroups.filter { !$0.factors.isEmpty }.map { group in
            Group(name: group.type, href: urls.href(SiteURLs.Path.factorType(group.slug), from: path), count: group.factors.count, severityClass: nil)
        }
        severities = archive.severities.map { term in
            Group(
                name: term.name, href: urls.href(SiteURLs.Path.term("severity", term.slug), from: path), count: term.members.count,
                severityClass: term.slug)
        }
        postmortems = pages.range(page: number).map(links.card)
        pager = pages.pager(page: number, urls: urls)
    }

    /// The archive's counts, made once for every page of the list.
    static func counts(_ archive: Archive) -> Counts {
        Counts(
            postmortems: archive.postMortems.count, nearMisses: archive.nearMissCount, factors: archive.factorCount,
            actionItems: archive.actionItemCount, openActionItems: archive.openActionItemCount)
    }
}
