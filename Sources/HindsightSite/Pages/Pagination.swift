import Foundation
import MustacheKit

/// Splits a long list into pages the way Hugo and Zola do: `folder/index.html` first, then
/// `folder/page/2/index.html`, `folder/page/3/index.html`, …
///
/// A list of thousands of entries on one page is slow to build and slow to read; every list of the site
/// (post-mortems, factor tables, the action-item ledger) goes through this.
struct Pagination {
    /// The list's folder below the site root (`""` for the home page, `services/checkout/`).
    let folder: String
    /// How many entries the list has.
    let count: Int
    /// Entries per page; 0 or less puts everything on one page.
    let size: Int

    /// Number of pages (at least one, also for an empty list).
    var pageCount: Int { size <= 0 || count == 0 ? 1 : (count + size - 1) / size }

    /// The folder of page `number` (1-based), for links.
    func folder(page number: Int) -> String { number <= 1 ? folder : "\(folder)page/\(number)/" }

    /// The file page `number` is written to.
    func path(page number: Int) -> String { SiteURLs.Path.file(folder(page: number)) }

    /// The entries on page `number`.
    func range(page number: Int) -> Range<Int> {
        guard size > 0 else { return 0..<count }
        let start = min(count, (number - 1) * size)
        return start..<min(count, start + size)
    }

    /// The pager of page `number`, nil when there is only one page.
    ///
    /// Page numbers are listed around the current page with the first and last always shown, so a list of
    /// 200 pages has a pager of a dozen links, not 200.
    func pager(page number: Int, urls: SiteURLs) -> PagerModel? {
        guard pageCount > 1 else { return nil }
        let path = path(page: number)
        func href(_ page: Int) -> String { urls.href(folder(page: page), from: path) }
        let shown = Set([1, pageCount] + Array(max(1, number - 2)...min(pageCount, number + 2)))
        var pages: [PagerModel.Page] = []
        var previous = 0
        for page in shown.sorted() {
            if page > previous + 1 { pages.append(.init(gap: true, number: nil, href: nil, current: false)) }
            pages.append(.init(gap: false, number: page, href: href(page), current: page == number))
            previous = page
        }
        return PagerModel(
            current: number, total: pageCount, first: number == 1, newer: number > 1 ? href(number - 1) : nil,
            older: number < pageCount ? href(number + 1) : nil, pages: pages)
    }
}

/// What `pager.mustache` shows of a paginated list.
struct PagerModel: Encodable, Sendable, TemplateRepresentable {
    struct Page: Encodable, Sendable, TemplateRepresentable {
        let gap: Bool
        let number: Int?
        let href: String?
        let current: Bool

        var templateValue: TemplateValue {
            ["gap": .bool(gap), "number": .init(number), "href": .init(href), "current": .bool(current)]
        }
    }

    let current: Int
    let total: Int
    let first: Bool
    let newer: String?
    let older: String?
    let pages: [Page]

    var templateValue: TemplateValue {
        [
            "current": .int(current), "total": .int(total), "first": .bool(first), "newer": .init(newer),
            "older": .init(older), "pages": .init(pages),
        ]
    }
}
