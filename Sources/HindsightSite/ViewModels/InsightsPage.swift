import Foundation
import HindsightCore
import MustacheKit

/// `/insights/` (`insights.mustache`): the method's success metrics over time, time to detect and resolve, the
/// severity and factor mix, what Git history tells, and repeat incidents.
///
/// There is one such page, and its view model is its input: the page's key is the key of all it shows.
struct InsightsPage: SitePage {
    struct Summary: Encodable, Sendable, TemplateRepresentable {
        let postmortems: Int, nearMisses: Int, nearMissShare: String, actionItems: Int, completedShare: String
        let open: Int, overdue: Int, repeats: Int, mergeMedian: String, completionMedian: String, period: String

        var templateValue: TemplateValue {
            [
                "postmortems": .int(postmortems), "near_misses": .int(nearMisses), "near_miss_share": .string(nearMissShare),
                "action_items": .int(actionItems), "completed_share": .string(completedShare), "open": .int(open),
                "overdue": .int(overdue), "repeats": .int(repeats), "merge_median": .string(mergeMedian),
                "completion_median": .string(completionMedian), "period": .string(period),
            ]
        }
    }

    struct Section: Encodable, Sendable, TemplateRepresentable {
        let anchor: String, heading: String, intro: String, charts: [ChartModel]

        var templateValue: TemplateValue {
            ["anchor": .string(anchor), "heading": .string(heading), "intro": .string(intro), "charts": .init(charts)]
        }
    }

    /// A chain of repeat incidents: its newest members and the links between them.
    struct Chain: Encodable, Sendable, TemplateRepresentable {
        struct Member: Encodable, Sendable { let title: String, href: String, date: String? }
        struct Link: Encodable, Sendable { let earlier: String, later: String, reason: String }
        let members: [Member]
        let earlier: String?
        let links: [Link]

        var templateValue: TemplateValue {
            [
                "members": .list(members.map { ["title": .string($0.title), "href": .string($0.href), "date": .init($0.date)] }),
                "earlier": .init(earlier),
                "links": .list(links.map { ["earlier": .string($0.earlier), "later": .string($0.later), "reason": .string($0.reason)] }),
            ]
        }
    }

    struct Feed: Encodable, Sendable, TemplateRepresentable {
        let name: String, href: String

        var templateValue: TemplateValue { ["name": .string(name), "href": .string(href)] }
    }

    struct Model: Encodable, Sendable, TemplateRepresentable {
        let summary: Summary
        let sections: [Section]
        let chains: [Chain]
        let moreChains: String?
        let hasChains: Bool
        let feeds: [Feed]
        let isInsights = true

        var templateValue: TemplateValue {
            [
                "summary": .init(summary), "sections": .init(sections), "chains": .init(chains), "more_chains": .init(moreChains),
                "has_chains": .bool(hasChains), "feeds": .init(feeds), "is_insights": .bool(isInsights),
            ]
        }
    }

    static let template = "insights"
    let path = "insights/index.html"
    let model: Model

    func make(_ context: PageContext) -> PageModel<Model> {
        PageModel(
            title: "Insights",
            description: "Learning across incidents: reports filed, near misses, action items completed and repeat incidents",
            model: model)
    }

    /// How many chains the page lists, and how many members of each (the newest).
    static let chainsShown = 25
    static let chainMembersShown = 12

    init(archive: Archive, insights: Insights, urls: SiteURLs) {
        let path = self.path
            let periods = insights.periods
            let labels = periods.map(\.period.description)
            let unit = insights.periodKind == .month ? "month" : "quarter"
            let percent: @Sendable (Double?) -> String = { $0.map { "\(Int($0.rounded()))%" } ?? "–" }
            let minutes: @Sendable (Double?) -> String = { ChartNumber.minutes($0) }
            let ledger = insights.ledger
            let done = ledger.filter(\.isDone).count
            let filed = archive.postMortems.count
            let repeating = Set(insights.repeats.map(\.later)).count

            let summary = Summary(
                postmortems: filed,
                nearMisses: archive.nearMissCount,
                nearMissShare: ChartNumber.percent(filed == 0 ? nil : Double(archive.nearMissCount) / Double(filed)),
                actionItems: ledger.count,
                completedShare: ChartNumber.percent(ledger.isEmpty ? nil : Double(done) / Double(ledger.count)),
                open: ledger.count - done,
                overdue: insights.overdueCount,
                repeats: repeating,
                mergeMedian: ChartNumber.plain(insights.mergeLag.median),
                completionMedian: ChartNumber.plain(insights.completionLag.median),
                period: unit)

            var sections: [Section] = []
            func section(_ anchor: String, _ heading: String, _ intro: String, _ charts: [Chart]) {
                sections.append(Section(anchor: anchor, heading: heading, intro: intro, charts: charts.map(\.model)))
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
                Self.histogram(mergeDays, id: "chart-merge-lag", title: "Days from incident to merged post-mortem", what: "post-mortems"),
                Self.histogram(completionDays, id: "chart-completion-lag", title: "Days from merge to action item completed", what: "action items"),
            ])

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
        let chains = shownChains.enumerated().map { index, chain in
            let hidden = insights.chains[index].count - chain.count
            return Chain(
                members: chain.compactMap { id in
                    guard let index = byID[id] else { return nil }
                    let pm = archive.postMortems[index]
                    return Chain.Member(title: pm.title, href: urls.href(SiteURLs.Path.postMortem(id), from: path), date: pm.date.map(Format.day))
                },
                earlier: hidden > 0 ? "\(hidden) earlier incident\(hidden == 1 ? "" : "s") of this chain not shown" : nil,
                links: chainLinks[index].map { link in
                    Chain.Link(
                        earlier: archive.postMortem(id: link.earlier)?.title ?? link.earlier,
                        later: archive.postMortem(id: link.later)?.title ?? link.later, reason: link.reason.text)
                })
        }
        let hiddenChains = insights.chains.count - shownChains.count
        let feeds = [Feed(name: "All post-mortems", href: urls.href("feed.xml", from: path))]
            + archive.factorGroups.filter { !$0.factors.isEmpty }.map { group in
                Feed(name: "\(group.type) factors", href: urls.href(AtomFeed.factorFeed(group.slug), from: path))
            }
        model = Model(
            summary: summary, sections: sections, chains: chains,
            moreChains: hiddenChains > 0
                ? "\(hiddenChains) older chain\(hiddenChains == 1 ? "" : "s") not shown; each post-mortem page lists its similar incidents."
                : nil,
            hasChains: !insights.chains.isEmpty, feeds: feeds)
    }

    /// A histogram of whole days in buckets that match review rhythms (a week, a fortnight, the targets).
    private static func histogram(_ values: [Int], id: String, title: String, what: String) -> Chart {
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

}
