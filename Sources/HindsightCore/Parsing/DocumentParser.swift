import CommonMarkKit
import Foundation

/// Parses one post-mortem file: front matter (Yams), body (cmark-gfm), sections and the structures in them.
public struct DocumentParser: Sendable {
    public let configuration: Configuration

    /// Ids the theme uses around the body; body headings never take them.
    public static let reservedAnchors = [
        "main", "hs-title", "hs-facts", "hs-toc", "hs-factors", "hs-actions", "hs-related", "hs-history", "hs-extra",
        "hs-timeline",
    ]

    /// Whether bodies are rendered to HTML (and headings given anchors); only the site needs them.
    public let renderHTML: Bool

    /// The largest file read as a post-mortem (10 MiB). The longest real ones are well under 1 MB, even with
    /// pasted logs; anything bigger is a dump committed by mistake (or on purpose), and would make every
    /// page, the search index and each reader's download pay for it.
    public static let maximumFileSize = 10 * 1024 * 1024

    /// Everything a parse depends on besides the file and its history, as text (a `ParseCache` key's part):
    /// every configuration field, by reflection, so a setting added later is in it without a change here (the
    /// configuration holds no dictionaries, whose order would vary), and whether HTML is rendered.
    public let identity: String
    /// `identity`'s key (`ContentKey`), which cache keys name instead of the whole text (a kilobyte, in every key).
    public let identityKey: String

    public init(configuration: Configuration, renderHTML: Bool = true) {
        self.configuration = configuration
        self.renderHTML = renderHTML
        identity = "\(renderHTML)\u{0}" + String(reflecting: configuration)
        identityKey = ContentKey.of(Array(identity.utf8)).hex
    }

    /// The parsed post-mortem (nil when the file cannot be read at all) and every problem found in it.
    ///
    /// With `body: false` only the front matter is read: the post-mortem has its id, title and front-matter
    /// fields, no sections or extracted structure, and the body's problems are not reported. `hindsight
    /// check` reads the files it does not report on that way, for the ids they claim.
    public func parse(_ file: SourceFile, history: History? = nil, body: Bool = true) -> (PostMortem?, [Diagnostic]) {
        let (postMortem, diagnostics, _) = parseKeepingTree(file, history: history, body: body)
        return (postMortem, diagnostics)
    }

    /// `parse`, with the body's cmark-gfm tree when a body was parsed: `hindsight check` hands it to the rules,
    /// which then never parse the file again.
    public func parseKeepingTree(
        _ file: SourceFile, history: History? = nil, body: Bool = true
    ) -> (PostMortem?, [Diagnostic], MarkdownNode?) {
        var diagnostics: [Diagnostic] = []
        let path = file.path
        let start = SourceLocation(path: path)

        if file.data.count > Self.maximumFileSize {
            let megabytes = String(format: "%.1f", Double(file.data.count) / 1_048_576)
            return (nil, [.error(
                "the file is \(megabytes) MB; a post-mortem may be at most \(Self.maximumFileSize / 1_048_576) MB: "
                    + "keep logs and dumps out of it (link to them, or attach a file beside an index.md)", at: start)], nil)
        }
        // memchr over the bytes: Data's generic iterator cost more than Yams on a large archive.
        let head = file.data.prefix(8192)
        if head.withUnsafeBytes({ bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }) {
            return (nil, [.error("binary file: a post-mortem must be UTF-8 Markdown text", at: start)], nil)
        }
        let text: String
        if let valid = String(validating: file.data, as: UTF8.self) {
            text = valid
        } else {
            text = String(decoding: file.data, as: UTF8.self)
            diagnostics.append(.warning("the file is not valid UTF-8; invalid bytes were replaced with �", at: start))
        }

        let split: SplitDocument
        do {
            split = try FrontMatter.split(text, path: path)
        } catch {
            return (nil, diagnostics + [error], nil)
        }

        var fields = FrontMatterFields()
        var evidence = DateOrderEvidence()
        if let yaml = split.yaml {
            var frontMatter = FrontMatterParser(path: path, firstLine: split.yamlLine, configuration: configuration)
            fields = frontMatter.parse(yaml)
            evidence = frontMatter.dateOrder
            diagnostics += frontMatter.diagnostics
        }

        if let reason = Self.notAPostMortem(file, text: text, fields: fields) {
            // What is wrong with a template's placeholders is no one's problem: the note is the whole report.
            return (nil, [.note("left out: \(reason)", at: start)], nil)
        }
        if let problem = Self.quadraticBrackets(in: split.body, path: path, lineOffset: split.bodyLine - 1) {
            return (nil, diagnostics + [problem], nil)
        }
        let stem = Self.stem(of: file)
        guard body else {
            guard let id = Self.id(stem: stem, fields: fields, at: start, diagnostics: &diagnostics) else { return (nil, diagnostics, nil) }
            return (PostMortem(
                id: id, title: fields.title ?? Self.humanise(stem), sourcePath: path, blobID: file.blobID, date: fields.date,
                dateSource: fields.date == nil ? .unknown : .frontMatter, severity: fields.severity,
                status: fields.status ?? .published, nearMiss: fields.nearMiss, services: fields.services, tags: fields.tags,
                ownerTeam: fields.ownerTeam, related: fields.related, times: fields.times, factors: [], actionItems: [],
                timeline: [], sections: [], summary: "", bodyHTML: "", headings: [], extra: fields.extra, history: history,
                keyLocations: fields.keyLocations, visibility: fields.visibility,
                origins: Dictionary(uniqueKeysWithValues: fields.read.map { ($0, .frontMatter) }), sourceURL: fields.sourceURL),
                diagnostics, nil)
        }

        var markdownOptions = MarkdownOptions(
            renderHTML: renderHTML, anchorHeadings: true, dropLeadingHeading1: true, reservedAnchors: Self.reservedAnchors)
        // A leading H1 is the title shown above the body, unless the front matter names another title.
        markdownOptions.leadingHeading1Title = fields.title
        let parsed = Markdown.parse(split.body, options: markdownOptions)
        let lineOffset = split.bodyLine - 1
        let place: (MarkdownNode) -> SourceLocation = { node in
            SourceLocation(path: path, line: node.line + lineOffset, column: node.column)
        }

        let layout = SectionLayout(parsed.document.children, configuration: configuration)
        var anchorByLine: [Int: String] = [:]
        for heading in parsed.headings where heading.level <= 2 && heading.topLevel { anchorByLine[heading.line] = heading.anchor }
        var sections: [Section] = []
        var factors: [ContributingFactor] = []
        var actions: [ActionItem] = []
        var rawTimeline: [TimelineExtractor.RawEntry] = []
        var origins: [Fact: Origin] = [:]
        for fact in fields.read { origins[fact] = .frontMatter }
        let order = configuration.dateOrder
        let factorReader = FactorExtractor(knownTypes: configuration.factorTypes, place: place)
        let actionReader = ActionItemExtractor(place: place)
        var stated = LabelledFacts()
        stated.read(layout.preamble, order: order, severities: configuration.severities, place: place)
        var prose = ProseReader()
        prose.read(layout.preamble)
        for section in layout.sections {
            let heading = section.title
            sections.append(Section(
                kind: section.kind, heading: heading, anchor: anchorByLine[section.heading.line] ?? "",
                text: section.blocks.map(\.blockText).filter { $0.isEmpty == false }.joined(separator: "\n"),
                location: place(section.heading)))
            if section.kind != .timeline, section.kind != .actionItems { prose.read(section.blocks) }
            if section.kind == .timeline { prose.readSecondEntry(section.blocks) }
            // Labelled facts anywhere but among action items; under a timeline's incident headings too
            // ("**Duration:** 21:45 to 23:28 UTC (103 minutes)").
            if section.kind != .actionItems {
                stated.read(section.blocks, order: order, severities: configuration.severities, place: place)
            }
            switch section.kind {
            case .factors: factors += factorReader.extract(section.blocks)
            case .actionItems: actions += actionReader.extract(section.blocks)
            case .timeline:
                let timelineReader = TimelineExtractor(
                    place: place, order: order, zone: TimelineExtractor.zone(inHeading: heading))
                rawTimeline += timelineReader.extractEntries(section.blocks)
            default: break
            }
        }
        if factors.isEmpty == false { origins[.factors] = .section }
        if actions.isEmpty == false { origins[.actionItems] = .section }
        if rawTimeline.isEmpty == false { origins[.timeline] = .section }

        // What labelled bullets state fills what the front matter leaves open.
        var times = fields.times
        for fact in LabelledFacts.instantFacts where times[instant: fact] == nil {
            if let value = stated.times[instant: fact] {
                times[instant: fact] = value
                origins[fact] = .bullet
            }
        }
        for fact in LabelledFacts.durationFacts where times[duration: fact] == nil {
            if let value = stated.times[duration: fact] {
                times[duration: fact] = value
                origins[fact] = .bullet
            }
        }
        // What sentences state comes last.
        for (fact, minutes) in prose.found where times[duration: fact] == nil {
            times[duration: fact] = minutes
            origins[fact] = .section
        }
        var severity = fields.severity
        if severity == nil, let value = stated.severity {
            severity = value
            origins[.severity] = .bullet
        }
        var services = fields.services
        if services.isEmpty, stated.services.isEmpty == false {
            services = stated.services
            origins[.services] = .bullet
        }
        var tags = fields.tags
        if tags.isEmpty, stated.tags.isEmpty == false {
            tags = stated.tags
            origins[.tags] = .bullet
        }

        // Title: front matter, else the title heading (without a date written into it), else the file name.
        var title = fields.title
        var titleDay: Day?
        if title == nil, let heading = layout.title {
            let dated = TitleDate.split(heading, order: order)
            title = dated.title
            titleDay = dated.day
        } else if let given = fields.title {
            titleDay = TitleDate.split(given, order: order).day
        }
        let finalTitle = title ?? Self.humanise(stem)
        guard let id = Self.id(stem: stem, fields: fields, at: start, diagnostics: &diagnostics) else { return (nil, diagnostics, nil) }

        // Date: front matter, the title, a labelled bullet, the opening sentence, the file name, the first dated
        // timeline entry, the start time, then the commit that added the file.
        var date = fields.date
        var dateSource: Origin = date == nil ? .unknown : .frontMatter
        if date == nil, let titleDay {
            date = titleDay
            dateSource = .title
        }
        if date == nil, let day = stated.date {
            date = day
            dateSource = .bullet
        }
        if date == nil, let opening = layout.preamble.first(where: { $0.kind == .paragraph }),
            let day = OpeningDate.day(in: opening.plainText, order: order)
        {
            date = day
            dateSource = .opening
        }
        if date == nil, let prefix = Self.datePrefix(of: file) {
            date = prefix
            dateSource = .fileName
        }
        if date == nil, let first = rawTimeline.lazy.compactMap({ $0.time?.day }).first {
            date = first
            dateSource = .timeline
        }
        if date == nil, let started = times.started {
            date = Day(utc: started)
            dateSource = .started
        }
        if date == nil, let history {
            date = Day(utc: history.created.time)
            dateSource = .commit
        }
        if date == nil {
            diagnostics.append(.warning("no incident date: add `date: YYYY-MM-DD` to the front matter", at: start))
        }
        for time in rawTimeline.compactMap(\.time) {
            if time.orderEvidence == .mdy { evidence.monthFirst += 1 }
            if time.orderEvidence == .dmy { evidence.dayFirst += 1 }
            if time.ambiguousOrder { evidence.ambiguous = true }
        }
        if order == nil, let ambiguous = rawTimeline.first(where: { $0.time?.ambiguousOrder == true }) {
            diagnostics.append(.warning(
                "'\(ambiguous.time?.raw ?? "")' could be read month first or day first; it was read month first: "
                    + "set `date_order: mdy` or `date_order: dmy` in \(Configuration.fileName)",
                at: ambiguous.location))
        }

        // The zone the rest of the text names beside its times ("between 2 AM and 2.30 AM PST") is the
        // timeline's when the timeline names none.
        // Looked for only when the timeline has times and names no zone at all.
        var narrativeZone: TimeText.Zone?
        if rawTimeline.contains(where: { $0.time?.secondsOfDay != nil }),
            rawTimeline.allSatisfy({ $0.zone == nil && $0.time?.zone == nil })
        {
            let narrative = (layout.preamble + layout.sections.filter { $0.kind != .timeline }.flatMap(\.blocks))
                .filter { $0.kind == .paragraph }
            narrativeZone = TimelineExtractor.zone(besideTimesIn: narrative.map(\.plainText))
        }
        // Undated entries fall on the incident's day, or on the day next to it that the summary opens with ("On
        // the evening of Feb 23" in a post-mortem dated the 24th, which is the day in UTC).
        var timelineDay = fields.date ?? times.started.map { Day(utc: $0) } ?? date
        if let incident = timelineDay,
            let opening = (layout.sections.first { $0.kind == .summary }?.blocks ?? layout.preamble)
                .first(where: { $0.kind == .paragraph }),
            let stated = OpeningDate.day(in: opening.plainText, order: order, year: incident.year),
            abs(stated.daysSinceEpoch - incident.daysSinceEpoch) == 1
        {
            timelineDay = stated
        }
        let timeline = TimelineExtractor.resolve(rawTimeline, incidentDay: timelineDay, zone: narrativeZone)

        let summarySection = sections.first { $0.kind == .summary }
        let summary = fields.summary ?? summarySection?.text
            ?? layout.preamble.first { $0.kind == .paragraph }?.plainText
            ?? ""
        if fields.summary == nil, summary.isEmpty == false { origins[.summary] = .section }

        let headings = parsed.headings.filter { $0.level <= 3 }.map {
            PostMortem.Heading(level: $0.level, text: $0.text, anchor: $0.anchor)
        }

        let postMortem = PostMortem(
            id: id, title: finalTitle, sourcePath: path, blobID: file.blobID, date: date, dateSource: dateSource,
            severity: severity, status: fields.status ?? .published, nearMiss: fields.nearMiss,
            services: services, tags: tags, ownerTeam: fields.ownerTeam, related: fields.related,
            times: times, factors: factors, actionItems: actions, timeline: timeline, sections: sections,
            summary: summary, bodyHTML: parsed.html ?? "", headings: headings, extra: fields.extra, history: history,
            keyLocations: fields.keyLocations, visibility: fields.visibility, origins: origins,
            sourceURL: fields.sourceURL, dateOrder: evidence)
        return (postMortem, diagnostics, parsed.document)
    }

    /// Why a file in the content folder is not a post-mortem, or nil when it is one: a licence or project
    /// file, the archive's README, a listing page (Quarto's `listing:`), a template (a placeholder title or
    /// name: `YYYY-MM-DD`, `PMyyyy-nnn`, `{{title}}`), or a file without an extension that does not open as
    /// Markdown (front matter or a heading).
    static func notAPostMortem(_ file: SourceFile, text: String, fields: FrontMatterFields) -> String? {
        let components = file.contentPath.split(separator: "/")
        let name = components.last.map { $0.lowercased() } ?? ""
        let stem = name.contains(".") ? String(name[..<name.lastIndex(of: ".")!]) : name
        let projectFiles = ["license", "licence", "copying", "contributing", "changelog", "code_of_conduct",
                            "code-of-conduct", "security", "authors", "notice", "codeowners", "maintainers"]
        if projectFiles.contains(stem) { return "a licence or project file, not a post-mortem" }
        if stem == "readme", components.count == 1 { return "the archive's README, not a post-mortem" }
        if fields.extra.contains(where: { $0.key.lowercased() == "listing" }) {
            return "a listing page (`listing:` in its front matter), not a post-mortem"
        }
        let placeholders = ["yyyy-mm-dd", "pmyyyy-nnn", "{{", "<title>", "[title]", "incident title here"]
        let title = (fields.title ?? Self.firstLine(text)).lowercased()
        if placeholders.contains(where: { title.containsUTF8($0) || stem.containsUTF8($0) }) || stem.hasSuffix("template")
            || stem.hasPrefix("template")
        {
            return "a template (its title or name is a placeholder), not a post-mortem"
        }
        if name.contains(".") == false {
            let opening = text.drop { $0.isWhitespace }
            let lines = opening.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
            let setext = lines.count > 1 && lines[1].allSatisfy { $0 == "=" || $0 == "-" } && lines[1].isEmpty == false
            if opening.hasPrefix("---") == false, opening.hasPrefix("#") == false, setext == false {
                return "a file without an extension that does not open with front matter or a heading"
            }
        }
        return nil
    }

    /// The first non-blank line of a text, without heading marks.
    private static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 8).first { $0.trimmedWhitespace().isEmpty == false && $0 != "---" } ?? ""
        return line.trimmedWhitespace(and: "#")
    }

    /// Durations stated in the sentences of paragraphs and list items (`ProseDurations`), the first of each.
    struct ProseReader {
        var found: [Fact: Int] = [:]

        /// A timeline list's second entry, whose "1 hour later, … resolved" counts from the first; later entries
        /// count from the one before them, which is not the incident's start.
        mutating func readSecondEntry(_ blocks: [MarkdownNode]) {
            guard found[.timeToResolve] == nil,
                let list = blocks.first(where: { if case .list = $0.kind { true } else { false } }), list.children.count >= 2
            else { return }
            found[.timeToResolve] = ProseDurations.timeToResolve(inSecondEntry: list.children[1].plainText)
        }

        mutating func read(_ blocks: [MarkdownNode]) {
            for block in blocks {
                switch block.kind {
                case .paragraph:
                    for (fact, minutes) in ProseDurations.durations(in: block.plainText) where found[fact] == nil {
                        found[fact] = minutes
                    }
                case .list, .item, .blockQuote:
                    read(block.children)
                default:
                    break
                }
            }
        }
    }

    /// Id: front matter, else the file name (a bundle's index.md takes its folder's name); nil, with an
    /// error, when neither makes a slug.
    static func id(stem: String, fields: FrontMatterFields, at start: SourceLocation, diagnostics: inout [Diagnostic]) -> String? {
        var id = Normalise.slug(stem, symbols: false)
        if let given = fields.id {
            let slug = Normalise.slug(given, symbols: false)
            if slug.isEmpty {
                // `id: ..` or `id: /`: nothing of it can name a folder.
                diagnostics.append(.error(
                    "id '\(given)' has no letters or digits to make a page address from; use a slug such as '\(id.isEmpty ? "2024-03-05-checkout-errors" : id)'",
                    at: fields.idLocation ?? start))
                return nil
            }
            if slug != given {
                diagnostics.append(.warning(
                    "id '\(given)' is not a slug (lowercase letters, digits and '-'); using '\(slug)'",
                    at: fields.idLocation ?? start))
            }
            id = slug
        }
        if id.isEmpty {
            diagnostics.append(.error("cannot make an id from the file name; add `id:` to the front matter", at: start))
            return nil
        }
        return id
    }

    /// The most image openers (`![`) times closing brackets (`]`) a body may hold: about half a second of
    /// parsing at worst, and a thousand times what the largest real post-mortem needs.
    static let maximumBracketWork = 100_000_000

    /// An error when the body would make cmark-gfm's bracket matching quadratic.
    ///
    /// cmark-gfm before 0.29.0.gfm.7 (CVE-2023-22486; Debian 12 ships 0.29.0.gfm.6) walks every unclosed
    /// image opener each time a link closes, so 33,000 `![[]()` (200 KB) take six seconds and 10 MB would
    /// take hours. Counting both kinds of bracket bounds that work whichever version is installed.
    static func quadraticBrackets(in body: String, path: String, lineOffset: Int) -> Diagnostic? {
        var openers = 0
        var closers = 0
        var firstOpenerLine = 1
        var line = 1
        var previous: UInt8 = 0
        for byte in body.utf8 {
            switch byte {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "["):
                if previous == UInt8(ascii: "!") {
                    if openers == 0 { firstOpenerLine = line }
                    openers += 1
                }
            case UInt8(ascii: "]"): closers += 1
            default: break
            }
            previous = byte
        }
        guard openers.multipliedReportingOverflow(by: closers).partialValue > maximumBracketWork
            || openers.multipliedReportingOverflow(by: closers).overflow
        else { return nil }
        return .error(
            "\(openers) image openers ('![') with \(closers) closing brackets would take the Markdown parser minutes; "
                + "real post-mortems hold a few hundred at most: remove the stray '!['",
            at: SourceLocation(path: path, line: firstOpenerLine + lineOffset, column: 1))
    }

    /// The name an id comes from: the file's stem, or its folder's name for `index.md` and `README.md`.
    static func stem(of file: SourceFile) -> String {
        var components = file.contentPath.split(separator: "/").map(String.init)
        guard let last = components.popLast() else { return "" }
        let stem = last.contains(".") ? String(last[..<last.lastIndex(of: ".")!]) : last
        if ["index", "readme", "_index"].contains(stem.lowercased()), let folder = components.last {
            return folder
        }
        return stem
    }

    /// A `YYYY-MM-DD` prefix of the file (or bundle folder) name.
    static func datePrefix(of file: SourceFile) -> Day? {
        let name = stem(of: file)
        guard name.count >= 10 else { return nil }
        return Day(name.prefix(10))
    }

    /// `2024-03-05-checkout-errors` → `Checkout errors`.
    static func humanise(_ stem: String) -> String {
        var name = Substring(stem)
        if name.count >= 10, Day(name.prefix(10)) != nil { name = name.dropFirst(10) }
        let words = name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
        guard let first = words.first else { return stem }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst().map(String.init)).joined(separator: " ")
    }
}
