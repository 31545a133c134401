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
///
/// Only files as the last build published them are reused: one changed since (its status-change time is
/// after the build's `published` stamp in the cache folder), edited or replaced by hand, is made again, as is
/// one that is gone.
struct PreviousSite: Sendable {
    /// The folder, nil when there is none (or no stamp says when it was published).
    let path: String?
    /// Its regular files, when they were listed already (`SiteWriter.Staging.currentFiles`): a page not among
    /// them is ruled out without asking the file system.
    private let files: SiteWriter.Inventory?
    /// When the last build finished publishing, in nanoseconds since 1970.
    private let published: Int

    init(_ output: URL?, files: SiteWriter.Inventory? = nil) {
        var isFolder: ObjCBool = false
        let target = output?.standardizedFileURL
        let stamp = target.flatMap { SiteWriter.changeTime(Site.publishedStamp(for: $0)) }
        path = stamp == nil ? nil : target.map(\.path).flatMap {
            FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue ? $0 : nil
        }
        published = stamp ?? 0
        self.files = path == nil ? nil : files
    }

    /// The previous site's file at `relative` as an output to link, when it is there as it was published.
    func file(_ relative: String) -> OutputFile? {
        guard let path else { return nil }
        if let files, files.contains(relative) == false { return nil }
        guard let changed = SiteWriter.changeTime(path + "/" + relative, regularOnly: true), changed <= published else { return nil }
        return .previous(relative)
    }
}

/// Every page of the site, each a job of its own, so all of them run across the cores at once (with the export
/// and the search index, see `Site.renderJobs`).
struct PageSet {
    let archive: Archive
    let insights: Insights
    let renderer: PageRenderer
    let links: ArchiveLinks

    init(archive: Archive, theme: Theme, generator: String, insights: Insights? = nil, cache: PageCache? = nil) {
        self.archive = archive
        self.insights = insights ?? Insights.compute(archive)
        let urls = SiteURLs(baseURL: archive.configuration.baseURL)
        let site = SiteValues(
            title: archive.configuration.title, generator: generator, revision: archive.revision,
            showsRevision: theme.showsRevision, urls: urls)
        renderer = PageRenderer(
            theme: theme, urls: urls, cache: cache, cards: CardCache(postMortems: archive.postMortems, theme: theme, urls: urls),
            keys: PageKey(site: site), common: CommonFields(site, urls: urls))
        links = ArchiveLinks(archive)
    }

    /// Makes some files of the site; jobs run in parallel, each on its own.
    typealias Job = @Sendable () throws -> [OutputFile]

    /// A job rendering one page; the page's inputs are gathered when the job runs, on its core.
    private func job<Page: SitePage>(_ page: @escaping @Sendable () -> Page) -> Job {
        { [renderer] in [renderer.render(page())] }
    }

    func jobs() -> [Job] {
        let (archive, insights, links, urls) = (archive, insights, links, renderer.urls)
        var jobs: [Job] = []

        let home = Pagination(folder: "", count: archive.postMortems.count, size: archive.configuration.paginate)
        let counts = IndexPage.counts(archive)
        jobs += (1...home.pageCount).map { number in
            job { IndexPage(number, of: home, archive: archive, links: links, counts: counts, urls: urls) }
        }
        jobs += archive.postMortems.indices.map { index in
            job { PostMortemPage(index, in: archive, links: links, insights: insights) }
        }

        jobs.append(job { FactorListPage(archive.factorGroups, urls: urls) })
        for group in archive.factorGroups {
            let pages = Pagination(
                folder: SiteURLs.Path.factorType(group.slug), count: group.factors.count, size: archive.configuration.paginate * 5)
            jobs += (1...pages.pageCount).map { number in
                job { FactorPage(number, of: pages, group: group, links: links, urls: urls) }
            }
        }

        for (taxonomy, terms) in [
            (TaxonomyName(folder: "services", name: "Services", singular: "Service"), archive.services),
            (TaxonomyName(folder: "severity", name: "Severity", singular: "Severity"), archive.severities),
            (TaxonomyName(folder: "tags", name: "Tags", singular: "Tag"), archive.tags),
            (TaxonomyName(folder: "years", name: "Years", singular: "Year"), archive.years),
        ] {
            jobs.append(job { TermListPage(taxonomy, terms: terms, urls: urls) })
            for term in terms {
                let pages = Pagination(
                    folder: SiteURLs.Path.term(taxonomy.folder, term.slug), count: term.members.count,
                    size: archive.configuration.paginate)
                jobs += (1...pages.pageCount).map { number in
                    job { TermPage(number, of: pages, term: term, taxonomy: taxonomy, links: links, urls: urls) }
                }
            }
        }

        jobs.append(job { NotFoundPage() })
        jobs.append(job { SearchPage() })
        jobs.append(job { InsightsPage(archive: archive, insights: insights, urls: urls) })
        let renderer = renderer
        jobs.append { LedgerPage.all(insights, archive: archive, links: links, urls: urls).map(renderer.render) }
        jobs += AtomFeed.jobs(archive, urls: urls)
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
}
