import Foundation
import HindsightCore
import MustacheKit

/// A post-mortem's page (`postmortem.mustache`): its facts, body, factors, action items, history, and links to
/// related and similar post-mortems.
struct PostMortemPage: SitePage {
    /// Another post-mortem the page links to, with why when it is a similar incident.
    struct Partner: Encodable, Sendable {
        let pm: Keyed<PostMortem>
        let reason: String?
    }

    static let template = "postmortem"
    let path: String
    let pm: Keyed<PostMortem>
    let related: [Partner]
    let similar: [Partner]
    /// The repository address commit and source links start with.
    let repoURL: String?
    /// The revision the source link names (when `repoURL` is set).
    let sourceRevision: String?

    /// The view model: the card's fields and the page's own, under `pm`.
    struct Model: TemplateRepresentable {
        let card: CardModel
        let details: Details

        var templateValue: TemplateValue { ["pm": card.templateValue.merging(details.templateValue)] }
    }

    struct Details: TemplateRepresentable {
        let bodyHTML: HTML
        let toc: [TOCEntry]
        let hasTOC: Bool
        let facts: [Fact]
        let tags: [TermLink]
        let hasTags: Bool
        let ownerTeam: String?
        let factors: [Factor]
        let hasFactors: Bool
        let actionItems: [Action]
        let hasActionItems: Bool
        let timeline: [Event]
        let hasTimeline: Bool
        let history: HistoryModel?
        let extra: [Field]
        let hasExtra: Bool
        let related: [Link]
        let hasRelated: Bool
        let similar: [Link]
        let hasSimilar: Bool
        let timelineChart: ChartModel?

        var templateValue: TemplateValue {
            [
                "body_html": .init(bodyHTML), "toc": .init(toc), "has_toc": .bool(hasTOC), "facts": .init(facts),
                "tags": .init(tags), "has_tags": .bool(hasTags), "owner_team": .init(ownerTeam), "factors": .init(factors),
                "has_factors": .bool(hasFactors), "action_items": .init(actionItems), "has_action_items": .bool(hasActionItems),
                "timeline": .init(timeline), "has_timeline": .bool(hasTimeline), "history": .init(history),
                "extra": .init(extra), "has_extra": .bool(hasExtra), "related": .init(related), "has_related": .bool(hasRelated),
                "similar": .init(similar), "has_similar": .bool(hasSimilar), "timeline_chart": .init(timelineChart),
            ]
        }
    }

    struct TOCEntry: TemplateRepresentable {
        let text: String, anchor: String, level: Int, indent: Bool

        var templateValue: TemplateValue {
            ["text": .string(text), "anchor": .string(anchor), "level": .int(level), "indent": .bool(indent)]
        }
    }
    struct Fact: TemplateRepresentable {
        let label: String, value: String, iso: String?

        var templateValue: TemplateValue { ["label": .string(label), "value": .string(value), "iso": .init(iso)] }
    }
    struct Factor: TemplateRepresentable {
        let text: String, type: String, typeHref: String, contribution: String?

        var templateValue: TemplateValue {
            ["text": .string(text), "type": .string(type), "type_href": .string(typeHref), "contribution": .init(contribution)]
        }
    }
    struct Action: TemplateRepresentable {
        let text: String, owner: String?, priority: String?, status: String, done: Bool, ticket: String?, due: String?

        var templateValue: TemplateValue {
            [
                "text": .string(text), "owner": .init(owner), "priority": .init(priority), "status": .string(status),
                "done": .bool(done), "ticket": .init(ticket), "due": .init(due),
            ]
        }
    }
    struct Event: TemplateRepresentable {
        let time: String, event: String, iso: String?

        var templateValue: TemplateValue { ["time": .string(time), "event": .string(event), "iso": .init(iso)] }
    }
    struct Field: TemplateRepresentable {
        let key: String, value: String

        var templateValue: TemplateValue { ["key": .string(key), "value": .string(value)] }
    }
    struct HistoryModel: TemplateRepresentable {
        let created: String, updated: String, revisions: Int
        let createdCommit: String, createdCommitHref: String?
        let updatedCommit: String, updatedCommitHref: String?
        let source: String, sourceHref: String?

        var templateValue: TemplateValue {
            [
                "created": .string(created), "updated": .string(updated), "revisions": .int(revisions),
                "created_commit": .string(createdCommit), "created_commit_href": .init(createdCommitHref),
                "updated_commit": .string(updatedCommit), "updated_commit_href": .init(updatedCommitHref),
                "source": .string(source), "source_href": .init(sourceHref),
            ]
        }
    }
    /// A link to another post-mortem.
    struct Link: TemplateRepresentable {
        let title: String, href: String, date: String?, id: String, reason: String?

        var templateValue: TemplateValue {
            [
                "title": .string(title), "href": .string(href), "date": .init(date), "id": .string(id),
                "reason": .init(reason),
            ]
        }
    }

    func make(_ context: PageContext) -> PageModel<Model> {
        let pm = self.pm.value
        let href = context.href
        let toc = pm.headings.filter { $0.level == 2 || $0.level == 3 }.map {
            TOCEntry(text: $0.text, anchor: $0.anchor, level: $0.level, indent: $0.level == 3)
        }

        var facts: [Fact] = []
        func fact(_ label: String, _ value: String?, iso: String? = nil) {
            guard let value, value.isEmpty == false else { return }
            facts.append(Fact(label: label, value: value, iso: iso.nonEmpty))
        }
        fact("Severity", pm.severity)
        let date = pm.date.map(Format.day)
        fact("Date", date, iso: date)
        fact("Status", Self.statusTexts[pm.status])
        if pm.nearMiss { fact("Near miss", "Yes") }
        fact("Owner team", pm.ownerTeam)
        for (label, date) in Self.milestones(pm) {
            if let date { fact(label, Format.instant(date), iso: Format.iso(date)) }
        }
        if let minutes = pm.times.minutesToDetect { fact("Time to detect", Format.duration(minutes: minutes)) }
        if let minutes = pm.times.minutesToResolve { fact("Time to resolve", Format.duration(minutes: minutes)) }

        let tags = pm.tags.map { TermLink(name: $0, href: href(SiteURLs.Path.term("tags", Format.slug($0)))) }
        let factors = pm.factors.map {
            Factor(
                text: $0.text, type: $0.type, typeHref: href(SiteURLs.Path.factorType(Format.slug($0.type))),
                contribution: $0.contribution.isEmpty ? nil : $0.contribution)
        }
        let actions = pm.actionItems.map {
            Action(
                text: $0.text, owner: $0.owner.nonEmpty, priority: $0.priority.nonEmpty, status: $0.status,
                done: $0.isDone, ticket: $0.ticket.nonEmpty, due: $0.due.nonEmpty)
        }
        let timeline = pm.timeline.map { Event(time: $0.time, event: $0.event, iso: $0.timestamp.map(Format.iso)) }
        let history = pm.history.map { history in
            let commitHref = { (id: String) in repoURL.map { "\($0)/commit/\(id)" } }
            return HistoryModel(
                created: Format.day(history.created.time), updated: Format.day(history.updated.time),
                revisions: history.revisions,
                createdCommit: history.created.id.short, createdCommitHref: commitHref(history.created.id.hex),
                updatedCommit: history.updated.id.short, updatedCommitHref: commitHref(history.updated.id.hex),
                source: pm.sourcePath,
                sourceHref: repoURL.flatMap { repo in sourceRevision.map { "\(repo)/blob/\($0)/\(pm.sourcePath)" } })
        }
        let extra = pm.extra.map { Field(key: $0.key, value: $0.value.displayText) }
        let links = { (partners: [Partner]) in
            partners.map { partner in
                let linked = partner.pm.value
                return Link(
                    title: linked.title, href: href(SiteURLs.Path.postMortem(linked.id)), date: linked.date.map(Format.day),
                    id: linked.id, reason: partner.reason)
            }
        }
        let chart = TimelineChart(
            title: "Timeline of \(pm.title)",
            events: pm.timeline.compactMap { entry in entry.timestamp.map { ($0, entry.event) } },
            milestones: Self.milestones(pm).compactMap { name, time in time.map { (name, $0) } })

        let details = Details(
            bodyHTML: HTML(pm.bodyHTML), toc: toc, hasTOC: toc.count >= 2, facts: facts, tags: tags, hasTags: !tags.isEmpty,
            ownerTeam: pm.ownerTeam.nonEmpty, factors: factors, hasFactors: !factors.isEmpty, actionItems: actions,
            hasActionItems: !actions.isEmpty, timeline: timeline, hasTimeline: !timeline.isEmpty, history: history,
            extra: extra, hasExtra: !extra.isEmpty, related: links(related), hasRelated: !related.isEmpty,
            similar: links(similar), hasSimilar: !similar.isEmpty, timelineChart: chart.render(id: "chart-timeline")?.model)
        return PageModel(
            title: pm.title, description: Format.excerpt(pm.summary, limit: 160),
            model: Model(card: CardModel(pm, urls: context.urls, root: context.root), details: details))
    }

    /// Each status as the facts show it (`In Review`).
    private static let statusTexts = Dictionary(
        uniqueKeysWithValues: Status.allCases.map { ($0, $0.rawValue.replacingOccurrences(of: "-", with: " ").capitalized) })

    private static func milestones(_ pm: PostMortem) -> [(String, Date?)] {
        [
            ("Started", pm.times.started), ("Detected", pm.times.detected), ("Acknowledged", pm.times.acknowledged),
            ("Mitigated", pm.times.mitigated), ("Resolved", pm.times.resolved),
        ]
    }

}

extension PostMortemPage {
    /// The page of the post-mortem at `index`: the post-mortems related to it both ways (the ids it names and
    /// those that name it) and the similar ones the insights found, the strongest reasons first, at most a dozen
    /// (so a busy service does not bury the real repeats).
    init(_ index: Int, in archive: Archive, links: ArchiveLinks, insights: Insights?) {
        let pm = archive.postMortems[index]
        path = SiteURLs.Path.postMortemFile(pm.id)
        self.pm = links.keyed(index)
        var relatedIDs = pm.related
        for other in links.namedBy[pm.id] ?? [] where relatedIDs.contains(other) == false { relatedIDs.append(other) }
        related = relatedIDs.compactMap { id in
            guard let other = archive.indexByID[id], archive.postMortems[other].id != pm.id else { return nil }
            return Partner(pm: links.keyed(other), reason: nil)
        }
        let partners = (insights?.similar(to: pm.id) ?? []).enumerated()
            .sorted { ($0.element.reason.strength, $0.offset) < ($1.element.reason.strength, $1.offset) }
            .prefix(12).map(\.element)
        similar = partners.compactMap { entry in
            archive.indexByID[entry.id].map { Partner(pm: links.keyed($0), reason: entry.reason.text) }
        }
        repoURL = archive.configuration.repoURL
        sourceRevision = repoURL == nil ? nil : archive.revision?.id.hex
    }
}

/// What pages need to link post-mortems to each other, made once per build: each post-mortem keyed by its parse
/// key, and the post-mortems whose `related` names each id.
struct ArchiveLinks: Sendable {
    private let postMortems: [Keyed<PostMortem>]
    let namedBy: [String: [String]]

    init(_ archive: Archive) {
        postMortems = archive.postMortems.map { Keyed($0, key: archive.parseKeys[$0.sourcePath]?.hex) }
        var namedBy: [String: [String]] = [:]
        for pm in archive.postMortems {
            for id in pm.related { namedBy[id, default: []].append(pm.id) }
        }
        self.namedBy = namedBy
    }

    /// The post-mortem at `index`, keyed by its parse key.
    func keyed(_ index: Int) -> Keyed<PostMortem> { postMortems[index] }

    /// The post-mortem at `index` as a list's member: its card, keyed by its parse key.
    func card(_ index: Int) -> Keyed<Int> { Keyed(index, key: postMortems[index].key) }
}
