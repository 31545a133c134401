import Foundation
import HindsightCore

/// A file of the finished site: its path below the output folder and its bytes.
public struct OutputFile: Sendable, Hashable {
    public let path: String
    public let data: Data
    /// The file is the previous build's at the same path, unchanged (`PageCache`): the writer links it
    /// without reading it again, and `data` is empty.
    let reusesPrevious: Bool
    /// The file is made of these pieces, new bytes and ranges of the previous build's file at the same path
    /// (`spliced`), and `data` is empty.
    let pieces: [Piece]?

    /// New bytes, or a range of the previous build's file.
    enum Piece: Sendable, Hashable {
        case bytes(Data)
        case previous(offset: Int, count: Int)
    }

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
        reusesPrevious = false
        pieces = nil
    }

    /// The previous build's file at `path`, known to be unchanged.
    static func previous(_ path: String) -> OutputFile { OutputFile(path: path, reusing: true, pieces: nil) }

    /// A file made of new bytes and ranges of the previous build's file at `path`, which the writer copies
    /// without holding the whole file in memory (the 44 MB export, of which an edit changes one entry).
    static func spliced(_ path: String, _ pieces: [Piece]) -> OutputFile { OutputFile(path: path, reusing: false, pieces: pieces) }

    private init(path: String, reusing: Bool, pieces: [Piece]?) {
        self.path = path
        data = Data()
        reusesPrevious = reusing
        self.pieces = pieces
    }
}

/// The site a build replaces (the output folder as it is), whose unchanged files a rebuild links instead of
/// writing them again.
struct PreviousSite: Sendable {
    /// The folder, nil when there is none.
    let path: String?
    /// Its regular files, when they were listed already (`SiteWriter.Staging.currentFiles`): looked up instead
    /// of asking the file system about each page (twelve thousand calls on a rebuild at 10,000).
    private let files: SiteWriter.Inventory?

    init(_ output: URL?, files: SiteWriter.Inventory? = nil) {
        var isFolder: ObjCBool = false
        let target = output?.standardizedFileURL.path
        path = target.flatMap { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue ? $0 : nil }
        self.files = path == nil ? nil : files
    }

    /// The previous site's file at `relative` as an output to link, when it is still there.
    func file(_ relative: String) -> OutputFile? {
        guard let path else { return nil }
        if let files { return files.contains(relative) ? .previous(relative) : nil }
        return SiteWriter.regularFileSize(path + "/" + relative) != nil ? .previous(relative) : nil
    }
}

/// Renders every page of the site from the archive through the theme.
struct PageSet {
    let archive: Archive
    let theme: Theme
    let model: ViewModel
    let insights: Insights
    let cards: CardCache
    /// The last build's pages, reused when their template values are unchanged (nil: render everything).
    let cache: PageCache?

    init(archive: Archive, theme: Theme, generator: String, insights: Insights? = nil, cache: PageCache? = nil) {
        self.archive = archive
        self.theme = theme
        self.cache = cache
        self.insights = insights ?? Insights.compute(archive)
        var model = ViewModel(
            archive: archive, urls: SiteURLs(baseURL: archive.configuration.baseURL), generator: generator,
            insights: self.insights)
        model.showsRevision = theme.showsRevision
        self.model = model
        self.cards = CardCache(archive: archive, theme: theme, model: model)
    }

    /// Makes some files of the site; jobs run in parallel, each on its own.
    typealias Job = @Sendable () throws -> [OutputFile]

    /// Every page as a job of its own, so all of them run across the cores at once (with the export and the
    /// search index, see `Site.renderJobs`): list pages and the insights do not wait on one thread.
    func jobs() -> [Job] {
        var jobs: [Job] = []
        jobs += indexJobs()
        jobs += postMortemJobs()
        jobs += factorJobs()
        jobs += taxonomyJobs(archive.services, taxonomy: "services", name: "Services", singular: "Service")
        jobs += taxonomyJobs(archive.severities, taxonomy: "severity", name: "Severity", singular: "Severity")
        jobs += taxonomyJobs(archive.tags, taxonomy: "tags", name: "Tags", singular: "Tag")
        jobs += taxonomyJobs(archive.years, taxonomy: "years", name: "Years", singular: "Year")
        jobs.append { [page("404.html", template: "404", context: model.common(page: "404.html", title: "Page not found"))] }
        jobs.append { [searchPage()] }
        jobs += InsightsPages(archive: archive, theme: theme, model: model, insights: insights, cache: cache).jobs()
        cards.prepare()
        return jobs
    }

    /// Runs `jobs` across the cores, handing each file to `write` as soon as its job is done (so the site is
    /// never held in memory whole). Returns the paths written, in job order; the first error (in job order)
    /// is rethrown.
    static func run(_ jobs: [Job], write: @escaping @Sendable (OutputFile) throws -> Void) throws -> [String] {
        try Parallel.map(jobs.count) { index in
            let files = try jobs[index]()
            for file in files { try write(file) }
            return files.map(\.path)
        }.flatMap { $0 }
    }

    private func page(
        _ path: String, template: String, context: [String: Any], inputs: String? = nil,
        resolve: ((inout [String: Any]) -> Void)? = nil
    ) -> OutputFile {
        theme.page(path, template: template, context: context, cache: cache, inputs: inputs, resolve: resolve)
    }

    /// A list page's cards, made when it is rendered.
    private static func resolveCards(_ values: inout [String: Any]) {
        Deferred.resolve(&values, at: ["postmortems"])
    }

    /// A post-mortem page's timeline chart, its links to other post-mortems and the fields made from the
    /// post-mortem alone, made when it is rendered.
    private static func resolvePostMortem(_ values: inout [String: Any]) {
        Deferred.resolve(&values, at: ["pm", "timeline_chart"])
        Deferred.resolve(&values, at: ["pm", "related"])
        Deferred.resolve(&values, at: ["pm", "similar"])
        Deferred.resolve(&values, mergingAt: ["pm"])
    }

    /// The home page: counts and browse links, then every post-mortem newest first, `paginate` per page.
    private func indexJobs() -> [Job] {
        let pages = Pagination(folder: "", count: archive.postMortems.count, size: archive.configuration.paginate)
        // The counts walk the whole archive: once, not once per page.
        let counts = [
            "postmortems": archive.postMortems.count,
            "near_misses": archive.nearMissCount,
            "factors": archive.factorCount,
            "action_items": archive.actionItemCount,
            "open_action_items": archive.openActionItemCount,
        ]
        return (1...pages.pageCount).map { number in
            cards.need(from: pages.path(page: number))
            return { [self] in [indexPage(number, of: pages, counts: counts)] }
        }
    }

    private func indexPage(_ number: Int, of pages: Pagination, counts: [String: Int]) -> OutputFile {
        let path = pages.path(page: number)
        var context = model.common(
            page: path, title: number == 1 ? "All post-mortems" : "All post-mortems, page \(number)",
            description: "Blameless post-mortems of \(archive.configuration.title)")
        context["postmortems"] = cards.list(Array(pages.range(page: number)), from: path)
        context["pager"] = pages.pager(page: number, urls: model.urls)
        context["first_page"] = number == 1
        context["counts"] = counts
        context["factor_types"] = archive.factorGroups.filter { !$0.factors.isEmpty }.map { group -> [String: Any] in
            ["name": group.type, "href": model.urls.href(SiteURLs.Path.factorType(group.slug), from: path), "count": group.factors.count]
        }
        context["severities"] = archive.severities.map { term -> [String: Any] in
            [
                "name": term.name, "href": model.urls.href(SiteURLs.Path.term("severity", term.slug), from: path),
                "count": term.members.count, "severity_class": term.slug,
            ]
        }
        return page(path, template: "index", context: context, resolve: Self.resolveCards)
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

    private func postMortemJobs() -> [Job] {
        let unchanged = unchangedPostMortemPages()
        return archive.postMortems.indices.map { index in
            { [self] in
                let pm = archive.postMortems[index]
                let path = SiteURLs.Path.postMortemFile(pm.id)
                if unchanged?[index] == true, let cache, let previous = cache.reuse(path) { return [previous] }
                // Keyed by what the page is made from, its values are built only if it is rendered.
                guard let key = model.postMortemPageKey(index, path: path) else {
                    return [page(path, template: "postmortem", context: model.postMortemPage(pm, path: path), resolve: Self.resolvePostMortem)]
                }
                let model = self.model
                let context = [Deferred.fieldsKey: Deferred(key: key) { model.postMortemPage(pm, path: path) }]
                return [page(path, template: "postmortem", context: context, inputs: model.parseKeyHex[index]) { values in
                    Deferred.resolve(&values, mergingAt: [])
                    Self.resolvePostMortem(&values)
                }]
            }
        }
    }

    /// Which post-mortems' pages are known unchanged since the last build without building their keys (nil when
    /// none are). A page shows its post-mortem, the post-mortems related to it and similar to it, and the site's
    /// values. When the site's values and the repeat detection's inputs (which hold every related id) are those
    /// the last build's pages were made with, the links between post-mortems are the same too; then a page is
    /// unchanged unless its post-mortem's parse key differs from the one it was made from, or one of its
    /// partners' does (both relations go both ways, so the partners of the changed post-mortems are the pages to
    /// make again). A rebuild after a one-file commit then looks at a dozen pages, not ten thousand.
    private func unchangedPostMortemPages() -> [Bool]? {
        guard let cache, let repeatsKey = insights.repeatsKey else { return nil }
        let context = model.postMortemPagesContext(repeatsKey: repeatsKey)
        cache.context = context
        guard cache.previousContext == context else { return nil }
        let postMortems = archive.postMortems
        var unchanged = Array(repeating: true, count: postMortems.count)
        for index in postMortems.indices {
            let path = SiteURLs.Path.postMortemFile(postMortems[index].id)
            guard let key = model.parseKeyHex[index], cache.inputs(of: path) == key else {
                unchanged[index] = false
                for partner in model.partners(of: index) { unchanged[partner] = false }
                continue
            }
        }
        return unchanged
    }

    private func factorJobs() -> [Job] {
        var jobs: [Job] = [{ [self] in
            let listPath = "factors/index.html"
            var list = model.common(page: listPath, title: "Contributing factors")
            list["types"] = archive.factorGroups.map { group -> [String: Any] in
                [
                    "name": group.type, "href": model.urls.href(SiteURLs.Path.factorType(group.slug), from: listPath),
                    "count": group.factors.count, "incidents": group.incidentCount,
                    "description": ViewModel.value(Self.typeDescriptions[group.type]),
                ]
            }
            return [page(listPath, template: "factors", context: list)]
        }]
        for group in archive.factorGroups {
            let pages = Pagination(
                folder: SiteURLs.Path.factorType(group.slug), count: group.factors.count, size: archive.configuration.paginate * 5)
            for number in 1...pages.pageCount {
                jobs.append { [self] in [factorPage(number, of: pages, group: group)] }
            }
        }
        return jobs
    }

    private func factorPage(_ number: Int, of pages: Pagination, group: FactorGroup) -> OutputFile {
        let path = pages.path(page: number)
        var context = model.common(
            page: path, title: number == 1 ? "\(group.type) factors" : "\(group.type) factors, page \(number)")
        context["type"] = ["name": group.type, "count": group.factors.count]
        context["pager"] = pages.pager(page: number, urls: model.urls)
        let (postMortems, model) = (archive.postMortems, self.model)
        let refs = group.factors[pages.range(page: number)]
        let rows = { () -> [[String: Any]] in
            refs.map { ref -> [String: Any] in
                // Fields read in place: a copy of the whole post-mortem per row cost more than the row.
                let factor = postMortems[ref.postMortem].factors[ref.factor]
                let severity = postMortems[ref.postMortem].severity
                var pm = model.postMortemLink(ref.postMortem, from: path)
                pm["severity"] = ViewModel.value(severity)
                pm["severity_class"] = ViewModel.value(severity.map { Normalise.slug($0) })
                return ["text": factor.text, "contribution": ViewModel.value(factor.contribution), "pm": pm]
            }
        }
        // Made only if the page is rendered: each row is its post-mortem's (whose parse key names the factor, the
        // title, date and severity) and the factor's place in it; links are relative to the page or the base.
        var key = "factors\u{0}\(path.utf8.count):\(path)\u{0}\(model.urls.base ?? "")"
        for ref in refs {
            guard let parseKey = model.parseKeyHex[ref.postMortem] else {
                key = ""
                break
            }
            key += "\u{0}\(parseKey):\(ref.factor)"
        }
        context["factors"] = key.isEmpty ? rows() : Deferred(key: key, make: rows)
        return page(path, template: "factor", context: context) { Deferred.resolve(&$0, at: ["factors"]) }
    }

    private func taxonomyJobs(_ terms: [Term], taxonomy: String, name: String, singular: String) -> [Job] {
        var jobs: [Job] = [{ [self] in
            let listPath = "\(taxonomy)/index.html"
            var list = model.common(page: listPath, title: name)
            list["taxonomy"] = ["name": name, "singular": singular]
            list["terms"] = terms.map { term -> [String: Any] in
                [
                    "name": term.name, "href": model.urls.href(SiteURLs.Path.term(taxonomy, term.slug), from: listPath),
                    "count": term.members.count,
                ]
            }
            return [page(listPath, template: "terms", context: list)]
        }]
        for term in terms {
            let pages = Pagination(
                folder: SiteURLs.Path.term(taxonomy, term.slug), count: term.members.count, size: archive.configuration.paginate)
            for number in 1...pages.pageCount {
                cards.need(from: pages.path(page: number))
                jobs.append { [self] in
                    [termPage(number, of: pages, term: term, taxonomy: taxonomy, name: name, singular: singular)]
                }
            }
        }
        return jobs
    }

    private func termPage(
        _ number: Int, of pages: Pagination, term: Term, taxonomy: String, name: String, singular: String
    ) -> OutputFile {
        let path = pages.path(page: number)
        var context = model.common(
            page: path, title: number == 1 ? "\(singular): \(term.name)" : "\(singular): \(term.name), page \(number)")
        context["taxonomy"] = ["name": name, "singular": singular, "href": model.urls.href("\(taxonomy)/", from: path)]
        context["term"] = ["name": term.name, "count": term.members.count]
        context["postmortems"] = cards.list(Array(term.members[pages.range(page: number)]), from: path)
        context["pager"] = pages.pager(page: number, urls: model.urls)
        return page(path, template: "term", context: context, resolve: Self.resolveCards)
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

/// Post-mortem cards rendered once per link root, when a page showing them is rendered, and shared by every
/// list showing them.
///
/// A post-mortem appears on the home page and on a page of each of its services, severity, tags and year;
/// rendering its card each time was most of the cost of those pages. Relative links differ only by the
/// page's depth, so a card is rendered at most once for each depth a list page has. A list page's fingerprint
/// holds each card's key instead of its HTML, so a page reused from the last build renders no card at all.
final class CardCache: @unchecked Sendable {
    private let archive: Archive
    private let theme: Theme
    private let model: ViewModel
    /// A page of each link root some list needs, noted while the jobs are made.
    private var needed: [String: String] = [:]
    /// Per post-mortem: the fingerprint of its card's values at `keyRoot` (set by `prepare`).
    private var keys: [String] = []
    private var keyRoot = ""
    /// Cards rendered so far, by link root.
    private var rendered: [String: [String?]] = [:]
    private let lock = NSLock()

    init(archive: Archive, theme: Theme, model: ViewModel) {
        self.archive = archive
        self.theme = theme
        self.model = model
    }

    /// Notes that a list page at `path` will show cards (before `prepare`).
    func need(from path: String) {
        let root = model.urls.root(from: path)
        if needed[root] == nil { needed[root] = path }
    }

    /// Fingerprints every card's values, across the cores. After this, `list` and `html` may run on any thread.
    ///
    /// One root is enough: a card at another root differs only in how its links start, which the key names.
    func prepare() {
        guard let (root, path) = needed.min(by: { $0.key < $1.key }) else { return }
        let (postMortems, model) = (archive.postMortems, self.model)
        keyRoot = root
        let (parseKeys, base) = (archive.parseKeys, model.urls.base ?? "")
        keys = Parallel.map(postMortems.count) { index in
            // A card is made from its post-mortem alone, whose parse key names everything it was made from.
            if let key = parseKeys[postMortems[index].sourcePath] { return "parsed\u{0}" + key.hex + "\u{0}" + base }
            return PageCache.fingerprint("card", model.card(postMortems[index], from: path))
        }
        rendered = needed.mapValues { _ in [String?](repeating: nil, count: postMortems.count) }
    }

    /// The template values of a list of post-mortems (by index) on the page at `path`: a `Deferred` of `[{card}]`,
    /// each card's HTML, keyed by the cards' keys (one key for the list: a row of its own for each card was most
    /// of what fingerprinting a reused list page cost).
    func list(_ members: [Int], from path: String) -> Deferred {
        let root = model.urls.root(from: path)
        precondition(rendered[root] != nil, "cards for \(path) were not prepared")
        var key = "cards\u{0}" + keyRoot + "\u{0}" + root
        key.reserveCapacity(key.utf8.count + members.count * 41)
        for index in members { key += "\u{0}" + keys[index] }
        return Deferred(key: key) { members.map { index -> [String: Any] in ["card": self.html(index, root: root)] } }
    }

    /// The card of post-mortem `index` for pages at link root `root`, rendered on first use.
    private func html(_ index: Int, root: String) -> String {
        if let card = lock.withLock({ rendered[root]?[index] }) { return card }
        // Rendered outside the lock; two pages asking at once both render the same bytes, and one is kept.
        let card = theme.render(model.card(archive.postMortems[index], from: needed[root] ?? ""), template: "card")
        lock.withLock { rendered[root]?[index] = card }
        return card
    }
}
