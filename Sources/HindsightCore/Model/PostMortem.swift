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

/// The incident's milestone timestamps (UTC instants), nil when unknown.
public struct IncidentTimes: Sendable, Hashable {
    public var started: Date?
    public var detected: Date?
    public var acknowledged: Date?
    public var mitigated: Date?
    public var resolved: Date?

    public init() {}

    /// Minutes from start to detection, when both are known.
    public var minutesToDetect: Int? { minutes(from: started, to: detected) }
    /// Minutes from start to resolution, when both are known.
    public var minutesToResolve: Int? { minutes(from: started, to: resolved) }

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

/// Where the incident date came from (the format's fallbacks, in order).
public enum DateSource: String, Sendable, Hashable {
    case frontMatter = "front matter"
    case fileName = "file name"
    case timeline
    case started
    case commit
    case unknown
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

/// One parsed post-mortem: front matter, sections and the structures extracted from them.
public struct PostMortem: Sendable, Hashable {
    public var id: String
    public var title: String
    /// The file's path from the repository root.
    public var sourcePath: String
    /// The blob id of the source, when read from Git (cache key).
    public var blobID: ObjectID?
    public var date: Day?
    public var dateSource: DateSource
    public var severity: String?
    public var status: Status
    public var nearMiss: Bool
    public var services: [String]
    public var tags: [String]
    public var ownerTeam: String?
    public var related: [String]
    public var times: IncidentTimes
    public var factors: [ContributingFactor]
    public var actionItems: [ActionItem]
    public var timeline: [TimelineEntry]
    public var sections: [Section]
    /// Plain-text summary (the Summary section, else the first paragraph).
    public var summary: String
    /// The body rendered by cmark-gfm in safe mode, with heading anchors.
    public var bodyHTML: String
    /// Headings of the body (level, text, anchor), for the table of contents.
    public var headings: [Heading]
    /// Front matter keys Hindsight does not know, in file order.
    public var extra: [ExtraField]
    public var history: History?
    /// Where each front matter key was written, for diagnostics about its value.
    public var keyLocations: [String: SourceLocation] = [:]
    /// `visibility:` in the front matter; only `.public` post-mortems are in a public build.
    public var visibility: Visibility = .internal

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
