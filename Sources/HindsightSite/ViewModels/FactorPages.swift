import Foundation
import HindsightCore
import MustacheKit

/// The list of contributing-factor types (`factors.mustache`), `/factors/`.
struct FactorListPage: SitePage {
    struct Entry: Encodable, Sendable, TemplateRepresentable {
        let name: String
        let href: String
        let count: Int
        let incidents: Int
        let description: String?

        var templateValue: TemplateValue {
            [
                "name": .string(name), "href": .string(href), "count": .int(count), "incidents": .int(incidents),
                "description": .init(description),
            ]
        }
    }

    struct Model: TemplateRepresentable {
        let types: [Entry]

        var templateValue: TemplateValue { ["types": .init(types)] }
    }

    static let template = "factors"
    let path = "factors/index.html"
    let types: [Entry]

    init(_ groups: [FactorGroup], urls: SiteURLs) {
        types = groups.map { [path] group in
            Entry(
                name: group.type, href: urls.href(SiteURLs.Path.factorType(group.slug), from: path), count: group.factors.count,
                incidents: group.incidentCount, description: Self.typeDescriptions[group.type])
        }
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        PageModel(title: "Contributing factors", model: Model(types: types))
    }

    /// One-line descriptions of the method's five types, shown on the factor list.
    static let typeDescriptions: [String: String] = [
        "Technical": "Software and hardware behaviour: bugs, limits, failure modes, missing safeguards.",
        "Process": "How work is done: deploys, reviews, change management, runbooks in use, on-call.",
        "Organizational": "Structure and incentives: ownership, staffing, priorities, communication between teams.",
        "Infrastructure": "The platform underneath: networks, DNS, certificates, capacity, providers.",
        "Documentation": "What was written down, missing, out of date or hard to find when it was needed.",
        "Unclassified": "Factors recorded without a type.",
    ]
}

/// A page of one factor type's factors across every post-mortem (`factor.mustache`), the cross-incident view.
struct FactorPage: SitePage {
    /// A factor: its post-mortem (keyed by its parse key, which names the factor) and its place in it.
    struct Member: Encodable, Sendable {
        let pm: Keyed<PostMortem>
        let factor: Int
    }

    struct Model: TemplateRepresentable {
        struct TypeModel { let name: String, count: Int }
        struct Row: TemplateRepresentable {
            struct Linked {
                let title: String, href: String, date: String?, id: String, severity: String?, severityClass: String?
            }
            let text: String
            let contribution: String?
            let pm: Linked

            var templateValue: TemplateValue {
                [
                    "text": .string(text), "contribution": .init(contribution),
                    "pm": [
                        "title": .string(pm.title), "href": .string(pm.href), "date": .init(pm.date), "id": .string(pm.id),
                        "severity": .init(pm.severity), "severity_class": .init(pm.severityClass),
                    ],
                ]
            }
        }
        let type: TypeModel
        let pager: PagerModel?
        let factors: [Row]

        var templateValue: TemplateValue {
            ["type": ["name": .string(type.name), "count": .int(type.count)], "pager": .init(pager), "factors": .init(factors)]
        }
    }

    static let template = "factor"
    let path: String
    let number: Int
    let type: String
    let count: Int
    let members: [Member]
    let pager: PagerModel?

    init(_ number: Int, of pages: Pagination, group: FactorGroup, links: ArchiveLinks, urls: SiteURLs) {
        path = pages.path(page: number)
        self.number = number
        type = group.type
        count = group.factors.count
        members = group.factors[pages.range(page: number)].map { Member(pm: links.keyed($0.postMortem), factor: $0.factor) }
        pager = pages.pager(page: number, urls: urls)
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        let rows = members.map { member in
            let pm = member.pm.value
            let factor = pm.factors[member.factor]
            let severity = pm.severity.nonEmpty
            return Model.Row(
                text: factor.text, contribution: factor.contribution.isEmpty ? nil : factor.contribution,
                pm: .init(
                    title: pm.title, href: context.href(SiteURLs.Path.postMortem(pm.id)), date: pm.date.map(Format.day), id: pm.id,
                    severity: severity, severityClass: severity.map(Format.slug)))
        }
        return PageModel(
            title: number == 1 ? "\(type) factors" : "\(type) factors, page \(number)",
            model: Model(type: .init(name: type, count: count), pager: pager, factors: rows))
    }
}
