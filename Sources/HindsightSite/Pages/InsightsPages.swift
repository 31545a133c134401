import Foundation
import HindsightCore

/// `/insights/`, the action-item ledger (`/action-items/` and one page per team) and the Atom feeds.
struct InsightsPages {
    let archive: Archive
    let theme: Theme
    let model: ViewModel
    let insights: Insights
    var cache: PageCache? = nil

    /// Every page and feed of the insights, as jobs that `PageSet.run` runs in parallel.
    func jobs() -> [PageSet.Job] {
        var jobs: [PageSet.Job] = [{ [self] in [insightsPage()] }]
        jobs += actionItemJobs()
        jobs.append { [self] in
            [AtomFeed.render(
                Array(archive.postMortems.indices), archive: archive, urls: model.urls, path: "feed.xml", page: "",
                title: archive.configuration.title)]
        }
        for group in archive.factorGroups {
            jobs.append { [self] in
                let members = Set(group.factors.map(\.postMortem)).sorted()
                return [AtomFeed.render(
                    members, archive: archive, urls: model.urls, path: Self.factorFeed(group.slug),
                    page: SiteURLs.Path.factorType(group.slug), title: "\(group.type) factors · \(archive.configuration.title)")]
            }
        }
        return jobs
    }

    static func factorFeed(_ slug: String) -> String { SiteURLs.Path.factorType(slug) + "feed.xml" }
    static func team(_ owner: String?) -> (name: String, slug: String) {
        let name = owner ?? "Unassigned"
        let slug = Normalise.slug(name)
        return (name, slug.isEmpty ? "unassigned" : slug)
    }

    private func page(
        _ path: String, template: String, context: [String: Any], resolve: ((inout [String: Any]) -> Void)? = nil
    ) -> OutputFile {
        theme.page(path, template: template, context: context, cache: cache, resolve: resolve)
    }

    // MARK: - /insights/

    private func insightsPage() -> OutputFile {
        let path = "insights/index.html"
        var context = model.common(
            page: path, title: "Insights",
            description: "Learning across incidents: reports filed, near misses, action items completed and repeat incidents")
        let periods = insights.periods
        let labels = periods.map(\.period.description)
        let unit = insights.periodKind == .month ? "month" : "quarter"
        let percent: @Sendable (Double?) -> String = { $0.map { "\(Int($0.rounded()))%" } ?? "–" }
        let minutes: @Sendable (Double?) -> String = { ChartNumber.minutes($0) }
        let ledger = insights.ledger
        let done = ledger.filter(\.isDone).count
        let filed = archive.postMortems.count
        let repeating = Set(insights.repeats.map(\.later)).count

        context["summary"] = [
            "postmortems": filed,
            "near_misses": archive.nearMissCount,
            "near_miss_share": ChartNumber.percent(filed == 0 ? nil : Double(archive.nearMissCount) / Double(filed)),
            "action_items": ledger.count,
            "completed_share": ChartNumber.percent(ledger.isEmpty ? nil : Double(done) / Double(ledger.count)),
            "open": ledger.count - done,
            "overdue": insights.overdueCount,
            "repeats": repeating,
            "merge_median": ChartNumber.plain(insights.mergeLag.median),
            "completion_median": ChartNumber.plain(insights.completionLag.median),
            "period": unit,
        ] as [String: Any]

        var sections: [[String: Any]] = []
        func section(_ anchor: String, _ heading: String, _ intro: String, _ charts: [Chart]) {
            sections.append(["anchor": anchor, "heading": heading, "intro": intro, "charts": charts.map(\.context)])
        }

        let priorities = insights.priorityOrder
        section("hs-success", "Success metrics by \(unit)", "Incidents are counted in the \(unit) of their date. Near misses are reports where nothing broke; the method counts them as a success.", [
            BarChart(
                title: "Post-mortems and near misses per \(unit)",
                description: "Bars per \(unit): post-mortems filed and near-miss reports among them.",
                categories: labels,
                series: [
                    .init(name: "Post-mortems", values: periods.map { Double($0.filed) }),
                    .init(name: "Near misses", values: periods.map { Double($0.nearMisses) }),
                ]).render(id: "chart-filed"),
            BarChart(
                title: "Near-miss share per \(unit)",
                description: "Near misses as a percentage of the post-mortems of each \(unit).",
                categories: labels, series: [.init(name: "Near-miss share", values: periods.map { $0.nearMissShare.map { $0 * 100 } })],
                unit: "%", maximum: 100, format: percent).render(id: "chart-near-miss"),
            BarChart(
                title: "Action items completed per \(unit)",
                description: "The share of each \(unit)'s action items that are done at this commit.",
                categories: labels, series: [.init(name: "Completed", values: periods.map { $0.completedShare.map { $0 * 100 } })],
                unit: "%", maximum: 100, format: percent).render(id: "chart-completed"),
            BarChart(
                title: "Open action items by priority, per \(unit) of the incident",
                description: "Stacked bars: open action items of each \(unit)'s incidents, by priority.",
                categories: labels,
                series: priorities.map { p in .init(name: p == "none" ? "No priority" : p, values: periods.map { Double($0.openByPriority[p] ?? 0) }) },
                stacked: true).render(id: "chart-open"),
            BarChart(
                title: "Repeat incidents per \(unit)",
                description: "Incidents that repeat an earlier one: linked, or the same service and factor type, or similar factors.",
                categories: labels, series: [.init(name: "Repeat incidents", values: periods.map { Double($0.repeats) })]).render(id: "chart-repeats"),
        ])

        let quarters = insights.quarters
        let qLabels = quarters.map(\.period.description)
        section("hs-response", "Time to detect and to resolve", "Distributions, not means: the median incident and the 90th percentile (the slow tail), per quarter, in minutes from the start of the incident.", [
            BarChart(
                title: "Time to detect per quarter (minutes)",
                description: "Median and 90th percentile of the minutes from start to detection, per quarter.",
                categories: qLabels,
                series: [
                    .init(name: "Median", values: quarters.map(\.timeToDetect.median)),
                    .init(name: "90th percentile", values: quarters.map(\.timeToDetect.p90)),
                ], unit: " min", format: minutes, categoryLabel: "Quarter").render(id: "chart-detect"),
            BarChart(
                title: "Time to resolve per quarter (minutes)",
                description: "Median and 90th percentile of the minutes from start to resolution, per quarter.",
                categories: qLabels,
                series: [
                    .init(name: "Median", values: quarters.map(\.timeToResolve.median)),
                    .init(name: "90th percentile", values: quarters.map(\.timeToResolve.p90)),
                ], unit: " min", format: minutes, categoryLabel: "Quarter").render(id: "chart-resolve"),
        ])
        section("hs-mix", "Severity mix and factor types", "How severe incidents were, and which kinds of contributing factors dominate, quarter by quarter.", [
            BarChart(
                title: "Severity mix per quarter",
                description: "Stacked bars: post-mortems per quarter by severity.",
                categories: qLabels,
                series: insights.severityOrder.map { s in .init(name: s == "none" ? "No severity" : s, values: quarters.map { Double($0.severities[s] ?? 0) }) },
                stacked: true, categoryLabel: "Quarter").render(id: "chart-severity"),
            BarChart(
                title: "Contributing factors by type per quarter",
                description: "Stacked bars: contributing factors per quarter by type.",
                categories: qLabels,
                series: insights.factorTypeOrder.map { t in .init(name: t, values: quarters.map { Double($0.factorTypes[t] ?? 0) }) },
                stacked: true, categoryLabel: "Quarter").render(id: "chart-factors"),
        ])

        let merge = insights.mergeLag, completion = insights.completionLag
        let mergeDays = insights.mergeLags.map(\.days)
        let completionDays = ledger.compactMap(\.daysToComplete)
        section("hs-git", "Read from Git history", "From the incident to the merged post-mortem (the day of the commit that added it, minus the incident date): median \(ChartNumber.plain(merge.median)) days, 90th percentile \(ChartNumber.plain(merge.p90)) days over \(merge.count) post-mortems. From the merge to each action item's completion (the commit in which its status became done): median \(ChartNumber.plain(completion.median)) days, 90th percentile \(ChartNumber.plain(completion.p90)) days over \(completion.count) items.", [
            histogram(mergeDays, id: "chart-merge-lag", title: "Days from incident to merged post-mortem", what: "post-mortems"),
            histogram(completionDays, id: "chart-completion-lag", title: "Days from merge to action item completed", what: "action items"),
        ])
        context["sections"] = sections

        // The newest chains, each with its newest members: enough to see the pattern; every post-mortem page
        // lists its own similar incidents. Links are grouped by chain once, not filtered per chain.
        let byID = archive.indexByID
        let shownChains = insights.chains.prefix(Self.chainsShown).map { Array($0.suffix(Self.chainMembersShown)) }
        var chainOf: [String: Int] = [:]
        for (index, chain) in shownChains.enumerated() { for id in chain { chainOf[id] = index } }
        var chainLinks = Array(repeating: [RepeatLink](), count: shownChains.count)
        for link in insights.repeats {
            if let a = chainOf[link.earlier], a == chainOf[link.later] { chainLinks[a].append(link) }
        }
        context["chains"] = shownChains.enumerated().map { index, chain -> [String: Any] in
            let hidden = insights.chains[index].count - chain.count
            return [
                "members": chain.compactMap { id -> [String: Any]? in
                    guard let index = byID[id] else { return nil }
                    let pm = archive.postMortems[index]
                    return ["title": pm.title, "href": model.urls.href(SiteURLs.Path.postMortem(id), from: path), "date": ViewModel.value(pm.date?.description)]
                },
                "earlier": hidden > 0 ? "\(hidden) earlier incident\(hidden == 1 ? "" : "s") of this chain not shown" as Any : NSNull(),
                "links": chainLinks[index].map { link -> [String: Any] in
                    ["earlier": archive.postMortem(id: link.earlier)?.title ?? link.earlier,
                     "later": archive.postMortem(id: link.later)?.title ?? link.later, "reason": link.reason.text]
                },
            ]
        }
        let hiddenChains = insights.chains.count - shownChains.count
        context["more_chains"] = hiddenChains > 0
            ? "\(hiddenChains) older chain\(hiddenChains == 1 ? "" : "s") not shown; each post-mortem page lists its similar incidents." as Any
            : NSNull()
        context["has_chains"] = !insights.chains.isEmpty
        context["feeds"] = [["name": "All post-mortems", "href": model.urls.href("feed.xml", from: path)]]
            + archive.factorGroups.filter { !$0.factors.isEmpty }.map { group -> [String: Any] in
                ["name": "\(group.type) factors", "href": model.urls.href(Self.factorFeed(group.slug), from: path)]
            }
        context["is_insights"] = true
        return page(path, template: "insights", context: context)
    }

    /// A histogram of whole days in buckets that match review rhythms (a week, a fortnight, the targets).
    private func histogram(_ values: [Int], id: String, title: String, what: String) -> Chart {
        let buckets: [(String, ClosedRange<Int>)] = [
            ("0–7", 0...7), ("8–14", 8...14), ("15–28", 15...28), ("29–56", 29...56), ("57–90", 57...90),
            ("91–180", 91...180), ("over 180", 181...Int.max),
        ]
        let negative = values.filter { $0 < 0 }.count
        var categories = buckets.map(\.0)
        var counts = buckets.map { bucket in Double(values.filter { bucket.1.contains($0) }.count) }
        if negative > 0 {
            categories.insert("before", at: 0)
            counts.insert(Double(negative), at: 0)
        }
        return BarChart(
            title: title, description: "Number of \(what) per range of days.", categories: categories,
            series: [.init(name: what.prefix(1).uppercased() + what.dropFirst(), values: counts)],
            categoryLabel: "Days").render(id: id)
    }

    /// How many chains `/insights/` lists, and how many members of each (the newest).
    static let chainsShown = 25
    static let chainMembersShown = 12

    // MARK: - /action-items/

    private func actionItemJobs() -> [PageSet.Job] {
        let rows = LedgerRows(insights.ledger) { item, writer in writeRowKey(item, to: &writer) }
        var teams: [String: (name: String, numbers: [Int])] = [:]
        for number in insights.ledger.indices {
            let team = rows.teams[number]
            teams[team.slug, default: (team.name, [])].numbers.append(number)
        }
        // Each team's counts, once: every page of every ledger shows the list of teams.
        let summaries = teams.map { slug, team in
            TeamSummary(slug: slug, name: team.name, counts: LedgerCounts(team.numbers, rows))
        }.sorted { $0.name.lowercased() < $1.name.lowercased() }
        // What the list of teams is made from, once.
        var writer = BinaryWriter()
        for summary in summaries {
            writer.string(summary.name)
            writer.string(summary.slug)
            for count in [summary.counts.open, summary.counts.overdue, summary.counts.total] { writer.varint(count) }
        }
        let teamsKey = ContentKey.of(writer.buffer).hex
        let all = Array(insights.ledger.indices)
        var jobs = ledgerJobs(
            "action-items/", numbers: all, rows: rows, counts: LedgerCounts(all, rows), team: nil, teams: summaries,
            teamsKey: teamsKey)
        for summary in summaries {
            jobs += ledgerJobs(
                "action-items/\(summary.slug)/", numbers: teams[summary.slug]!.numbers, rows: rows, counts: summary.counts,
                team: (summary.name, summary.slug), teams: summaries, teamsKey: teamsKey)
        }
        return jobs
    }

    /// What a ledger page needs of each item of the ledger (by its number in `Insights.ledger`), made once and
    /// on every core: its part of the page's key, its team, whether it is done or overdue. An item is on two
    /// ledgers (the whole one and its team's), and reading each item's fields for each page, waiting on memory
    /// for every one of 100,000 items twice, was most of what the ledger pages cost a rebuild.
    struct LedgerRows: Sendable {
        /// Every item's part of a page key, one after another; item `n`'s is `keys[ends[n - 1]..<ends[n]]`.
        private let keys: [UInt8]
        private let ends: [Int]
        let teams: [(name: String, slug: String)]
        let done: [Bool]
        let overdue: [Bool]

        init(_ ledger: [LedgerItem], key: @Sendable (LedgerItem, inout BinaryWriter) -> Void) {
            let chunk = 4096
            let parts = Parallel.map((ledger.count + chunk - 1) / chunk) { part in
                var writer = BinaryWriter()
                var ends: [Int] = [], teams: [(name: String, slug: String)] = [], done: [Bool] = [], overdue: [Bool] = []
                for item in ledger[part * chunk..<min(ledger.count, (part + 1) * chunk)] {
                    key(item, &writer)
                    ends.append(writer.buffer.count)
                    teams.append(InsightsPages.team(item.owner))
                    done.append(item.isDone)
                    overdue.append(item.isOverdue)
                }
                return (writer.buffer, ends, teams, done, overdue)
            }
            var keys: [UInt8] = [], ends: [Int] = []
            ends.reserveCapacity(ledger.count)
            for part in parts {
                let base = keys.count
                keys += part.0
                ends += part.1.map { base + $0 }
            }
            (self.keys, self.ends) = (keys, ends)
            teams = parts.flatMap(\.2)
            done = parts.flatMap(\.3)
            overdue = parts.flatMap(\.4)
        }

        /// Item `number`'s part of a page key.
        func key(_ number: Int) -> ArraySlice<UInt8> { keys[(number == 0 ? 0 : ends[number - 1])..<ends[number]] }
    }

    /// How many items of a ledger are open, done and overdue.
    struct LedgerCounts {
        let total: Int, open: Int, done: Int, overdue: Int

        init(_ numbers: [Int], _ rows: LedgerRows) {
            var open = 0, overdue = 0
            for number in numbers {
                if !rows.done[number] { open += 1 }
                if rows.overdue[number] { overdue += 1 }
            }
            (self.total, self.open, self.done, self.overdue) = (numbers.count, open, numbers.count - open, overdue)
        }
    }

    /// A team of the ledger, for the list of teams on every ledger page.
    struct TeamSummary {
        let slug: String
        let name: String
        let counts: LedgerCounts
    }

    /// A ledger (items by their numbers in `Insights.ledger`), `paginate` × 5 rows per page.
    private func ledgerJobs(
        _ folder: String, numbers: [Int], rows: LedgerRows, counts: LedgerCounts, team: (name: String, slug: String)?,
        teams: [TeamSummary], teamsKey: String
    ) -> [PageSet.Job] {
        let pages = Pagination(folder: folder, count: numbers.count, size: archive.configuration.paginate * 5)
        return (1...pages.pageCount).map { number in
            { [self] in
                [ledgerPage(
                    pages.path(page: number), numbers: numbers[pages.range(page: number)], rows: rows, counts: counts,
                    pager: pages.pager(page: number, urls: model.urls), team: team, teams: teams, teamsKey: teamsKey)]
            }
        }
    }

    private func ledgerPage(
        _ path: String, numbers: ArraySlice<Int>, rows: LedgerRows, counts: LedgerCounts, pager: Any,
        team: (name: String, slug: String)?, teams: [TeamSummary], teamsKey: String
    ) -> OutputFile {
        var context = model.common(
            page: path, title: team.map { "Action items: \($0.name)" } ?? "Action items",
            description: "Every action item, tracked to completion from Git history")
        context["team"] = team.map { ["name": $0.name, "all_href": model.urls.href("action-items/", from: path)] as [String: Any] } ?? NSNull()
        // Every ledger page lists every team: made only if the page is rendered, keyed by the teams' summaries
        // (`teamsKey`), the page and which team is its own.
        let urls = model.urls
        context["teams"] = Deferred(key: "teams\u{0}\(teamsKey)\u{0}\(path)\u{0}\(urls.base ?? "")\u{0}\(team?.slug ?? "\u{0}")") {
            teams.map { summary -> [String: Any] in
                [
                    "name": summary.name, "href": urls.href("action-items/\(summary.slug)/", from: path),
                    "open": summary.counts.open, "overdue": summary.counts.overdue, "total": summary.counts.total,
                    "current": team?.slug == summary.slug,
                ]
            }
        }
        context["counts"] = [
            "total": counts.total, "open": counts.open, "done": counts.done, "overdue": counts.overdue,
        ]
        context["targets"] = insights.settings.targets.sorted { $0.key < $1.key }.map { ["priority": $0.key, "days": $0.value] }
        context["as_of"] = ViewModel.value(insights.asOf.map(Format.day))
        context["pager"] = pager
        // The rows are made only when the page is rendered; its fingerprint holds their key (a ledger page has 250).
        let ledger = insights.ledger
        context["items"] = Deferred(key: ledgerRowsKey(numbers, rows: rows, path: path)) {
            ledgerRows(numbers.map { ledger[$0] }[...], path: path)
        }
        context["has_items"] = !numbers.isEmpty
        context["is_action_items"] = true
        return page(path, template: "action-items", context: context) {
            Deferred.resolve(&$0, at: ["items"])
            Deferred.resolve(&$0, at: ["teams"])
        }
    }

    /// The key (`ContentKey`, hex) of everything `ledgerRows` makes the rows of the items `numbers` on the page at
    /// `path` from: each item's part (`writeRowKey`) after the page's.
    private func ledgerRowsKey(_ numbers: ArraySlice<Int>, rows: LedgerRows, path: String) -> String {
        var writer = BinaryWriter()
        // Links are relative to the page, or start with the base address.
        writer.string(path)
        writer.optional(model.urls.base)
        writer.varint(numbers.count)
        for number in numbers { writer.append(rows.key(number)) }
        return ContentKey.of(writer.buffer).hex
    }

    /// What `ledgerRows` makes `item`'s row from, written out for a page key.
    private func writeRowKey(_ item: LedgerItem, to writer: inout BinaryWriter) {
        func number(_ value: Int?) {
            writer.bool(value != nil)
            writer.varint(value.map { $0 < 0 ? 1 + 2 * -$0 : 2 * $0 } ?? 0)
        }
        if let index = archive.indexByID[item.postMortemID], let parseKey = model.parseKeyHex[index] {
            // The post-mortem's parse key names the item's text, owner, priority, status and ticket and the
            // post-mortem's id and title: 40 bytes instead of copying them (100,000 rows at 10,000).
            writer.string(parseKey)
            writer.varint(item.index)
        } else {
            for text in [item.text, item.postMortemTitle, item.postMortemID, item.status] { writer.string(text) }
            writer.optional(item.owner)
            writer.optional(item.priority)
            writer.optional(item.ticket)
        }
        // What history and the day built add.
        writer.bool(item.isDone)
        writer.bool(item.isOverdue)
        writer.double(item.merged?.time.timeIntervalSince1970 ?? .nan)
        writer.double(item.completed?.time.timeIntervalSince1970 ?? .nan)
        writer.optional(item.completed?.id.hex)
        for value in [item.ageDays, item.targetDays, item.daysToComplete] { number(value) }
    }

    /// The template values of the ledger rows of `items` on the page at `path`.
    private func ledgerRows(_ items: ArraySlice<LedgerItem>, path: String) -> [[String: Any]] {
        items.map { item -> [String: Any] in
            let owner = Self.team(item.owner)
            return [
                "text": item.text,
                "pm_title": item.postMortemTitle,
                "pm_href": model.urls.href(SiteURLs.Path.postMortem(item.postMortemID), from: path),
                "owner": ViewModel.value(item.owner),
                "owner_href": model.urls.href("action-items/\(owner.slug)/", from: path),
                "priority": ViewModel.value(item.priority),
                "status": item.status,
                "done": item.isDone,
                "ticket": ViewModel.value(item.ticket),
                "merged": ViewModel.value(item.merged.map { Format.day($0.time) }),
                "age": item.ageDays.map { "\($0)" } as Any? ?? NSNull(),
                "target": item.targetDays.map { "\($0)" } as Any? ?? NSNull(),
                "overdue": item.isOverdue,
                "completed": ViewModel.value(item.completed.map { Format.day($0.time) }),
                "completed_commit": ViewModel.value(item.completed?.id.short),
                "days_to_complete": item.daysToComplete.map { "\($0)" } as Any? ?? NSNull(),
            ]
        }
    }
}

extension ViewModel {
    /// The post-mortems similar to `pm`, each with the reason shown. The strongest reasons first; a page lists
    /// at most a dozen, so a busy service does not bury the real repeats.
    func similarEntries(_ pm: PostMortem) -> [(index: Int, reason: String?)] {
        let partners = (insights?.similar(to: pm.id) ?? []).enumerated()
            .sorted { ($0.element.reason.strength, $0.offset) < ($1.element.reason.strength, $1.offset) }
            .prefix(12).map(\.element)
        return partners.compactMap { entry -> (index: Int, reason: String?)? in
            archive.indexByID[entry.id].map { ($0, entry.reason.text) }
        }
    }

    /// "Similar incidents" (with the reason) and the timeline chart, for a post-mortem's page.
    func insightsFields(_ pm: PostMortem, path: String) -> [String: Any] {
        var fields: [String: Any] = [:]
        let similar = similarEntries(pm)
        fields["similar"] = postMortemLinks(similar, from: path, kind: "similar")
        fields["has_similar"] = !similar.isEmpty

        // Drawn only if the page is rendered (see `PageSet`); its inputs, or the parse key that names them, stand for
        // it in the page's fingerprint.
        let makeChart = { () -> TimelineChart in
            let milestones: [(String, Date?)] = [
                ("Started", pm.times.started), ("Detected", pm.times.detected), ("Acknowledged", pm.times.acknowledged),
                ("Mitigated", pm.times.mitigated), ("Resolved", pm.times.resolved),
            ]
            return TimelineChart(
                title: "Timeline of \(pm.title)",
                events: pm.timeline.compactMap { entry in entry.timestamp.map { ($0, entry.event) } },
                milestones: milestones.compactMap { name, time in time.map { (name, $0) } })
        }
        let chartKey = parseKeyHex(of: pm).map { "timeline\u{0}" + $0 } ?? makeChart().key
        fields["timeline_chart"] = Deferred(key: chartKey) { () -> Any in
            guard let drawn = makeChart().render(id: "chart-timeline") else { return NSNull() }
            return drawn.context
        }
        return fields
    }
}
