import Foundation
import Testing

@testable import HindsightCore

@Suite("Title fallbacks")
struct TitleFallbackTests {
    @Test func frontMatterTitleWins() throws {
        let pm = try postMortem("---\ntitle: From front matter\n---\n# From the heading\n")
        #expect(pm.title == "From front matter")
    }

    @Test func firstH1IsTheTitle() throws {
        let pm = try postMortem("Intro text.\n\n# First *H1*\n\n## Summary\n\n# Second H1\n")
        #expect(pm.title == "First H1")
    }

    @Test func leadingH1IsNotRepeatedInTheBody() throws {
        let pm = try postMortem("# Cache stampede\n\nText.\n")
        #expect(pm.title == "Cache stampede")
        #expect(pm.bodyHTML.contains("Cache stampede") == false)
        #expect(pm.bodyHTML.contains("Text."))
    }

    @Test(arguments: [
        ("Content/2024/2024-03-05-checkout-errors.md", "Checkout errors"),
        ("Content/search-index-corruption.md", "Search index corruption"),
        ("Content/2025/2025-06-12-ledger-replica-lag/index.md", "Ledger replica lag"),
        ("Content/db_failover.markdown", "Db failover"),
    ])
    func fileNameIsHumanised(path: String, title: String) throws {
        let pm = try postMortem("## Summary\n\nNo title anywhere.\n", path: path)
        #expect(pm.title == title)
    }
}

@Suite("Id fallbacks")
struct IDFallbackTests {
    @Test(arguments: [
        ("Content/2024/2024-03-05-checkout-errors.md", "2024-03-05-checkout-errors"),
        ("Content/2024/Checkout Errors.md", "checkout-errors"),
        ("Content/2025/2025-06-12-ledger-replica-lag/index.md", "2025-06-12-ledger-replica-lag"),
        ("Content/2025/payments-outage/README.md", "payments-outage"),
        ("Content/Ünïcode Störung.md", "unicode-storung"),
    ])
    func idComesFromTheFileName(path: String, id: String) throws {
        let (result, diagnostics) = parseDocument("Text.\n", path: path)
        #expect(result?.id == id)
        #expect(errors(diagnostics).isEmpty)
        #expect(diagnostics.contains { $0.message.contains("not a slug") } == false)
    }

    @Test func frontMatterIDThatIsASlugIsUsedSilently() throws {
        let (result, diagnostics) = parseDocument("---\nid: checkout-2024\n---\n", path: "Content/other-name.md")
        #expect(result?.id == "checkout-2024")
        #expect(diagnostics.contains { $0.message.contains("not a slug") } == false)
    }

    @Test func frontMatterIDIsSlugifiedWithAWarning() throws {
        let (result, diagnostics) = parseDocument("---\ndate: 2024-01-01\nid: Checkout Errors!\n---\n")
        #expect(result?.id == "checkout-errors")
        let warning = try #require(warnings(diagnostics).first)
        #expect(warning.message.contains("'checkout-errors'"))
        #expect(warning.location?.line == 3)
        #expect(warning.location?.column == 5)
    }

    @Test(arguments: [
        ("INC 2024/03: DB failover", "inc-2024-03-db-failover"),
        ("Résumé — café outage", "resume-cafe-outage"),
        ("release_1.2", "release_1-2"),
    ])
    func idsAreSlugified(written: String, slug: String) throws {
        let pm = try postMortem("---\nid: \"\(written)\"\n---\n")
        #expect(pm.id == slug)
    }

    @Test func slugHasNoDoubleHyphenAfterAFullStop() throws {
        let pm = try postMortem("---\nid: \"Release v2. Rollback\"\n---\n")
        #expect(pm.id == "release-v2-rollback")
    }

    @Test func fileNameWithNoLettersOrDigitsIsAnError() throws {
        let (result, diagnostics) = parseDocument("# 🔥\n", path: "Content/🔥🔥.md")
        #expect(result == nil)
        #expect(errors(diagnostics).first?.message.contains("id") == true)
    }
}

@Suite("Date fallbacks, in order")
struct DateFallbackTests {
    private let timelineBody = "## Timeline\n\n- 10:00 - no date here\n- 2024-06-02 11:00 - first dated entry\n"

    @Test func frontMatterDateBeatsEverything() throws {
        let pm = try postMortem(
            "---\ndate: 2024-06-01\nstarted: 2024-06-03T10:00:00Z\n---\n" + timelineBody,
            path: "Content/2024-06-04-x.md", history: history(created: "2024-06-05T10:00:00Z"))
        #expect(pm.date == day("2024-06-01"))
        #expect(pm.dateSource == .frontMatter)
    }

    @Test func fileNamePrefixIsNext() throws {
        let pm = try postMortem(
            "---\nstarted: 2024-06-03T10:00:00Z\n---\n" + timelineBody,
            path: "Content/2024-06-04-x.md", history: history(created: "2024-06-05T10:00:00Z"))
        #expect(pm.date == day("2024-06-04"))
        #expect(pm.dateSource == .fileName)
    }

    @Test func bundleFolderNamePrefixCounts() throws {
        let pm = try postMortem("Text.\n", path: "Content/2025/2025-06-12-ledger-replica-lag/index.md")
        #expect(pm.date == day("2025-06-12"))
        #expect(pm.dateSource == .fileName)
    }

    @Test func firstDatedTimelineEntryIsNext() throws {
        let pm = try postMortem(
            "---\nstarted: 2024-06-03T10:00:00Z\n---\n" + timelineBody,
            path: "Content/x.md", history: history(created: "2024-06-05T10:00:00Z"))
        #expect(pm.date == day("2024-06-02"))
        #expect(pm.dateSource == .timeline)
    }

    @Test func startedIsNext() throws {
        let pm = try postMortem(
            "---\nstarted: 2024-06-03T23:30:00-05:00\n---\n## Timeline\n\n- 10:00 - undated\n",
            path: "Content/x.md", history: history(created: "2024-06-05T10:00:00Z"))
        // 23:30 at UTC-5 is already 4 June in UTC.
        #expect(pm.date == day("2024-06-04"))
        #expect(pm.dateSource == .started)
    }

    @Test func commitThatAddedTheFileIsLast() throws {
        let (result, diagnostics) = parseDocument(
            "# No dates\n", path: "Content/x.md", history: history(created: "2024-06-05T10:00:00Z"))
        let pm = try #require(result)
        #expect(pm.date == day("2024-06-05"))
        #expect(pm.dateSource == .commit)
        #expect(pm.history?.revisions == 1)
        #expect(diagnostics.isEmpty)
    }

    @Test func noDateAtAllIsAWarning() throws {
        let (result, diagnostics) = parseDocument("# No dates\n", path: "Content/x.md")
        #expect(result?.date == nil)
        #expect(result?.dateSource == .unknown)
        let warning = try #require(warnings(diagnostics).first)
        #expect(warning.message.contains("no incident date"))
        #expect(errors(diagnostics).isEmpty)
    }

    @Test func fileNameThatLooksLikeADateButIsNotIsIgnored() throws {
        let pm = try postMortem("Text.\n", path: "Content/2024-13-45-weird.md", history: history(created: "2024-06-05T10:00:00Z"))
        #expect(pm.dateSource == .commit)
    }
}
