import CommonMarkKit
import Foundation
import GitKit

/// Options that change which post-mortems an archive holds.
public struct ArchiveOptions: Sendable {
    /// Keep `status: draft` post-mortems.
    public var includeDrafts = false
    /// Keep only `visibility: public` post-mortems (the public edition): nothing of the others is kept,
    /// not even their ids in other post-mortems' `related` lists.
    public var publicOnly = false
    /// Render each body to HTML; `check` and `report` read structure only and skip it.
    public var renderHTML = true
    /// The files whose bodies are read (nil: every file's). The others are read for their front matter only
    /// (`DocumentParser.parse(_:history:body:)`): `check` needs no more of the files it does not report on.
    public var readBodies: Set<String>? = nil
    /// Keep each parsed body's cmark-gfm tree (`Archive.bodyTrees`), for the rules of `hindsight check`. Only
    /// without a parse cache: a cached parse has no tree.
    public var keepsBodyTrees = false

    public init(includeDrafts: Bool = false, publicOnly: Bool = false, renderHTML: Bool = true, readBodies: Set<String>? = nil) {
        self.includeDrafts = includeDrafts
        self.publicOnly = publicOnly
        self.renderHTML = renderHTML
        self.readBodies = readBodies
    }
}

/// Builds the archive from a snapshot: parses every file (in parallel), checks the collection, groups it.
public enum ArchiveBuilder {
    /// Parses and assembles; returns the archive and every diagnostic, sorted by place.
    ///
    /// `progress` is called from worker threads with the number of files parsed so far. With a `cache`, files
    /// parsed by the last build from the same inputs are taken from it, and every result is kept for the next.
    ///
    /// A snapshot that left its files unread (`SourceSnapshot.unreadContents`) should go through
    /// `readUncached` first; a file still unread whose cached parse turns out damaged is read here, and one that
    /// cannot be read is an error on that file.
    public static func build(
        _ snapshot: SourceSnapshot, options: ArchiveOptions = ArchiveOptions(), cache: ParseCache? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> (Archive, [Diagnostic]) {
        let parser = DocumentParser(configuration: snapshot.configuration, renderHTML: options.renderHTML)
        var (results, keys) = parse(snapshot, with: parser, readBodies: options.readBodies, cache: cache, progress: progress)
        cache?.finish()
        decideDateOrder(&results, snapshot: snapshot, options: options)
        var (archive, diagnostics) = finish(results, snapshot: snapshot, options: options)
        for (file, key) in zip(snapshot.files, keys) { archive.parseKeys[file.path] = key }
        return (archive, diagnostics)
    }

    /// `build`, for a snapshot read without history: a file that gives no date of its own (front matter, file
    /// name, timeline, `started`) is dated by the commit that added it when `lateHistories` finds one. It is
    /// asked once, for all such files, so `hindsight check` walks history only for the files that need it.
    public static func build(
        _ snapshot: SourceSnapshot, options: ArchiveOptions = ArchiveOptions(),
        lateHistories: (Set<String>) throws -> [String: History]
    ) throws -> (Archive, [Diagnostic]) {
        let parser = DocumentParser(configuration: snapshot.configuration, renderHTML: options.renderHTML)
        var results: [(PostMortem?, [Diagnostic])]
        var trees: [String: MarkdownNode] = [:]
        if options.keepsBodyTrees {
            let (files, histories, readBodies) = (snapshot.files, snapshot.histories, options.readBodies)
            let parsed = Parallel.map(files.count) { index in
                parser.parseKeepingTree(
                    files[index], history: histories[files[index].path], body: readBodies?.contains(files[index].path) ?? true)
            }
            results = parsed.map { ($0.0, $0.1) }
            for (file, result) in zip(files, parsed) { trees[file.path] = result.2 }
        } else {
            results = parse(snapshot, with: parser, readBodies: options.readBodies, cache: nil, progress: nil).results
        }
        // Files read for their front matter only have no timeline or file-name date to go by: never asked for.
        let undated = Set(results.compactMap { result in
            result.0.flatMap { pm in
                pm.dateSource == .unknown && snapshot.histories[pm.sourcePath] == nil
                    && options.readBodies?.contains(pm.sourcePath) ?? true ? pm.sourcePath : nil
            }
        })
        if undated.isEmpty == false {
            let found = try lateHistories(undated)
            for (index, file) in snapshot.files.enumerated() {
                if let history = found[file.path] {
                    results[index] = parser.parse(file, history: history, body: options.readBodies?.contains(file.path) ?? true)
                }
            }
        }
        decideDateOrder(&results, snapshot: snapshot, options: options)
        var (archive, diagnostics) = finish(results, snapshot: snapshot, options: options)
        archive.bodyTrees = trees
        return (archive, diagnostics)
    }

    /// Without `date_order`, the archive's unambiguous numeric dates decide how its ambiguous ones read: when
    /// they lean one way, the files with an ambiguous date are parsed again in that order (and are not warned
    /// about). Without any, the month-first reading and its warning stand.
    static func decideDateOrder(
        _ results: inout [(PostMortem?, [Diagnostic])], snapshot: SourceSnapshot, options: ArchiveOptions
    ) {
        guard snapshot.configuration.dateOrder == nil else { return }
        let ambiguous = results.indices.filter { results[$0].0?.dateOrder.ambiguous == true }
        guard ambiguous.isEmpty == false else { return }
        let monthFirst = results.reduce(0) { $0 + ($1.0?.dateOrder.monthFirst ?? 0) }
        let dayFirst = results.reduce(0) { $0 + ($1.0?.dateOrder.dayFirst ?? 0) }
        guard monthFirst != dayFirst else { return }
        var configuration = snapshot.configuration
        configuration.dateOrder = dayFirst > monthFirst ? .dmy : .mdy
        let parser = DocumentParser(configuration: configuration, renderHTML: options.renderHTML)
        // Results are in the snapshot's order. A file whose parse came from the cache is read now, so a rebuild
        // reads it as a full build does.
        for index in ambiguous where index < snapshot.files.count {
            var file = snapshot.files[index]
            let path = file.path
            if file.isUnread {
                guard let reader = snapshot.unreadContents, case .success(let read) = reader.read([file])[0] else { continue }
                file = read
            }
            var reparsed = parser.parse(
                file, history: snapshot.histories[path], body: options.readBodies?.contains(path) ?? true)
            reparsed.0?.dateOrder.ambiguous = true
            results[index] = reparsed
        }
    }

    /// Reads the files of a snapshot that left them unread (`SourceSnapshot.unreadContents`) whose parse `cache`
    /// does not hold: on a rebuild, the one or two files a commit changed. Throws, naming the file, when one
    /// cannot be read (a damaged repository).
    public static func readUncached(
        _ snapshot: inout SourceSnapshot, options: ArchiveOptions = ArchiveOptions(), cache: ParseCache?
    ) throws {
        guard let reader = snapshot.unreadContents else { return }
        let files = snapshot.files
        let keys = self.keys(snapshot, parser: DocumentParser(configuration: snapshot.configuration, renderHTML: options.renderHTML),
            readBodies: options.readBodies, cache: cache)
        let wanted = files.indices.filter { index in keys[index].map { cache?.contains($0) ?? false } != true }
        for (index, read) in zip(wanted, reader.read(wanted.map { files[$0] })) {
            snapshot.files[index] = try read.get()
        }
    }

    /// Each file's parse key (nil without a cache, or when hashing failed).
    private static func keys(
        _ snapshot: SourceSnapshot, parser: DocumentParser, readBodies: Set<String>?, cache: ParseCache?
    ) -> [ObjectID?] {
        let (files, histories) = (snapshot.files, snapshot.histories)
        guard let cache else { return Array(repeating: nil, count: files.count) }
        // `readUncached` and `build` ask for the same keys: made once.
        return cache.keys(files.map { ($0.path, $0.blobID, histories[$0.path]) }, parser: parser, readBodies: readBodies) {
            Parallel.map(files.count) { index in
                ParseCache.key(
                    files[index], history: histories[files[index].path], body: readBodies?.contains(files[index].path) ?? true,
                    parser: parser)
            }
        }
    }

    /// Every file parsed, in the snapshot's order, on every core, with its parse key when parsed through a cache.
    private static func parse(
        _ snapshot: SourceSnapshot, with parser: DocumentParser, readBodies: Set<String>?, cache: ParseCache?,
        progress: (@Sendable (Int, Int) -> Void)?
    ) -> (results: [(PostMortem?, [Diagnostic])], keys: [ObjectID?]) {
        let files = snapshot.files
        let histories = snapshot.histories
        let reader = snapshot.unreadContents
        let keys = self.keys(snapshot, parser: parser, readBodies: readBodies, cache: cache)
        let counter = Counter()
        let parsed = Parallel.map(files.count) { index -> ((PostMortem?, [Diagnostic]), ObjectID?) in
            let made: @Sendable () -> (result: (PostMortem?, [Diagnostic]), keep: Bool) = {
                var file = files[index]
                if file.isUnread, let reader {
                    // Its cached parse was listed but is damaged (or, later, its body): read it now.
                    switch reader.read([file])[0] {
                    case .success(let read): file = read
                    case .failure(let error):
                        // Not kept: the object may be readable next time.
                        return ((nil, [.error(error.description, at: SourceLocation(path: file.path))]), false)
                    }
                }
                let body = readBodies?.contains(file.path) ?? true
                return (parser.parse(file, history: histories[file.path], body: body), true)
            }
            let result = cache?.parse(key: keys[index], orElse: made) ?? made().result
            if let progress { progress(counter.increment(), files.count) }
            return (result, keys[index])
        }
        return (parsed.map(\.0), parsed.map(\.1))
    }

    /// The parse results as an archive, with every diagnostic sorted by place.
    private static func finish(
        _ results: [(PostMortem?, [Diagnostic])], snapshot: SourceSnapshot, options: ArchiveOptions
    ) -> (Archive, [Diagnostic]) {
        var diagnostics = snapshot.diagnostics
        var parsed: [PostMortem] = []
        for (postMortem, found) in results {
            diagnostics += found
            if let postMortem { parsed.append(postMortem) }
        }
        let archive = assemble(parsed, snapshot: snapshot, options: options, diagnostics: &diagnostics)
        diagnostics.sort { ($0.location?.path ?? "", $0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.path ?? "", $1.location?.line ?? 0, $1.location?.column ?? 0) }
        return (archive, diagnostics)
    }

    /// Checks ids and links across the collection and builds the taxonomies.
    static func assemble(
        _ parsed: [PostMortem], snapshot: SourceSnapshot, options: ArchiveOptions, diagnostics: inout [Diagnostic]
    ) -> Archive {
        // Duplicate ids are errors on every file involved, each naming the others. Each id's first file is noted,
        // and lists made only for ids used twice: a list per post-mortem cost more than the check.
        var firstByID: [String: Int] = [:]
        firstByID.reserveCapacity(parsed.count)
        var duplicates: [String: [Int]] = [:]
        for index in parsed.indices {
            let id = parsed[index].id
            if let first = firstByID[id] {
                duplicates[id, default: [first]].append(index)
            } else {
                firstByID[id] = index
            }
        }
        for (id, group) in duplicates.sorted(by: { $0.key < $1.key }) {
            for index in group {
                let path = parsed[index].sourcePath
                let others = group.map { parsed[$0].sourcePath }.filter { $0 != path }
                diagnostics.append(.error(
                    "duplicate id '\(id)': also used by \(others.joined(separator: ", "))",
                    at: parsed[index].keyLocations["id"] ?? SourceLocation(path: path)))
            }
        }

        // Newest first, then by id. Sorted by keys read once into one array: comparing post-mortems read two of
        // them for every comparison.
        let order = parsed.indices.filter {
            (options.includeDrafts || parsed[$0].status != .draft) && (options.publicOnly == false || parsed[$0].visibility == .public)
        }
        let sortKeys = parsed.map { (date: $0.date, id: $0.id) }
        let sorted = order.sorted { left, right in
            let (lhs, rhs) = (sortKeys[left], sortKeys[right])
            switch (lhs.date, rhs.date) {
            case let (l?, r?) where l != r: return l > r
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.id < rhs.id
            }
        }
        var kept = sorted.map { parsed[$0] }
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(kept.count)
        for (index, original) in sorted.enumerated() where indexByID[sortKeys[original].id] == nil {
            indexByID[sortKeys[original].id] = index
        }

        // Related ids must name a post-mortem of the archive (drafts count when they exist at all).
        for postMortem in kept {
            for id in postMortem.related where firstByID[id] == nil {
                diagnostics.append(.warning(
                    "related post-mortem '\(id)' does not exist",
                    at: postMortem.keyLocations["related"] ?? postMortem.keyLocations["repeat_of"]
                        ?? SourceLocation(path: postMortem.sourcePath)))
            }
        }

        if options.publicOnly {
            // A public page never names an internal post-mortem, not even by id.
            let keptIDs = Set(kept.map(\.id))
            for index in kept.indices { kept[index].related.removeAll { keptIDs.contains($0) == false } }
        }

        let config = snapshot.configuration
        // The groupings are independent walks of the archive: on every core, in one loop (a loop within a half
        // of `Parallel.both` would get one core).
        let archived = kept
        let grouped = Parallel.map(5) { walk -> (groups: [FactorGroup], terms: [Term]) in
            switch walk {
            case 0: return (Self.factorGroups(archived, order: config.factorTypes), [])
            case 1: return ([], Self.terms(archived, order: nil) { $0.services })
            case 2: return ([], Self.terms(archived, order: config.severities) { $0.severity.map { [$0] } ?? [] })
            case 3: return ([], Self.terms(archived, order: nil) { $0.tags })
            default: return ([], Self.terms(archived, order: nil, descending: true) { $0.date.map { [String($0.year)] } ?? [] })
            }
        }
        let (groups, terms) = (grouped[0].groups, grouped.dropFirst().map(\.terms))
        return Archive(
            configuration: config, revision: snapshot.revision, postMortems: archived, indexByID: indexByID,
            factorGroups: groups, services: terms[0], severities: terms[1], tags: terms[2], years: terms[3])
    }

    /// Groups post-mortems by the names `names` gives; names that differ only by case are one term.
    static func terms(
        _ postMortems: [PostMortem], order: [String]?, descending: Bool = false, _ names: (PostMortem) -> [String]
    ) -> [Term] {
        var bySlug: [String: (name: String, members: [Int])] = [:]
        var slugs = Slugs()
        // A post-mortem names a few terms: a list is cheaper than a set made for each.
        var seen: [String] = []
        for (index, postMortem) in postMortems.enumerated() {
            seen.removeAll(keepingCapacity: true)
            for name in names(postMortem) {
                let slug = slugs(name)
                guard slug.isEmpty == false, seen.contains(slug) == false else { continue }
                seen.append(slug)
                bySlug[slug, default: (name, [])].members.append(index)
            }
        }
        var terms = bySlug.map { Term(name: $0.value.name, slug: $0.key, members: $0.value.members) }
        if let order {
            let rank = Dictionary(order.enumerated().map { (Normalise.slug($0.element), $0.offset) }, uniquingKeysWith: { a, _ in a })
            terms.sort { (rank[$0.slug] ?? Int.max, $0.slug) < (rank[$1.slug] ?? Int.max, $1.slug) }
        } else if descending {
            terms.sort { $0.slug > $1.slug }
        } else {
            terms.sort { $0.name.lowercased() < $1.name.lowercased() }
        }
        return terms
    }

    /// Factor groups: the configured types first (even when empty), then others by name, Unclassified last.
    ///
    /// Types are one group when their slugs are equal (`DNS` and `dns`, `Process` and `Process!`), since they
    /// share a page; the group takes the configured spelling, else the first met.
    static func factorGroups(_ postMortems: [PostMortem], order configured: [String]) -> [FactorGroup] {
        var seen = Set<String>()
        let order = configured.filter { seen.insert(Normalise.slug($0)).inserted }
        var nameBySlug = Dictionary(order.map { (Normalise.slug($0), $0) }, uniquingKeysWith: { first, _ in first })
        var byType: [String: [FactorReference]] = [:]
        var slugs = Slugs()
        for (pmIndex, postMortem) in postMortems.enumerated() {
            for (factorIndex, factor) in postMortem.factors.enumerated() {
                let slug = slugs(factor.type)
                let name = nameBySlug[slug, default: factor.type]
                nameBySlug[slug] = name
                byType[name, default: []].append(FactorReference(postMortem: pmIndex, factor: factorIndex))
            }
        }
        let others = byType.keys.filter { order.contains($0) == false && $0 != "Unclassified" }.sorted()
        let names = order + others + (byType["Unclassified"] == nil ? [] : ["Unclassified"])
        return names.map { type in
            let refs = byType[type] ?? []
            return FactorGroup(
                type: type, slug: Normalise.slug(type), factors: refs,
                incidentCount: Set(refs.map(\.postMortem)).count)
        }
    }
}
