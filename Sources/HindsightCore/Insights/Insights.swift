import Foundation
import GitKit

/// The method's success metrics for one month or quarter (incidents grouped by their date).
public struct PeriodMetrics: Sendable, Hashable {
    public let period: Period
    /// Post-mortems of incidents in the period.
    public let filed: Int
    /// Of which near misses.
    public let nearMisses: Int
    /// Action items of those post-mortems.
    public let actionItems: Int
    /// Of which done.
    public let completed: Int
    /// Open items of those post-mortems by priority (`none` when not given).
    public let openByPriority: [String: Int]
    /// Post-mortems of the period that repeat an earlier incident.
    public let repeats: Int

    /// Near misses as a share of post-mortems (0–1); nil when none were filed.
    public var nearMissShare: Double? { filed == 0 ? nil : Double(nearMisses) / Double(filed) }
    /// Done items as a share of all items (0–1); nil when there are none.
    public var completedShare: Double? { actionItems == 0 ? nil : Double(completed) / Double(actionItems) }
}

/// Response times, severity mix and factor types for one quarter.
public struct QuarterMetrics: Sendable, Hashable {
    public let period: Period
    /// Minutes from start to detection.
    public let timeToDetect: Distribution
    /// Minutes from start to resolution.
    public let timeToResolve: Distribution
    /// Post-mortems by severity (`none` when not given).
    public let severities: [String: Int]
    /// Factors by type.
    public let factorTypes: [String: Int]
}

/// How long one post-mortem took to land: from the incident's date to the day of the commit that added it.
public struct MergeLag: Sendable, Hashable {
    public let postMortemID: String
    public let incident: Day
    public let merged: CommitStamp
    /// Whole UTC calendar days.
    public let days: Int
}

/// One action item in the ledger, with what history says about it.
///
/// Its fields live in one shared, immutable box: the ledger (100,000 items at 10,000 post-mortems) is sorted,
/// filtered and split by team, and copying a dozen retained fields each time showed in a rebuild's profile.
public struct LedgerItem: Sendable, Hashable {
    private let box: Box

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private struct Fields: Sendable, Hashable {
        let postMortemID: String
        let postMortemTitle: String
        let index: Int
        let text: String
        let owner: String?
        let priority: String?
        let status: String
        let ticket: String?
        let isDone: Bool
        let merged: CommitStamp?
        let ageDays: Int?
        let completed: CommitStamp?
        let daysToComplete: Int?
        let targetDays: Int?
        let isOverdue: Bool
    }

    public init(
        postMortemID: String,
        postMortemTitle: String,
        index: Int,
        text: String,
        owner: String?,
        priority: String?,
        status: String,
        ticket: String?,
        isDone: Bool,
        merged: CommitStamp?,
        ageDays: Int?,
        completed: CommitStamp?,
        daysToComplete: Int?,
        targetDays: Int?,
        isOverdue: Bool
    ) {
        box = Box(Fields(
            postMortemID: postMortemID, postMortemTitle: postMortemTitle, index: index, text: text, owner: owner,
            priority: priority, status: status, ticket: ticket, isDone: isDone, merged: merged, ageDays: ageDays,
            completed: completed, daysToComplete: daysToComplete, targetDays: targetDays, isOverdue: isOverdue))
    }

    public static func == (lhs: LedgerItem, rhs: LedgerItem) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }

    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }

    public var postMortemID: String { box.fields.postMortemID }
    public var postMortemTitle: String { box.fields.postMortemTitle }
    /// The item's index within its post-mortem.
    public var index: Int { box.fields.index }
    public var text: String { box.fields.text }
    /// The item's owner, else the post-mortem's owner team; nil when neither is given.
    public var owner: String? { box.fields.owner }
    public var priority: String? { box.fields.priority }
    public var status: String { box.fields.status }
    public var ticket: String? { box.fields.ticket }
    public var isDone: Bool { box.fields.isDone }
    /// The commit that added the post-mortem (for a pull request, the merge).
    public var merged: CommitStamp? { box.fields.merged }
    /// Days from the merge day to the day of the commit built.
    public var ageDays: Int? { box.fields.ageDays }
    /// The commit in which the item's status became done.
    public var completed: CommitStamp? { box.fields.completed }
    /// Days from the merge day to the completion day.
    public var daysToComplete: Int? { box.fields.daysToComplete }
    /// The priority's target in days, if it has one.
    public var targetDays: Int? { box.fields.targetDays }
    /// Open and older than its target.
    public var isOverdue: Bool { box.fields.isOverdue }
}

/// Everything the insights page, the action-item ledger, the feeds and `hindsight report` show.
public struct Insights: Sendable {
    public let settings: InsightsSettings
    /// The commit time figures are computed at (the revision built); nil outside Git.
    public let asOf: Date?
    public let periodKind: PeriodKind
    /// Success metrics for every period from the first incident to the last, empty ones included.
    public let periods: [PeriodMetrics]
    /// Response times, severity mix and factor types for every quarter from the first incident to the last.
    public let quarters: [QuarterMetrics]
    /// Severities in scale order (then others, then `none`), for the mix.
    public let severityOrder: [String]
    /// Factor types in display order, for the mix.
    public let factorTypeOrder: [String]
    /// Priorities seen, in order (`P0`… then others, then `none`).
    public let priorityOrder: [String]
    /// Incident to merged post-mortem, for every post-mortem with a date and history, oldest incident first.
    public let mergeLags: [MergeLag]
    /// Every action item: open first, by priority, then owner, then age (oldest first); then done ones likewise.
    public let ledger: [LedgerItem]
    /// Every repeat pair, newest later incident first.
    public let repeats: [RepeatLink]
    /// Incidents joined by repeats, each oldest first; newest chain first.
    public let chains: [[String]]
    /// Completion commits of done items, from history.
    public let completions: ActionItemCompletions
    /// Problems with the `insights:` settings.
    public var diagnostics: [Diagnostic] = []
    /// Repeat partners of each post-mortem, built once: a page asks for its own, thousands of times.
    let similarByID: [String: [(id: String, reason: RepeatReason)]]
    /// The key of everything repeat detection read (each post-mortem's id, dates, services, factors and related
    /// ids, and the settings), when it went through a cache and counted every incident: equal keys, equal repeats
    /// and related links.
    public var repeatsKey: ObjectID?

    /// Incident-to-merge days as a distribution.
    public var mergeLag: Distribution { Distribution(mergeLags.map { Double($0.days) }) }
    /// Merge-to-completion days of every item whose completion history knows, as a distribution.
    public var completionLag: Distribution { Distribution(ledger.compactMap { $0.daysToComplete.map(Double.init) }) }
    /// Open items older than their priority's target.
    public var overdueCount: Int { ledger.reduce(0) { $0 + ($1.isOverdue ? 1 : 0) } }

    /// Post-mortems linked to `id` by a repeat, with the reason, newest first.
    public func similar(to id: String) -> [(id: String, reason: RepeatReason)] {
        similarByID[id] ?? []
    }

    /// Each post-mortem's repeat partners, in the order of `repeats` (newest first).
    static func partners(_ repeats: [RepeatLink]) -> [String: [(id: String, reason: RepeatReason)]] {
        var index: [String: [(id: String, reason: RepeatReason)]] = [:]
        for link in repeats {
            index[link.earlier, default: []].append((link.later, link.reason))
            index[link.later, default: []].append((link.earlier, link.reason))
        }
        return index
    }

    /// Computes every figure from the archive; `completions` come from history (`ActionItemCompletions.read`).
    ///
    /// With `since`, only incidents on or after that day count (their repeats of older incidents included).
    /// With a `repeatsCache`, repeats found by the last build from the same inputs are taken from it.
    public static func compute(
        _ archive: Archive, settings: InsightsSettings = InsightsSettings(),
        completions: ActionItemCompletions = ActionItemCompletions(), since: Day? = nil, repeatsCache: CacheFile? = nil
    ) -> Insights {
        // The day each post-mortem counts on: its incident date, else the day it was merged.
        let dayOf: (PostMortem) -> Day? = { $0.date ?? $0.history.map { Day(utc: $0.created.time) } }
        // Without `since` the archive's own array is shared, not copied post-mortem by post-mortem.
        let postMortems = since == nil
            ? archive.postMortems : archive.postMortems.filter { pm in since.map { s in dayOf(pm).map { $0 >= s } ?? false } ?? true }
        let kept = Set(postMortems.map(\.id))
        let asOf = archive.revision?.time
        let incidentDays = postMortems.map(dayOf)
        let dated = incidentDays.compactMap { $0 }
        let span = dated.min().flatMap { first in dated.max().map { (first: first, last: $0) } }
        let kind: PeriodKind = {
            guard settings.period == nil, let span else { return settings.period ?? .month }
            let months = (span.last.year - span.first.year) * 12 + span.last.month - span.first.month + 1
            return months > 24 ? .quarter : .month
        }()
        // Two halves, one per core: repeat detection, then the periods (which count repeats); the ledger, then
        // the figures that need neither (quarters, orders, merge lags).
        let ((repeats, chains, similarByID, periods, repeatsKey), (ledger, priorityOrder, others)) = Parallel.both(
            {
                let found = RepeatDetector.linksAndChains(archive.postMortems, settings: settings, cache: repeatsCache)
                var (repeats, chains) = (found.links, found.chains)
                if since != nil {
                    repeats = found.links.filter { kept.contains($0.later) }
                    chains = RepeatDetector.chains(repeats, postMortems: archive.postMortems)
                }
                let periods = periodMetrics(postMortems, days: incidentDays, span: span, kind: kind, repeating: Set(repeats.map(\.later)))
                return (repeats, chains, partners(repeats), periods, since == nil ? found.key : nil)
            },
            {
                let (ledger, priorityOrder) = ledgerItems(postMortems, settings: settings, completions: completions, asOf: asOf)
                return (ledger, priorityOrder, otherFigures(archive, postMortems, days: incidentDays, span: span))
            })
        let (quarters, severityOrder, factorTypeOrder, mergeLags) = others

        var insights = Insights(
            settings: settings, asOf: asOf, periodKind: kind, periods: periods, quarters: quarters,
            severityOrder: severityOrder, factorTypeOrder: factorTypeOrder, priorityOrder: priorityOrder,
            mergeLags: mergeLags, ledger: ledger, repeats: repeats, chains: chains, completions: completions,
            similarByID: similarByID)
        insights.repeatsKey = repeatsKey
        return insights
    }

    /// The indices of the post-mortems in each period of `kind`, by their days. Indices, not post-mortems: grouping
    /// copies of whole post-mortems was most of this step's time.
    private static func members(_ days: [Day?], kind: PeriodKind) -> [Period: [Int]] {
        var byPeriod: [Period: [Int]] = [:]
        for (index, day) in days.enumerated() {
            if let day { byPeriod[Period(day, kind: kind), default: []].append(index) }
        }
        return byPeriod
    }

    /// Each period's counts: filed, near misses, action items (completed, open by priority) and repeats.
    private static func periodMetrics(
        _ postMortems: [PostMortem], days: [Day?], span: (first: Day, last: Day)?, kind: PeriodKind, repeating: Set<String>
    ) -> [PeriodMetrics] {
        guard let span else { return [] }
        let byPeriod = members(days, kind: kind)
        return Period.range(Period(span.first, kind: kind), Period(span.last, kind: kind)).map { period in
            let members = byPeriod[period] ?? []
            var open: [String: Int] = [:]
            var (items, completed, nearMisses, repeats) = (0, 0, 0, 0)
            for index in members {
                if postMortems[index].nearMiss { nearMisses += 1 }
                if repeating.contains(postMortems[index].id) { repeats += 1 }
                for item in postMortems[index].actionItems {
                    items += 1
                    if item.isDone { completed += 1 } else { open[priorityKey(item.priority), default: 0] += 1 }
                }
            }
            return PeriodMetrics(
                period: period, filed: members.count, nearMisses: nearMisses,
                actionItems: items, completed: completed, openByPriority: open, repeats: repeats)
        }
    }

    /// The figures that need neither repeats nor the ledger: quarters, the severity and factor type orders, merge lags.
    private static func otherFigures(
        _ archive: Archive, _ postMortems: [PostMortem], days: [Day?], span: (first: Day, last: Day)?
    ) -> (quarters: [QuarterMetrics], severityOrder: [String], factorTypeOrder: [String], mergeLags: [MergeLag]) {
        var quarters: [QuarterMetrics] = []
        if let span {
            let byQuarter = members(days, kind: .quarter)
            for period in Period.range(Period(span.first, kind: .quarter), Period(span.last, kind: .quarter)) {
                let members = byQuarter[period] ?? []
                var severities: [String: Int] = [:]
                var types: [String: Int] = [:]
                for index in members {
                    severities[postMortems[index].severity ?? "none", default: 0] += 1
                    for factor in postMortems[index].factors { types[factor.type, default: 0] += 1 }
                }
                quarters.append(QuarterMetrics(
                    period: period,
                    timeToDetect: Distribution(members.compactMap { postMortems[$0].times.minutesToDetect.map(Double.init) }),
                    timeToResolve: Distribution(members.compactMap { postMortems[$0].times.minutesToResolve.map(Double.init) }),
                    severities: severities, factorTypes: types))
            }
        }

        let usedSeverities = Set(postMortems.map { $0.severity ?? "none" })
        let scale = archive.configuration.severities
        let severityOrder = scale.filter(usedSeverities.contains)
            + usedSeverities.subtracting(scale).subtracting(["none"]).sorted()
            + (usedSeverities.contains("none") ? ["none"] : [])
        let usedTypes = Set(postMortems.flatMap(\.factorTypes))
        let factorTypeOrder = archive.factorGroups.map(\.type).filter(usedTypes.contains)

        let mergeLags = postMortems.compactMap { pm -> MergeLag? in
            guard let date = pm.date, let created = pm.history?.created else { return nil }
            return MergeLag(
                postMortemID: pm.id, incident: date, merged: created,
                days: HindsightCore.days(from: date, to: Day(utc: created.time)))
        }.sorted { ($0.incident, $0.postMortemID) < ($1.incident, $1.postMortemID) }
        return (quarters, severityOrder, factorTypeOrder, mergeLags)
    }

    /// Every action item of `postMortems` in ledger order (open first, then priority, owner, oldest), and the
    /// priorities used, in order.
    static func ledgerItems(
        _ postMortems: [PostMortem], settings: InsightsSettings, completions: ActionItemCompletions, asOf: Date?
    ) -> (items: [LedgerItem], priorities: [String]) {
        var ledger: [LedgerItem] = []
        for pm in postMortems {
            let merged = pm.history?.created
            for (index, item) in pm.actionItems.enumerated() {
                let completed = item.isDone ? completions.completed(pm.id, item: index) : nil
                let age: Int? = merged.flatMap { m in asOf.map { HindsightCore.days(from: Day(utc: m.time), to: Day(utc: $0)) } }
                let target = settings.target(for: item.priority)
                ledger.append(LedgerItem(
                    postMortemID: pm.id, postMortemTitle: pm.title, index: index, text: item.text,
                    owner: item.owner ?? pm.ownerTeam, priority: item.priority, status: item.status,
                    ticket: item.ticket, isDone: item.isDone, merged: merged, ageDays: age, completed: completed,
                    daysToComplete: completed.flatMap { c in
                        merged.map { HindsightCore.days(from: Day(utc: $0.time), to: Day(utc: c.time)) }
                    },
                    targetDays: target,
                    isOverdue: item.isDone == false && target != nil && (age ?? 0) > target!))
            }
        }
        // Open before done, then priority, owner, oldest first. The keys are made once per item: a comparison
        // that lowercased and uppercased strings ran millions of times at 100,000 post-mortems.
        let keys = ledger.map { item in
            (done: item.isDone ? 1 : 0, priority: priorityRank(item.priority), owner: (item.owner ?? "\u{10FFFF}").lowercased(),
             age: -(item.ageDays ?? 0), spelling: item.priority?.uppercased() ?? "")
        }
        ledger = ledger.indices.sorted { i, j in
            let (a, b) = (keys[i], keys[j])
            if a.done != b.done { return a.done < b.done }
            if a.priority != b.priority { return a.priority < b.priority }
            if a.owner != b.owner { return a.owner < b.owner }
            return (a.age, a.spelling, ledger[i].postMortemID, ledger[i].index)
                < (b.age, b.spelling, ledger[j].postMortemID, ledger[j].index)
        }.map { ledger[$0] }
        let priorities = Set(ledger.map { priorityKey($0.priority) })
        let priorityOrder = priorities.sorted { (priorityRank($0 == "none" ? nil : $0), $0) < (priorityRank($1 == "none" ? nil : $1), $1) }
        return (ledger, priorityOrder)
    }

    /// `P0`…`P9` by number, other priorities after them, no priority last.
    static func priorityRank(_ priority: String?) -> Int {
        guard let priority else { return 1_000 }
        let upper = priority.uppercased()
        if upper.hasPrefix("P"), let n = Int(upper.dropFirst()) { return n }
        return 100
    }

    static func priorityKey(_ priority: String?) -> String { priority?.uppercased() ?? "none" }
}

/// Insights from what the source stage read: the `insights:` settings in `hindsight.yml`, and completion dates
/// from the old versions of files. Nothing is read from the repository or the disk a second time.
public enum InsightsReader {
    /// Insights of an archive built from `snapshot`.
    ///
    /// A snapshot outside Git (no `blobs`), or one whose files were never committed, has no completion dates.
    /// Its `versions` give them without another walk of the history; a snapshot read without history walks it.
    /// `cache` keeps completion dates, `repeatsCache` the repeats, for the next build.
    public static func read(
        _ snapshot: SourceSnapshot, archive: Archive, since: Day? = nil, cache: CacheFile? = nil,
        repeatsCache: CacheFile? = nil
    ) throws -> Insights {
        var settings = InsightsSettings()
        var diagnostics: [Diagnostic] = []
        if let data = snapshot.settingsData { (settings, diagnostics) = InsightsSettings.parse(data) }
        var completions = ActionItemCompletions()
        if let revision = archive.revision, let blobs = snapshot.blobs {
            completions = try ActionItemCompletions.read(
                repository: try blobs.repository(), head: revision.id, archive: archive, versions: snapshot.versions,
                cache: cache)
        }
        var insights = Insights.compute(
            archive, settings: settings, completions: completions, since: since, repeatsCache: repeatsCache)
        insights.diagnostics = diagnostics
        return insights
    }
}
