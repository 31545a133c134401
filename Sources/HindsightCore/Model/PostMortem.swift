import Foundation
import GitKit

/// Where a post-mortem is in its review workflow.
public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case inReview = "in-review"
    case published
}

/// Who may read a post-mortem: the organisation only (the default), or anyone, in a public edition.
public enum Visibility: String, Sendable, Hashable, CaseIterable, Codable {
    case `internal`
    case `public`
}

/// The incident's milestone timestamps (UTC instants), nil when unknown, and the durations the file states.
public struct IncidentTimes: Sendable, Hashable {
    public var started: Date?
    public var detected: Date?
    public var acknowledged: Date?
    public var mitigated: Date?
    public var resolved: Date?

    /// Minutes to detection as the file states them ("Time to detection: 12 minutes"), not worked out.
    public var statedToDetect: Int?
    /// Minutes to repair or mitigate, as stated.
    public var statedToRepair: Int?
    /// Minutes to resolve (or recover), as stated.
    public var statedToResolve: Int?

    public init() {}

    /// Minutes from start to detection: from the timestamps when both are known, else as stated.
    public var minutesToDetect: Int? { minutes(from: started, to: detected) ?? statedToDetect }
    /// Minutes from start to mitigation: from the timestamps when both are known, else as stated.
    public var minutesToRepair: Int? { minutes(from: started, to: mitigated) ?? statedToRepair }
    /// Minutes from start to resolution: from the timestamps when both are known, else as stated.
    public var minutesToResolve: Int? { minutes(from: started, to: resolved) ?? statedToResolve }

    /// A milestone by its fact (`.started` … `.resolved`); nil for other facts.
    public subscript(instant fact: Fact) -> Date? {
        get {
            switch fact {
            case .started: return started
            case .detected: return detected
            case .acknowledged: return acknowledged
            case .mitigated: return mitigated
            case .resolved: return resolved
            default: return nil
            }
        }
        set {
            switch fact {
            case .started: started = newValue
            case .detected: detected = newValue
            case .acknowledged: acknowledged = newValue
            case .mitigated: mitigated = newValue
            case .resolved: resolved = newValue
            default: break
            }
        }
    }

    /// A stated duration by its fact (`.timeToDetect`, `.timeToRepair`, `.timeToResolve`); nil for other facts.
    public subscript(duration fact: Fact) -> Int? {
        get {
            switch fact {
            case .timeToDetect: return statedToDetect
            case .timeToRepair: return statedToRepair
            case .timeToResolve: return statedToResolve
            default: return nil
            }
        }
        set {
            switch fact {
            case .timeToDetect: statedToDetect = newValue
            case .timeToRepair: statedToRepair = newValue
            case .timeToResolve: statedToResolve = newValue
            default: break
            }
        }
    }

    private func minutes(from a: Date?, to b: Date?) -> Int? {
        guard let a, let b else { return nil }
        return Int((b.timeIntervalSince(a) / 60).rounded())
    }
}

/// A contributing factor: what contributed, of which type, and how.
public struct ContributingFactor: Sendable, Hashable {
    public var text: String
    /// The normalised type: one of the configured types, another type as written (Title Case), or "Unclassified".
    public var type: String
    public var contribution: String
    public var location: SourceLocation

    public init(text: String, type: String, contribution: String, location: SourceLocation) {
        self.text = text
        self.type = type
        self.contribution = contribution
        self.location = location
    }
}

/// A follow-up action with a team as owner.
public struct ActionItem: Sendable, Hashable {
    public var text: String
    public var owner: String?
    /// `P0`…`P4` when written that way, else as written; nil when not given.
    public var priority: String?
    /// Normalised to `open`, `in-progress` or `done` when recognisable, else as written (lowercased).
    public var status: String
    public var ticket: String?
    public var due: String?
    public var location: SourceLocation

    public init(
        text: String, owner: String? = nil, priority: String? = nil, status: String = "open",
        ticket: String? = nil, due: String? = nil, location: SourceLocation
    ) {
        self.text = text
        self.owner = owner
        self.priority = priority
        self.status = status
        self.ticket = ticket
        self.due = due
        self.location = location
    }

    /// Whether the item is complete.
    public var isDone: Bool { status == "done" }
}

/// One line of the incident timeline.
public struct TimelineEntry: Sendable, Hashable {
    /// The time as written.
    public var time: String
    /// The instant, when the text allowed one (dates carried forward from earlier entries).
    public var timestamp: Date?
    public var event: String
    public var location: SourceLocation

    public init(time: String, timestamp: Date?, event: String, location: SourceLocation) {
        self.time = time
        self.timestamp = timestamp
        self.event = event
        self.location = location
    }
}

/// The well-known sections of a post-mortem, recognised by heading.
public enum SectionKind: String, Sendable, Hashable, CaseIterable {
    case summary, impact, timeline, analysis, factors, wentWell, wentPoorly, lucky, actionItems, lessons

    /// The kind's name in `hindsight.yml` (`sections:`): `action_items`, `went_well`.
    public var configurationName: String {
        switch self {
        case .wentWell: return "went_well"
        case .wentPoorly: return "went_poorly"
        case .actionItems: return "action_items"
        default: return rawValue
        }
    }
}

/// A recognised or unrecognised H2 section.
public struct Section: Sendable, Hashable {
    public var kind: SectionKind?
    public var heading: String
    public var anchor: String
    /// The section's text without markup.
    public var text: String
    public var location: SourceLocation
}

/// Where a fact was read from: what the file states (front matter, a labelled bullet, a section, the file
/// name, the title), or a fallback (the first timeline entry, the start time, the commit that added the file).
public enum Origin: String, Sendable, Hashable, CaseIterable, Comparable {
    case frontMatter = "front matter"
    case bullet = "labelled bullet"
    case section
    case fileName = "file name"
    case title
    case opening = "opening sentence"
    case timeline
    case started
    case commit
    case unknown

    /// Whether the value is a fallback rather than something the file states (a date taken from the stated
    /// start time is stated).
    public var isFallback: Bool { self == .timeline || self == .commit || self == .unknown }

    public static func < (lhs: Origin, rhs: Origin) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The facts of a post-mortem whose origin is recorded, by their names in the JSON export.
public enum Fact: String, Sendable, Hashable, CaseIterable, Comparable {
    case date, started, detected, acknowledged, mitigated, resolved
    case timeToDetect = "time_to_detect"
    case timeToRepair = "time_to_repair"
    case timeToResolve = "time_to_resolve"
    case severity, services, tags, summary
    case sourceURL = "source_url"
    case timeline
    case actionItems = "action_items"
    case factors

    public static func < (lhs: Fact, rhs: Fact) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The file's history in Git, from one walk of the history.
public struct History: Sendable, Hashable {
    public var created: CommitStamp
    public var updated: CommitStamp
    public var revisions: Int

    public init(created: CommitStamp, updated: CommitStamp, revisions: Int) {
        self.created = created
        self.updated = updated
        self.revisions = revisions
    }
}

/// What a file's numeric dates say about their order, read without `date_order`: how many can only be month
/// first or only day first, and whether one could be either (and was read month first).
public struct DateOrderEvidence: Sendable, Hashable {
    public var monthFirst = 0
    public var dayFirst = 0
    public var ambiguous = false

    public init(monthFirst: Int = 0, dayFirst: Int = 0, ambiguous: Bool = false) {
        self.monthFirst = monthFirst
        self.dayFirst = dayFirst
        self.ambiguous = ambiguous
    }
}

/// One parsed post-mortem: front matter, sections and the structures extracted from them.
///
/// A value with its fields in one shared box, copied only when a copy is changed: post-mortems are passed
/// around whole (sorted, filtered, grouped, captured by page jobs), and copying two dozen fields, each retained,
/// was a tenth of a rebuild's processor time.
public struct PostMortem: Sendable, Hashable {
    private var box: Box

    /// The fields themselves.
    private struct Fields: Sendable, Hashable {
        var id: String
        var title: String
        var sourcePath: String
        var blobID: ObjectID?
        var date: Day?
        var origins: [Fact: Origin]
        var sourceURL: String?
        var severity: String?
        var status: Status
        var nearMiss: Bool
        var services: [String]
        var tags: [String]
        var ownerTeam: String?
        var related: [String]
        var times: IncidentTimes
        var factors: [ContributingFactor]
        var actionItems: [ActionItem]
        var timeline: [TimelineEntry]
        var body: PostMortemBody
        var summary: String
        var extra: [ExtraField]
        var history: History?
        var keyLocations: [String: SourceLocation]
        var visibility: Visibility
        var dateOrder: DateOrderEvidence
    }

    /// Shared by copies; replaced by a new one before a shared one would be changed.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// Changes a field, making the box this value's own first (copying it when another value shares it).
    private subscript<Value>(field: WritableKeyPath<Fields, Value>) -> Value {
        get { box.fields[keyPath: field] }
        set {
            if isKnownUniquelyReferenced(&box) == false { box = Box(box.fields) }
            box.fields[keyPath: field] = newValue
        }
    }

    public init(
        id: String,
        title: String,
        sourcePath: String,
        blobID: ObjectID?,
        date: Day?,
        dateSource: Origin,
        severity: String?,
        status: Status,
        nearMiss: Bool,
        services: [String],
        tags: [String],
        ownerTeam: String?,
        related: [String],
        times: IncidentTimes,
        factors: [ContributingFactor],
        actionItems: [ActionItem],
        timeline: [TimelineEntry],
        sections: [Section],
        summary: String,
        bodyHTML: String,
        headings: [Heading],
        extra: [ExtraField],
        history: History?,
        keyLocations: [String: SourceLocation] = [:],
        visibility: Visibility = .internal,
        origins: [Fact: Origin] = [:],
        sourceURL: String? = nil,
        dateOrder: DateOrderEvidence = DateOrderEvidence()
    ) {
        var origins = origins
        if date != nil || dateSource != .unknown { origins[.date] = dateSource }
        box = Box(Fields(
            id: id, title: title, sourcePath: sourcePath, blobID: blobID, date: date, origins: origins, sourceURL: sourceURL,
            severity: severity, status: status, nearMiss: nearMiss, services: services, tags: tags, ownerTeam: ownerTeam,
            related: related, times: times, factors: factors, actionItems: actionItems, timeline: timeline,
            body: PostMortemBody(PostMortemBody.Content(sections: sections, bodyHTML: bodyHTML, headings: headings)),
            summary: summary, extra: extra, history: history, keyLocations: keyLocations, visibility: visibility,
            dateOrder: dateOrder))
    }

    /// Whether the body was asked for but could not be read back (`PostMortemBody.isLost`).
    public var bodyIsLost: Bool { box.fields.body.isLost }

    /// The body, as a whole: `PostMortemBody` reads it from the parse cache only when first asked for.
    var body: PostMortemBody {
        get { box.fields.body }
        set { self[\.body] = newValue }
    }

    public static func == (lhs: PostMortem, rhs: PostMortem) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }

    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }

    public var id: String {
        get { box.fields.id }
        set { self[\.id] = newValue }
    }
    public var title: String {
        get { box.fields.title }
        set { self[\.title] = newValue }
    }
    /// The file's path from the repository root.
    public var sourcePath: String {
        get { box.fields.sourcePath }
        set { self[\.sourcePath] = newValue }
    }
    /// The blob id of the source, when read from Git (cache key).
    public var blobID: ObjectID? {
        get { box.fields.blobID }
        set { self[\.blobID] = newValue }
    }
    public var date: Day? {
        get { box.fields.date }
        set { self[\.date] = newValue }
    }
    /// Where the date came from (`origins[.date]`).
    public var dateSource: Origin {
        get { box.fields.origins[.date] ?? .unknown }
        set { self[\.origins][.date] = newValue }
    }
    /// Where each fact the post-mortem has was read from.
    public var origins: [Fact: Origin] {
        get { box.fields.origins }
        set { self[\.origins] = newValue }
    }
    /// What the file's numeric dates say about their order (the archive's decide where `date_order` is unset).
    public var dateOrder: DateOrderEvidence {
        get { box.fields.dateOrder }
        set { self[\.dateOrder] = newValue }
    }
    /// A link to the post-mortem's original (`url` or `archive_url` in the front matter).
    public var sourceURL: String? {
        get { box.fields.sourceURL }
        set { self[\.sourceURL] = newValue }
    }
    public var severity: String? {
        get { box.fields.severity }
        set { self[\.severity] = newValue }
    }
    public var status: Status {
        get { box.fields.status }
        set { self[\.status] = newValue }
    }
    public var nearMiss: Bool {
        get { box.fields.nearMiss }
        set { self[\.nearMiss] = newValue }
    }
    public var services: [String] {
        get { box.fields.services }
        set { self[\.services] = newValue }
    }
    public var tags: [String] {
        get { box.fields.tags }
        set { self[\.tags] = newValue }
    }
    public var ownerTeam: String? {
        get { box.fields.ownerTeam }
        set { self[\.ownerTeam] = newValue }
    }
    public var related: [String] {
        get { box.fields.related }
        set { self[\.related] = newValue }
    }
    public var times: IncidentTimes {
        get { box.fields.times }
        set { self[\.times] = newValue }
    }
    public var factors: [ContributingFactor] {
        get { box.fields.factors }
        set { self[\.factors] = newValue }
    }
    public var actionItems: [ActionItem] {
        get { box.fields.actionItems }
        set { self[\.actionItems] = newValue }
    }
    public var timeline: [TimelineEntry] {
        get { box.fields.timeline }
        set { self[\.timeline] = newValue }
    }
    public var sections: [Section] {
        get { box.fields.body.content.sections }
        set { self[\.body] = box.fields.body.with(\.sections, newValue) }
    }
    /// Plain-text summary (the Summary section, else the first paragraph).
    public var summary: String {
        get { box.fields.summary }
        set { self[\.summary] = newValue }
    }
    /// The body rendered by cmark-gfm in safe mode, with heading anchors.
    public var bodyHTML: String {
        get { box.fields.body.content.bodyHTML }
        set { self[\.body] = box.fields.body.with(\.bodyHTML, newValue) }
    }
    /// Headings of the body (level, text, anchor), for the table of contents.
    public var headings: [Heading] {
        get { box.fields.body.content.headings }
        set { self[\.body] = box.fields.body.with(\.headings, newValue) }
    }
    /// Front matter keys Hindsight does not know, in file order.
    public var extra: [ExtraField] {
        get { box.fields.extra }
        set { self[\.extra] = newValue }
    }
    public var history: History? {
        get { box.fields.history }
        set { self[\.history] = newValue }
    }
    /// Where each front matter key was written, for diagnostics about its value.
    public var keyLocations: [String: SourceLocation] {
        get { box.fields.keyLocations }
        set { self[\.keyLocations] = newValue }
    }
    /// `visibility:` in the front matter; only `.public` post-mortems are in a public build.
    public var visibility: Visibility {
        get { box.fields.visibility }
        set { self[\.visibility] = newValue }
    }

    /// A heading with the anchor the renderer gave it.
    public struct Heading: Sendable, Hashable {
        public var level: Int
        public var text: String
        public var anchor: String
    }

    /// An unknown front matter key and its value.
    public struct ExtraField: Sendable, Hashable {
        public var key: String
        public var value: FrontMatterValue
    }

    /// The section of a kind, if the document has one.
    public func section(_ kind: SectionKind) -> Section? { sections.first { $0.kind == kind } }

    /// The distinct factor types, in the order first used.
    public var factorTypes: [String] {
        var seen = Set<String>()
        return factors.map(\.type).filter { seen.insert($0).inserted }
    }
}

/// What only a post-mortem's own page and the search index read: its sections, its HTML and its headings, two
/// thirds of a parse's bytes. The parse cache keeps it apart from the rest and reads it when first asked for, so
/// a rebuild leaves the bodies of the post-mortems whose pages it reuses on disk.
public final class PostMortemBody: @unchecked Sendable, Hashable {
    /// The parts themselves.
    struct Content: Sendable, Hashable {
        var sections: [Section]
        var bodyHTML: String
        var headings: [PostMortem.Heading]

        static let empty = Content(sections: [], bodyHTML: "", headings: [])
    }

    private let lock = NSLock()
    private var loaded: Content?
    private var load: (@Sendable () -> Content?)?
    private var lost = false

    init(_ content: Content) { loaded = content }

    /// A body read by `load` when first asked for.
    init(loading load: @escaping @Sendable () -> Content?) { self.load = load }

    /// The parts, read now if they were not yet. Empty, and `isLost`, when they cannot be read.
    var content: Content {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let content = load?() ?? {
            lost = true
            return .empty
        }()
        loaded = content
        load = nil
        return content
    }

    /// Whether the body was asked for and could not be read (its cache entry damaged after the build checked it,
    /// and the file no longer readable): the build must not publish what it made of it.
    var isLost: Bool {
        lock.lock()
        defer { lock.unlock() }
        return lost
    }

    /// A body with one part changed (the others read first).
    func with<Value>(_ part: WritableKeyPath<Content, Value>, _ value: Value) -> PostMortemBody {
        var content = self.content
        content[keyPath: part] = value
        return PostMortemBody(content)
    }

    public static func == (lhs: PostMortemBody, rhs: PostMortemBody) -> Bool { lhs === rhs || lhs.content == rhs.content }

    public func hash(into hasher: inout Hasher) { content.hash(into: &hasher) }
}
