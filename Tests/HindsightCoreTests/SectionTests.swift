import Testing

@testable import HindsightCore

@Suite("Sections are recognised by heading")
struct SectionTests {
    @Test(arguments: [
        ("Summary", SectionKind.summary),
        ("Issue Summary", .summary),
        ("1. Summary", .summary),
        ("Executive summary:", .summary),
        ("Impact", .impact),
        ("Impact on customers", .impact),
        ("Timeline", .timeline),
        ("Timeline (all times UTC)", .timeline),
        ("Five Whys", .analysis),
        ("5 Whys", .analysis),
        ("Root Causes", .factors),
        ("Contributing Factors", .factors),
        ("What Went Well", .wentWell),
        ("What Went Wrong", .wentPoorly),
        ("What didn’t go well", .wentPoorly),
        ("Where We Got Lucky", .lucky),
        ("Corrective and Preventative Measures", .actionItems),
        ("Corrective & Preventive Measures", .actionItems),
        ("Follow-ups", .actionItems),
        ("2) Action Items", .actionItems),
        ("Lessons Learnt", .lessons),
        ("LESSONS LEARNED", .lessons),
        ("🔥 Impact", .impact),
    ])
    func headingSynonyms(heading: String, kind: SectionKind) throws {
        let pm = try postMortem("## \(heading)\n\nSome text.\n")
        let section = try #require(pm.sections.first)
        #expect(section.kind == kind)
        #expect(section.heading == heading.trimmingCharacters(in: .whitespaces))
        #expect(section.text == "Some text.")
    }

    @Test(arguments: ["Background", "Appendix", "Timelines", "Impactful changes"])
    func otherHeadingsHaveNoKind(heading: String) throws {
        let pm = try postMortem("## \(heading)\n\nSome text.\n")
        #expect(pm.sections.first?.kind == nil)
        #expect(pm.sections.first?.heading == heading)
    }

    @Test func headingWithEmojiVariationSelectorIsRecognised() throws {
        // "⚠️" is U+26A0 plus VS16; people decorate headings with it as with "🔥".
        let pm = try postMortem("## ⚠️ Impact\n\nText.\n")
        #expect(pm.sections.first?.kind == .impact)
    }

    @Test func sectionsKeepOrderLocationAndAnchor() throws {
        let pm = try postMortem(
            """
            ---
            title: x
            ---
            # Title

            ## Summary

            Short.

            ## Impact

            Customers saw errors.

            ### Detail

            More detail.

            ## Impact
            """)
        #expect(pm.sections.map(\.kind) == [.summary, .impact, .impact])
        #expect(pm.sections.map(\.location.line) == [6, 10, 18])
        #expect(pm.sections.map(\.anchor) == ["summary", "impact", "impact-1"])
        #expect(pm.sections[1].text == "Customers saw errors.\nDetail\nMore detail.")
        #expect(pm.section(.impact)?.text == "Customers saw errors.\nDetail\nMore detail.")
        // The body's H1 differs from the front matter title, so it stays in the body.
        #expect(pm.headings.map(\.anchor) == ["title", "summary", "impact", "detail", "impact-1"])
        for section in pm.sections {
            #expect(pm.bodyHTML.contains(#"id="\#(section.anchor)""#))
        }
    }

    @Test func sectionAnchorIgnoresH2sNestedInQuotes() throws {
        let pm = try postMortem(
            """
            ## Summary

            > ## Quoted heading
            > from the chat log

            ## Impact

            Text.
            """)
        #expect(pm.sections.map(\.heading) == ["Summary", "Impact"])
        #expect(pm.sections.map(\.anchor) == ["summary", "impact"])
    }

    @Test func summaryComesFromTheSummarySection() throws {
        let pm = try postMortem("Preamble paragraph.\n\n## Impact\n\nBad.\n\n## Summary\n\nThe summary\nacross lines.\n")
        #expect(pm.summary == "The summary across lines.")
    }

    @Test func summaryFallsBackToTheFirstParagraph() throws {
        let pm = try postMortem("# Title\n\n> quote first\n\nFirst *real* paragraph.\n\nSecond.\n\n## Impact\n\nBad.\n")
        #expect(pm.summary == "First real paragraph.")
    }

    @Test func headingAnchorsAvoidTheThemesIDs() throws {
        let pm = try postMortem("## Main\n\n## HS TOC\n")
        #expect(pm.sections.map(\.anchor) == ["main-1", "hs-toc-1"])
    }
}
