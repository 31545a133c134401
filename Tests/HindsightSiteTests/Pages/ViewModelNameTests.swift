import Foundation
import MustacheKit
import Testing

@testable import HindsightSite

@Suite("View models: templates see every stored property, named in snake case")
struct ViewModelNameTests {
    /// `camelCase` and `HTMLBody` as `camel_case` and `html_body`: the names templates have always seen.
    static func snakeCase(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let isUpper = { (byte: UInt8) in byte >= 0x41 && byte <= 0x5A }
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            guard isUpper(byte) else {
                out.append(byte)
                continue
            }
            let previous = index > 0 ? bytes[index - 1] : nil
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            // A word starts at a capital after a small letter or digit, or at the last capital of an acronym.
            if let previous, previous != UInt8(ascii: "_"),
                !isUpper(previous) || (next.map { !isUpper($0) && $0 != UInt8(ascii: "_") && !($0 >= 0x30 && $0 <= 0x39) } ?? false)
            {
                out.append(UInt8(ascii: "_"))
            }
            out.append(byte + 32)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The names `model`'s template value has, against its stored properties' names in snake case.
    static func check(_ model: some TemplateRepresentable, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .object(let object) = model.templateValue else {
            Issue.record("\(type(of: model)) is not an object", sourceLocation: sourceLocation)
            return
        }
        let properties = Mirror(reflecting: model).children.compactMap(\.label).map(snakeCase)
        #expect(object.fields.map(\.0).sorted() == properties.sorted(), "\(type(of: model))", sourceLocation: sourceLocation)
    }

    @Test("snake case of the names view models use")
    func snakeCaseNames() {
        for (name, expected) in [
            ("title", "title"), ("bodyHTML", "body_html"), ("hasTOC", "has_toc"), ("HTMLBody", "html_body"),
            ("createdCommitHref", "created_commit_href"), ("p90", "p90"),
        ] {
            #expect(Self.snakeCase(name) == expected)
        }
    }

    @Test("each view model's fields are its stored properties")
    func fields() throws {
        let urls = SiteURLs(baseURL: nil)
        let pager = try #require(Pagination(folder: "", count: 500, size: 50).pager(page: 3, urls: urls))
        Self.check(pager)
        Self.check(pager.pages[0])
        Self.check(TermLink(name: "n", href: "h"))
        Self.check(CardEntry(card: HTML("<li></li>")))
        Self.check(FactorListPage.Entry(name: "n", href: "h", count: 1, incidents: 1, description: nil))
        Self.check(IndexPage.Group(name: "n", href: "h", count: 1, severityClass: nil))
        Self.check(IndexPage.Counts(postmortems: 1, nearMisses: 0, factors: 2, actionItems: 3, openActionItems: 1))
        Self.check(TermListPage.Entry(name: "n", href: "h", count: 2))
        Self.check(LedgerPage.TeamEntry(name: "n", href: "h", open: 1, overdue: 0, total: 2, current: false))
        Self.check(LedgerPage.Counts(total: 2, open: 1, done: 1, overdue: 0))
        Self.check(LedgerPage.Target(priority: "P1", days: 30))
        Self.check(LedgerPage.Model.Row(
            text: "t", pmTitle: "p", pmHref: "h", owner: nil, ownerHref: "o", priority: nil, status: "open", done: false,
            ticket: nil, merged: nil, age: nil, target: nil, overdue: false, completed: nil, completedCommit: nil,
            daysToComplete: nil))
        Self.check(InsightsPage.Feed(name: "n", href: "h"))
        Self.check(InsightsPage.Summary(
            postmortems: 1, nearMisses: 0, nearMissShare: "0%", actionItems: 1, completedShare: "0%", open: 1, overdue: 0,
            repeats: 0, mergeMedian: "1", completionMedian: "–", period: "month"))
        Self.check(PostMortemPage.TOCEntry(text: "t", anchor: "a", level: 2, indent: false))
        Self.check(PostMortemPage.Fact(label: "l", value: "v", iso: nil))
        Self.check(PostMortemPage.Factor(text: "t", type: "Process", typeHref: "h", contribution: nil))
        Self.check(PostMortemPage.Action(text: "t", owner: nil, priority: nil, status: "open", done: false, ticket: nil, due: nil))
        Self.check(PostMortemPage.Event(time: "10:00", event: "e", iso: nil))
        Self.check(PostMortemPage.Field(key: "k", value: "v"))
        Self.check(PostMortemPage.Link(title: "t", href: "h", date: nil, id: "i", reason: nil))
        Self.check(PostMortemPage.HistoryModel(
            created: "c", updated: "u", revisions: 1, createdCommit: "a", createdCommitHref: nil, updatedCommit: "b",
            updatedCommitHref: nil, source: "s", sourceHref: nil))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let chart = try #require(TimelineChart(
            title: "T", events: [(start, "a"), (start.addingTimeInterval(600), "b")], milestones: []
        ).render(id: "c"))
        Self.check(chart.model)
        Self.check(PostMortemPage.Details(
            bodyHTML: HTML(""), toc: [], hasTOC: false, facts: [], tags: [], hasTags: false, ownerTeam: nil, factors: [],
            hasFactors: false, actionItems: [], hasActionItems: false, timeline: [], hasTimeline: false, history: nil,
            extra: [], hasExtra: false, related: [], hasRelated: false, similar: [], hasSimilar: false,
            timelineChart: chart.model))
    }

    @Test("a page's values are its common fields and then its own, its own winning")
    func merging() {
        let common: TemplateValue = ["title": "site", "root": "../"]
        #expect(common.merging(["title": "page", "x": 1]) == ["title": "page", "root": "../", "x": 1])
        guard case .object(let object) = common.merging(["title": nil]) else {
            Issue.record("not an object")
            return
        }
        #expect(object["title"] == .null)
        #expect(TemplateValue(String?.none) == .null)
        #expect(TemplateValue(["a", nil] as [String?]) == ["a", nil])
    }
}
