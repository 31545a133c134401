import Foundation
import HindsightCore

/// What a build did, for the summary line.
public struct BuildReport: Sendable {
    public let postMortems: Int
    public let pages: Int
    /// Pages taken unchanged from the previous build instead of rendered (`PageCache`).
    public let reusedPages: Int
    public let files: Int
    public let seconds: Double
    public let output: String
    public let origin: String
    public let diagnostics: [Diagnostic]
    /// What the build cleared beside the output before it began: folders of builds that were killed.
    public var leftovers = SiteWriter.Leftovers()
}

/// Options of one build.
public struct BuildOptions: Sendable {
    public var source: SourceLocator
    public var output: URL
    public var baseURL: String?
    public var includeDrafts: Bool
    /// The public edition: only `visibility: public` post-mortems, nothing of the others.
    public var publicOnly: Bool
    /// Whether the build's values (the archive, its history, the insights) are left for the process's exit to
    /// reclaim instead of freed one by one when the build returns: for a command that exits right after, where
    /// freeing hundreds of megabytes of small objects one by one is time spent for nothing. Never for a process
    /// that builds again (`hindsight serve`).
    public var leavesValuesToExit = false

    public init(
        source: SourceLocator, output: URL, baseURL: String? = nil, includeDrafts: Bool = false, publicOnly: Bool = false
    ) {
        self.source = source
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
        self.publicOnly = publicOnly
    }
}

/// The pipeline end to end: source → documents → archive → outputs → writer.
public enum Site {
    /// The generator's name and version, shown in the footer and the export.
    public static let generator = "Hindsight 0.1.0"

    /// A stage of the build, for progress reports.
    public enum Stage: String, Sendable {
        case reading = "reading", parsing = "parsing", rendering = "rendering", writing = "writing"
    }

    /// Builds the site. Throws `BuildFailure` (every diagnostic) when the content has errors; the previous
    /// output is then left untouched.
    ///
    /// The stages run one after another; what runs beside them is started by `BuildRun` as soon as its inputs
    /// are known: the staging folder (listing the previous site) beside reading and parsing, the theme beside
    /// parsing, the page keys, search index and staging beside the insights, and the history cache's save.
    public static func build(
        _ options: BuildOptions, progress: (@Sendable (Stage, Int, Int) -> Void)? = nil
    ) throws -> BuildReport {
        let clock = ContinuousClock.now
        // Publishing replaces the output folder's contents: never the archive's own folder or one above it.
        try SiteWriter.refuseUnsafeOutput(options.output, source: options.source)
        // One build at a time per output folder: a second one is refused before it does any work.
        let outputLock = try SiteWriter.OutputLock(for: options.output)
        defer { outputLock.release() }
        let run = BuildRun(options: options, lock: outputLock, progress: progress)
        defer { run.finish() }
        let source: SourceSnapshot, archive: Archive, diagnostics: [Diagnostic], insights: Insights
        let prepared: BuildRun.Prepared, paths: [String]
        do {
            progress?(.reading, 0, 1)
            var read = try run.readSource()
            (archive, diagnostics) = try run.parse(&read)
            source = read
            progress?(.rendering, 0, 1)
            (insights, prepared) = try run.analyse(archive, source: source)
            paths = try run.render(archive, insights: insights, prepared: prepared, resources: source.resources)
        } catch {
            run.discard()
            throw error
        }
        progress?(.writing, 0, 1)
        try run.publish(prepared)
        if options.leavesValuesToExit { KeptUntilExit.keep((archive, insights, source, prepared)) }
        let elapsed = ContinuousClock.now - clock
        return BuildReport(
            postMortems: archive.postMortems.count,
            pages: paths.filter { $0.hasSuffix(".html") }.count, reusedPages: prepared.pageCache.reusedCount,
            files: paths.count, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            output: options.output.path, origin: source.origin, diagnostics: diagnostics + insights.diagnostics,
            leftovers: prepared.staging.leftovers)
    }

    /// The folder beside `output` that keeps what the next build reuses: `.<name>.cache/` with the page
    /// fingerprints (`pages`), the file versions of the history walk (`history`), each file's parse result
    /// (`parse`), when action items were completed (`completions`), the repeats found (`repeats`), each
    /// post-mortem's share of the search index (`search`) and where each entry of the JSON export is (`export`).
    /// The file whose change time says when the site in `output` was last published: a file of the site changed
    /// after it was edited by hand, and is made again rather than reused.
    static func publishedStamp(for output: URL) -> String {
        cacheFolder(for: output).appendingPathComponent("published").path
    }

    public static func cacheFolder(for output: URL) -> URL {
        let target = output.standardizedFileURL
        return target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).cache")
    }

    /// Images and attachments of page bundles, published beside their post-mortem's page.
    public static func bundleResources(_ archive: Archive, resources: [SourceFile]) -> [OutputFile] {
        var out: [OutputFile] = []
        for pm in archive.postMortems {
            let name = pm.sourcePath.split(separator: "/").last.map { $0.lowercased() } ?? ""
            guard ["index.md", "readme.md", "index.markdown", "readme.markdown"].contains(name) else { continue }
            let folder = String(pm.sourcePath.dropLast(name.count))
            for resource in resources where resource.path.hasPrefix(folder) {
                let relative = String(resource.path.dropFirst(folder.count))
                out.append(OutputFile(path: SiteURLs.Path.postMortem(pm.id) + relative, data: resource.data))
            }
        }
        return out
    }

    /// Every output file but the sitemap, as jobs for `PageSet.run`. Pages, the JSON export and the search index
    /// are independent: one pool of jobs across the cores. `searchFiles`: the search index, when it was patched
    /// from `searchCache` already.
    /// With a `cache`, pages whose template values are unchanged since the last build are reused.
    static func renderJobs(
        _ archive: Archive, theme: Theme, insights: Insights?, cache: PageCache?, searchCache: SearchCache? = nil,
        searchFiles: [OutputFile]? = nil, exportCache: CacheFile? = nil, previous previousSite: PreviousSite = PreviousSite(nil)
    ) -> [PageSet.Job] {
        let insights = insights ?? Insights.compute(archive)
        let makeExport = { @Sendable in
            try JSONExport.file(archive, generator: generator, insights: insights, cache: exportCache, previous: previousSite)
        }
        // Over a previous site the export (mostly copied from the published one) starts at once, while the page
        // jobs are set up on this thread, which leaves a core idle. A first build makes it in the pool: beside the
        // pool, on cores of its own, it raised a full build's peak memory by a ninth (its entries and the search
        // index's postings at their largest at once).
        let export = previousSite.path == nil ? nil : Background(makeExport)
        // The two long jobs go first, so they do not start last and leave a core idle at the end.
        var jobs: [PageSet.Job] = [
            // The index as patched already (`SearchIndexBuilder.patch`), else built whole.
            { try searchFiles ?? SearchIndexBuilder.whole(archive, cache: searchCache) },
            { [try export?.value ?? makeExport()] },
        ]
        jobs += PageSet(archive: archive, theme: theme, generator: generator, insights: insights, cache: cache).jobs()
        let assets = theme.assets
        jobs.append { assets.sorted(by: { $0.key < $1.key }).map { OutputFile(path: "assets/" + $0.key, data: $0.value) } }
        return jobs
    }
}

/// One build's stages and the work that runs beside them (`Site.build`). Each stage is a method; each
/// `Background` value is started by the stage whose output it needs and waited for by the one that uses it.
final class BuildRun: @unchecked Sendable {
    /// What rendering needs besides the archive and the insights, made beside the insights.
    struct Prepared {
        let theme: Theme
        let staging: SiteWriter.Staging
        let pageCache: PageCache
        let searchCache: SearchCache
        /// The search index patched from the last build's, nil when it is built whole.
        let searchFiles: [OutputFile]?
    }

    let options: BuildOptions
    let progress: (@Sendable (Site.Stage, Int, Int) -> Void)?
    /// What a build keeps for the next one: beside the output, never in it or in the archive.
    let cache: URL
    private var timer = StageTimer()
    /// The previous site listed and the staging folder made while the source is read and parsed.
    private let staging: Background<SiteWriter.Staging>
    private var theme: Background<Theme>?
    private var historySave: Background<Void>?

    init(options: BuildOptions, lock: SiteWriter.OutputLock, progress: (@Sendable (Site.Stage, Int, Int) -> Void)?) {
        self.options = options
        self.progress = progress
        cache = Site.cacheFolder(for: options.output)
        staging = Background { try SiteWriter.Staging(for: options.output, holding: lock) }
    }

    private func cacheFile(_ name: String, format: String) -> CacheFile {
        CacheFile(file: cache.appendingPathComponent(name), format: format, generator: Site.generator)
    }

    /// Source: the revision, its files (the Markdown only where the parse cache lacks it) and their history.
    /// The history cache is saved, and the theme loaded, beside the later stages.
    func readSource() throws -> SourceSnapshot {
        let historyCache = HistoryCache(file: cache.appendingPathComponent("history"))
        var source = try SourceReader.read(options.source, historyCache: historyCache, deferringContents: true)
        if let baseURL = options.baseURL { source.configuration.baseURL = baseURL }
        let (revision, versions, folder) = (source.revision, source.versions, source.configuration.contentFolder)
        historySave = Background {
            if let revision, let versions { historyCache.save(head: revision.id, folder: folder, versions: versions) }
        }
        theme = Background { [themeFiles = source.themeFiles] in try Theme.load(overrides: themeFiles) }
        timer.lap("read source and history")
        return source
    }

    /// Documents and archive: every file parsed (through the parse cache), then the archive built. Content
    /// errors stop the build here.
    func parse(_ source: inout SourceSnapshot) throws -> (Archive, [Diagnostic]) {
        var parsing: (@Sendable (Int, Int) -> Void)?
        if let progress { parsing = { done, total in progress(.parsing, done, total) } }
        let archiveOptions = ArchiveOptions(includeDrafts: options.includeDrafts, publicOnly: options.publicOnly)
        let parseCache = ParseCache(file: cache.appendingPathComponent("parse"), generator: Site.generator)
        try ArchiveBuilder.readUncached(&source, options: archiveOptions, cache: parseCache)
        let (archive, diagnostics) = ArchiveBuilder.build(source, options: archiveOptions, cache: parseCache, progress: parsing)
        // The parsed archive holds all the pages need: the raw Markdown can go (tens of megabytes at 10,000).
        source.files.removeAll()
        timer.lap("parse")
        if diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(diagnostics: diagnostics) }
        return (archive, diagnostics)
    }

    /// The insights, and beside them what rendering needs that they do not: the theme, the page keys, the staging
    /// folder and, on a rebuild, the search index patched.
    func analyse(_ archive: Archive, source: SourceSnapshot) throws -> (Insights, Prepared) {
        let (options, cache, theme, staging) = (options, cache, theme!, staging)
        // On a thread of its own, not as a half of `Parallel.both`: work spread across the cores from within such
        // a half runs on one core only (libdispatch divides the cores among nested loops).
        let preparing = Background { () -> Prepared in
            let (theme, staging) = (try theme.value, try staging.value)
            let pageCache = PageCache(
                file: cache.appendingPathComponent("pages"), output: options.output, theme: theme, generator: Site.generator,
                previousFiles: staging.currentFiles)
            let searchCache = SearchCache(
                file: cache.appendingPathComponent("search"), generator: Site.generator, output: options.output,
                previousFiles: staging.currentFiles)
            return Prepared(
                theme: theme, staging: staging, pageCache: pageCache, searchCache: searchCache,
                searchFiles: try SearchIndexBuilder.patch(archive, cache: searchCache))
        }
        let insights: Insights
        do {
            insights = try InsightsReader.read(
                source, archive: archive,
                cache: cacheFile("completions", format: "hindsight-completions-1"),
                repeatsCache: cacheFile("repeats", format: "hindsight-repeats-1"))
        } catch {
            preparing.wait()
            throw error
        }
        let prepared = try preparing.value
        timer.lap("insights, theme and search index")
        return (insights, prepared)
    }

    /// Outputs: pages, search index, feeds, the JSON export and page bundles' files, written to the staging folder
    /// as they are made; then the sitemap of what was written.
    func render(_ archive: Archive, insights: Insights, prepared: Prepared, resources: [SourceFile]) throws -> [String] {
        let jobs = Site.renderJobs(
            archive, theme: prepared.theme, insights: insights, cache: prepared.pageCache, searchCache: prepared.searchCache,
            searchFiles: prepared.searchFiles, exportCache: cacheFile("export", format: "hindsight-export-2"),
            previous: PreviousSite(options.output, files: prepared.staging.currentFiles))
            + [{ Site.bundleResources(archive, resources: resources) }]
        var written = try PageSet.run(jobs, write: prepared.staging.write)
        // A body is read from the parse cache when a page needs it; one damaged since the parse stage checked
        // it, in a file that cannot be read again either, would have been published empty.
        if let lost = archive.postMortems.first(where: \.bodyIsLost) {
            throw BuildFailure(diagnostics: [.error(
                "the parsed body could not be read back from the build cache, nor the file again; build again",
                at: SourceLocation(path: lost.sourcePath))])
        }
        timer.lap("render and write")
        if let sitemap = Sitemap.render(written, archive: archive) {
            try prepared.staging.write(sitemap)
            written.append(sitemap.path)
        }
        return written
    }

    /// Writer: the staging folder swapped into place. The page keys describe the site being replaced: gone
    /// before the swap, this build's after it, so they never describe a site that is not there.
    func publish(_ prepared: Prepared) throws {
        prepared.pageCache.discard()
        let (committed, keys) = Parallel.both({ Result { try prepared.staging.commit() } }, { prepared.pageCache.encoded() })
        try committed.get()
        SiteWriter.stamp(Site.publishedStamp(for: options.output))
        prepared.pageCache.save(keys)
        historySave?.wait()
        timer.lap("swap")
    }

    /// A failed build's staging folder goes.
    func discard() {
        theme?.wait()
        (try? staging.value)?.discard()
    }

    /// Waits for the work beside the stages (the history cache's save), and prints the last timing line.
    func finish() {
        historySave?.wait()
        timer.finish()
    }
}

/// Values kept alive until the process exits (`BuildOptions.leavesValuesToExit`).
private final class KeptUntilExit: @unchecked Sendable {
    let value: Any
    private init(_ value: Any) { self.value = value }

    /// Retains `value` for good: nothing releases it, so the exit reclaims its memory at once.
    static func keep(_ value: Any) { _ = Unmanaged.passRetained(KeptUntilExit(value)) }
}

/// Wall time per stage, printed to standard error when `HINDSIGHT_TIMINGS` is set: where a build's time
/// goes, without a profiler (see docs/performance.md).
struct StageTimer {
    /// Whether timings are printed (`HINDSIGHT_TIMINGS` is set).
    static let enabled = ProcessInfo.processInfo.environment["HINDSIGHT_TIMINGS"] != nil
    private var last = ContinuousClock.now
    private var lastProcessor = StageTimer.processorSeconds()
    /// Processor time spent making pages (keys, view models and the template engine), summed over every
    /// thread (`PageRenderer.render` adds to it when enabled): processor time, so a busy machine does not
    /// inflate it.
    static let templates = DurationTotal()

    mutating func lap(_ stage: String) {
        guard Self.enabled else { return }
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // Processor time over wall time: how many cores the stage kept busy.
        let processor = Self.processorSeconds()
        let cores = ms > 0 ? (processor - lastProcessor) * 1000 / ms : 0
        lastProcessor = processor
        FileHandle.standardError.write(Data(
            "timing: \(stage): \(Int(ms.rounded())) ms, \(String(format: "%.1f", cores)) cores, \(Self.memory())\n".utf8))
    }

    /// The calling thread's processor time so far.
    static func threadProcessorTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// User and system time of the process so far, in seconds.
    private static func processorSeconds() -> Double {
        let usage = processorUsage()
        return usage.user + usage.system
    }

    /// User and system time of the process so far, in seconds each.
    private static func processorUsage() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    /// Prints a line about what a stage did (how the search index was made), when timings are printed.
    static func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("timing: \(text)\n".utf8))
    }

    /// The last line: processor time of the whole build and the pages' part of it.
    func finish() {
        guard Self.enabled else { return }
        let (user, system) = Self.processorUsage()
        let templates = Self.templates.seconds
        let line = "timing: processor time \(Self.seconds(user)) s user + \(Self.seconds(system)) s system; "
            + "pages (keys, view models, templates) \(Self.seconds(templates)) s of processor time on all threads\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func seconds(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }

    /// Resident and peak resident memory from /proc (Linux), e.g. `rss 310 MB, peak 512 MB`.
    static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func megabytes(_ key: String) -> String {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
                let kB = Int(line.split(separator: " ").dropFirst().first ?? "")
            else { return "?" }
            return "\(kB / 1024) MB"
        }
        return "rss \(megabytes("VmRSS")), peak \(megabytes("VmHWM"))"
    }
}

/// A sum of durations added from many threads.
final class DurationTotal: @unchecked Sendable {
    private var total = Duration.zero
    private let lock = NSLock()

    func add(_ duration: Duration) { lock.withLock { total += duration } }

    var seconds: Double {
        lock.withLock { Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18 }
    }
}
