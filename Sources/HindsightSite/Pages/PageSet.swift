import Dispatch
import Foundation
import HindsightCore

/// A file of the finished site: its path below the output folder and its bytes.
public struct OutputFile: Sendable, Hashable {
    public let path: String
    public let data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}

/// Renders every page of the site from the archive through the theme.
struct PageSet {
    let archive: Archive
    let theme: Theme
    let model: ViewModel
    let insights: Insights

    init(archive: Archive, theme: Theme, generator: String, insights: Insights? = nil) {
        self.archive = archive
        self.theme = theme
        self.insights = insights ?? Insights.compute(archive)
        self.model = ViewModel(
            archive: archive, urls: SiteURLs(baseURL: archive.configuration.baseURL), generator: generator,
            insights: self.insights)
    }

    /// All pages; post-mortem pages are rendered in parallel.
    func render() -> [OutputFile] {
        var files: [OutputFile] = []
        files.append(index())
        files += postMortemPages()
        files += factorPages()
        files += taxonomyPages(archive.services, taxonomy: "services", name: "Services", singular: "Service")
        files += taxonomyPages(archive.severities, taxonomy: "severity", name: "Severity", singular: "Severity")
        files += taxonomyPages(archive.tags, taxonomy: "tags", name: "Tags", singular: "Tag")
        files += taxonomyPages(archive.years, taxonomy: "years", name: "Years", singular: "Year")
        files.append(page("404.html", template: "404", context: model.common(page: "404.html", title: "Page not found")))
        files.append(searchPage())
        files += InsightsPages(archive: archive, theme: theme, model: model, insights: insights).render()
        return files
    }

    private func page(_ path: String, template: String, context: [String: Any]) -> OutputFile {
        OutputFile(path: path, data: Data(theme.render(context, template: template).utf8))
    }

    private func index() -> OutputFile {
        let path = "index.html"
        var context = model.common(page: path, title: "All post-mortems", description: "Blameless post-mortems of \(archive.configuration.title)")
        context["postmortems"] = archive.postMortems.map { model.card($0, from: path) }
        context["counts"] = [
            "postmortems": archive.postMortems.count,
            "near_misses": archive.nearMissCount,
            "factors": archive.factorCount,
            "action_items": archive.actionItemCount,
            "open_action_items": archive.openActionItemCount,
        ]
        context["factor_types"] = archive.factorGroups.filter { !$0.factors.isEmpty }.map { group -> [String: Any] in
            ["name": group.type, "href": model.urls.href(SiteURLs.Path.factorType(group.slug), from: path), "count": group.factors.count]
        }
        context["severities"] = archive.severities.map { term -> [String: Any] in
            [
                "name": term.name, "href": model.urls.href(SiteURLs.Path.term("severity", term.slug), from: path),
                "count": term.members.count, "severity_class": term.slug,
            ]
        }
        return page(path, template: "index", context: context)
    }

    /// The search page; the index it reads is written by `SearchIndexBuilder`.
    private func searchPage() -> OutputFile {
        let path = "search/index.html"
        var context = model.common(page: path, title: "Search", description: "Search every post-mortem, factor and action item")
        context["search"] = [
            "index": model.urls.root(from: path) + "search/",
            "link_suffix": model.urls.base == nil ? "index.html" : "",
            "facets": [
                ["key": "severity", "label": "Severity"],
                ["key": "type", "label": "Factor type"],
                ["key": "service", "label": "Service"],
                ["key": "year", "label": "Year"],
            ],
        ] as [String: Any]
        context["is_search"] = true
        return page(path, template: "search", context: context)
    }

    private func postMortemPages() -> [OutputFile] {
        let postMortems = archive.postMortems
        let out = OutputBuffer(count: postMortems.count)
        DispatchQueue.concurrentPerform(iterations: postMortems.count) { index in
            let pm = postMortems[index]
            let path = SiteURLs.Path.file(SiteURLs.Path.postMortem(pm.id))
            out.set(index, page(path, template: "postmortem", context: model.postMortemPage(pm, path: path)))
        }
        return out.files
    }

    private func factorPages() -> [OutputFile] {
        let listPath = "factors/index.html"
        var list = model.common(page: listPath, title: "Contributing factors")
        list["types"] = archive.factorGroups.map { group -> [String: Any] in
            [
                "name": group.type, "href": model.urls.href(SiteURLs.Path.factorType(group.slug), from: listPath),
                "count": group.factors.count, "incidents": group.incidentCount,
                "description": ViewModel.value(Self.typeDescriptions[group.type]),
            ]
        }
        var files = [page(listPath, template: "factors", context: list)]
        for group in archive.factorGroups {
            let path = SiteURLs.Path.file(SiteURLs.Path.factorType(group.slug))
            var context = model.common(page: path, title: "\(group.type) factors")
            context["type"] = ["name": group.type, "count": group.factors.count]
            context["factors"] = group.factors.map { ref -> [String: Any] in
                let pm = archive.postMortems[ref.postMortem]
                let factor = pm.factors[ref.factor]
                return [
                    "text": factor.text, "contribution": ViewModel.value(factor.contribution),
                    "pm": [
                        "title": pm.title, "href": model.urls.href(SiteURLs.Path.postMortem(pm.id), from: path),
                        "date": ViewModel.value(pm.date?.description), "severity": ViewModel.value(pm.severity),
                        "severity_class": ViewModel.value(pm.severity.map { Normalise.slug($0) }),
                    ] as [String: Any],
                ]
            }
            files.append(page(path, template: "factor", context: context))
        }
        return files
    }

    private func taxonomyPages(_ terms: [Term], taxonomy: String, name: String, singular: String) -> [OutputFile] {
        let listPath = "\(taxonomy)/index.html"
        var list = model.common(page: listPath, title: name)
        list["taxonomy"] = ["name": name, "singular": singular]
        list["terms"] = terms.map { term -> [String: Any] in
            [
                "name": term.name, "href": model.urls.href(SiteURLs.Path.term(taxonomy, term.slug), from: listPath),
                "count": term.members.count,
            ]
        }
        var files = [page(listPath, template: "terms", context: list)]
        for term in terms {
            let path = SiteURLs.Path.file(SiteURLs.Path.term(taxonomy, term.slug))
            var context = model.common(page: path, title: "\(singular): \(term.name)")
            context["taxonomy"] = ["name": name, "singular": singular, "href": model.urls.href("\(taxonomy)/", from: path)]
            context["term"] = ["name": term.name, "count": term.members.count]
            context["postmortems"] = term.members.map { model.card(archive.postMortems[$0], from: path) }
            files.append(page(path, template: "term", context: context))
        }
        return files
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

/// Pages written by index from parallel workers.
final class OutputBuffer: @unchecked Sendable {
    private var storage: [OutputFile?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ file: OutputFile) {
        lock.lock()
        storage[index] = file
        lock.unlock()
    }

    var files: [OutputFile] {
        lock.lock()
        defer { lock.unlock() }
        return storage.compactMap { $0 }
    }
}
