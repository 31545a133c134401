import Foundation
import GitKit
import HindsightCore
import MustacheKit

/// A page of the action-item ledger (`action-items.mustache`): every item, or one team's, tracked to completion
/// from Git history, with the list of teams.
struct LedgerPage: SitePage {
    struct Team: Encodable, Sendable {
        let name: String
        let slug: String
    }

    /// A team in the list of teams, with its counts.
    struct TeamEntry: Encodable, Sendable, TemplateRepresentable {
        let name: String, href: String, open: Int, overdue: Int, total: Int, current: Bool

        var templateValue: TemplateValue {
            [
                "name": .string(name), "href": .string(href), "open": .int(open), "overdue": .int(overdue),
                "total": .int(total), "current": .bool(current),
            ]
        }
    }

    struct Counts: Encodable, Sendable, TemplateRepresentable {
        let total: Int, open: Int, done: Int, overdue: Int

        var templateValue: TemplateValue {
            ["total": .int(total), "open": .int(open), "done": .int(done), "overdue": .int(overdue)]
        }
    }

    struct Target: Encodable, Sendable, TemplateRepresentable {
        let priority: String, days: Int

        var templateValue: TemplateValue { ["priority": .string(priority), "days": .int(days)] }
    }

    struct Model: TemplateRepresentable {
        struct TeamModel { let name: String, allHref: String }
        struct Row: TemplateRepresentable {
            let text: String, pmTitle: String, pmHref: String, owner: String?, ownerHref: String, priority: String?
            let status: String, done: Bool, ticket: String?, merged: String?, age: String?, target: String?
            let overdue: Bool, completed: String?, completedCommit: String?, daysToComplete: String?

            var templateValue: TemplateValue {
                [
                    "text": .string(text), "pm_title": .string(pmTitle), "pm_href": .string(pmHref), "owner": .init(owner),
                    "owner_href": .string(ownerHref), "priority": .init(priority), "status": .string(status),
                    "done": .bool(done), "ticket": .init(ticket), "merged": .init(merged), "age": .init(age),
                    "target": .init(target), "overdue": .bool(overdue), "completed": .init(completed),
                    "completed_commit": .init(completedCommit), "days_to_complete": .init(daysToComplete),
                ]
            }
        }
        let team: TeamModel?
        let teams: [TeamEntry]
        let counts: Counts
        let targets: [Target]
        let asOf: String?
        let pager: PagerModel?
        let items: [Row]
        let hasItems: Bool
        let isActionItems = true

        var templateValue: TemplateValue {
            [
                "team": team.map { ["name": .string($0.name), "all_href": .string($0.allHref)] } ?? .null,
                "teams": .init(teams), "counts": .init(counts), "targets": .init(targets), "as_of": .init(asOf),
                "pager": .init(pager), "items": .init(items), "has_items": .bool(hasItems),
                "is_action_items": .bool(isActionItems),
            ]
        }
    }

    static let template = "action-items"
    let path: String
    let team: Team?
    let teams: [TeamEntry]
    let counts: Counts
    let targets: [Target]
    let asOf: String?
    let pager: PagerModel?
    /// The page's items, each keyed by what its row shows (`LedgerRows`).
    let items: [Keyed<LedgerItem>]

    func make(_ context: PageContext) -> PageModel<Model> {
        let rows = items.map { keyed in
            let item = keyed.value
            let owner = Self.team(item.owner)
            return Model.Row(
                text: item.text, pmTitle: item.postMortemTitle, pmHref: context.href(SiteURLs.Path.postMortem(item.postMortemID)),
                owner: item.owner.nonEmpty, ownerHref: context.href("action-items/\(owner.slug)/"),
                priority: item.priority.nonEmpty, status: item.status, done: item.isDone, ticket: item.ticket.nonEmpty,
                merged: item.merged.map { Format.day($0.time) }, age: item.ageDays.map(String.init),
                target: item.targetDays.map(String.init), overdue: item.isOverdue,
                completed: item.completed.map { Format.day($0.time) }, completedCommit: item.completed?.id.short,
                daysToComplete: item.daysToComplete.map(String.init))
        }
        return PageModel(
            title: team.map { "Action items: \($0.name)" } ?? "Action items",
            description: "Every action item, tracked to completion from Git history",
            model: Model(
                team: team.map { .init(name: $0.name, allHref: context.href("action-items/")) }, teams: teams, counts: counts,
                targets: targets, asOf: asOf, pager: pager, items: rows, hasItems: !items.isEmpty))
    }

    /// The team that owns an item, and its ledger's folder name.
    static func team(_ owner: String?) -> Team {
        let name = owner ?? "Unassigned"
        let slug = Format.slug(name)
        return Team(name: name, slug: slug.isEmpty ? "unassigned" : slug)
    }

}

extension LedgerPage {
    /// Every page of the whole ledger and of each team's, `paginate` × 5 rows per page.
    static func all(_ insights: Insights, archive: Archive, links: ArchiveLinks, urls: SiteURLs) -> [LedgerPage] {
        let ledger = insights.ledger
        let rows = LedgerRows(ledger, links: links, archive: archive)
        var numbersByTeam: [String: (team: Team, numbers: [Int])] = [:]
        for number in ledger.indices {
            let team = rows.teams[number]
            numbersByTeam[team.slug, default: (team, [])].numbers.append(number)
        }
        // Each team's counts, once: every page of every ledger shows the list of teams.
        let summaries = numbersByTeam.values.map { ($0.team, Self.counts($0.numbers, rows)) }
            .sorted { $0.0.name.lowercased() < $1.0.name.lowercased() }
        let targets = insights.settings.targets.sorted { $0.key < $1.key }.map { Target(priority: $0.key, days: $0.value) }
        let asOf = insights.asOf.map(Format.day)

        var pages: [LedgerPage] = []
        func addLedger(_ folder: String, numbers: [Int], team: Team?) {
            let counts = Self.counts(numbers, rows)
            let pagination = Pagination(folder: folder, count: numbers.count, size: archive.configuration.paginate * 5)
            for number in 1...pagination.pageCount {
                let path = pagination.path(page: number)
                let teams = summaries.map { summary, counts in
                    TeamEntry(
                        name: summary.name, href: urls.href("action-items/\(summary.slug)/", from: path), open: counts.open,
                        overdue: counts.overdue, total: counts.total, current: team?.slug == summary.slug)
                }
                pages.append(LedgerPage(
                    path: path, team: team, teams: teams, counts: counts, targets: targets, asOf: asOf,
                    pager: pagination.pager(page: number, urls: urls),
                    items: numbers[pagination.range(page: number)].map { Keyed(ledger[$0], key: rows.key($0)) }))
            }
        }
        addLedger("action-items/", numbers: Array(ledger.indices), team: nil)
        for (team, _) in summaries {
            addLedger("action-items/\(team.slug)/", numbers: numbersByTeam[team.slug]!.numbers, team: team)
        }
        return pages
    }

    private static func counts(_ numbers: [Int], _ rows: LedgerRows) -> Counts {
        var open = 0, overdue = 0
        for number in numbers {
            if !rows.done[number] { open += 1 }
            if rows.overdue[number] { overdue += 1 }
        }
        return Counts(total: numbers.count, open: open, done: numbers.count - open, overdue: overdue)
    }
}

/// What the ledger pages need of each item (by its number in `Insights.ledger`), made once and on every core:
/// the key of what its row shows, its team, whether it is done or overdue. An item is on two ledgers (the whole
/// one and its team's), and the ledger of a large archive has a hundred thousand items.
struct LedgerRows: Sendable {
    let keys: [String]
    let teams: [LedgerPage.Team]
    let done: [Bool]
    let overdue: [Bool]

    init(_ ledger: [LedgerItem], links: ArchiveLinks, archive: Archive) {
        let chunk = 4096
        let parts = Parallel.map((ledger.count + chunk - 1) / chunk) { part in
            var keys: [String] = [], teams: [LedgerPage.Team] = [], done: [Bool] = [], overdue: [Bool] = []
            for item in ledger[part * chunk..<min(ledger.count, (part + 1) * chunk)] {
                keys.append(Self.key(item, links: links, archive: archive))
                teams.append(LedgerPage.team(item.owner))
                done.append(item.isDone)
                overdue.append(item.isOverdue)
            }
            return (keys, teams, done, overdue)
        }
        keys = parts.flatMap(\.0)
        teams = parts.flatMap(\.1)
        done = parts.flatMap(\.2)
        overdue = parts.flatMap(\.3)
    }

    func key(_ number: Int) -> String { keys[number] }

    /// The key of what `item`'s row shows: its post-mortem's parse key (which names the item's text, owner,
    /// priority, status and ticket, and the post-mortem's id and title) and its place, then what history and the
    /// day built add.
    private static func key(_ item: LedgerItem, links: ArchiveLinks, archive: Archive) -> String {
        guard let index = archive.indexByID[item.postMortemID] else { return Keyed(item, key: nil).key }
        // Written into one buffer (there are a hundred thousand items): numbers and flags in hexadecimal, each
        // after a separator none of them holds, `-` for a value that is missing.
        var key: [UInt8] = []
        key.reserveCapacity(256)
        key += links.keyed(index).key.utf8
        func number(_ value: UInt64?) {
            key.append(UInt8(ascii: "/"))
            guard let value else { return key.append(UInt8(ascii: "-")) }
            for shift in stride(from: 60, through: 0, by: -4) { key.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)]) }
        }
        func integer(_ value: Int?) { number(value.map { UInt64(bitPattern: Int64($0)) }) }
        func time(_ stamp: CommitStamp?) { number(stamp.map { $0.time.timeIntervalSince1970.bitPattern }) }
        integer(item.index)
        integer((item.isDone ? 1 : 0) | (item.isOverdue ? 2 : 0))
        time(item.merged)
        time(item.completed)
        key.append(UInt8(ascii: "/"))
        key += (item.completed?.id.hex ?? "-").utf8
        integer(item.ageDays)
        integer(item.targetDays)
        integer(item.daysToComplete)
        return String(decoding: key, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
