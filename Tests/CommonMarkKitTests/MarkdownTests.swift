import CommonMarkKit
import Testing

/// Every node of a tree, parents before children.
private func allNodes(_ node: MarkdownNode) -> [MarkdownNode] {
    [node] + node.children.flatMap(allNodes)
}

private func first(_ node: MarkdownNode, where predicate: (MarkdownNode) -> Bool) -> MarkdownNode? {
    allNodes(node).first(where: predicate)
}

@Suite("GFM extensions parse into the right nodes")
struct GFMNodeTests {
    @Test func tableBecomesTableRowsAndCells() throws {
        let doc = Markdown.parse(
            """
            | Factor | Type |
            |---|---|
            | Config loader | Technical |
            | Canary check | Process |
            """
        ).document
        let table = try #require(doc.children.first)
        #expect(table.kind == .table)
        #expect(table.children.map(\.kind) == [.tableRow(header: true), .tableRow(header: false), .tableRow(header: false)])
        let firstBodyRow = table.children[1]
        #expect(firstBodyRow.children.allSatisfy { $0.kind == .tableCell })
        #expect(firstBodyRow.children.map(\.plainText) == ["Config loader", "Technical"])
        #expect(table.children[2].line == 4)
    }

    @Test func taskListItemsCarryTheirCheckedState() throws {
        let doc = Markdown.parse(
            """
            - [ ] open item
            - [x] done item
            - plain item
            """
        ).document
        let list = try #require(doc.children.first)
        guard case .list(ordered: false, _) = list.kind else {
            Issue.record("expected a bullet list, got \(list.kind)")
            return
        }
        #expect(list.children.map(\.kind) == [.item(task: false), .item(task: true), .item(task: nil)])
        #expect(list.children[0].plainText == "open item")
    }

    @Test("block text keeps headings, list items, table cells and code apart, so no two words glue")
    func blockTextSeparatesBlocks() {
        let doc = Markdown.parse(
            """
            ## Summary
            Two replicas running.

            | Time | Event |
            |---|---|
            | 2024-05-02T09:58:00Z | The resolver **deployment** began |

            - first item
            - second item

            ```
            kubectl get pods
            ```
            """
        ).document
        #expect(doc.blockText == """
            Summary
            Two replicas running.
            Time\tEvent
            2024-05-02T09:58:00Z\tThe resolver deployment began
            first item
            second item
            kubectl get pods
            """)
        // The old flattening ran the cells together; block text never does.
        #expect(doc.plainText.contains("00ZThe"))
        #expect(doc.blockText.contains("00ZThe") == false)
    }

    @Test func orderedListKeepsItsStartNumber() throws {
        let doc = Markdown.parse("3. third\n4. fourth\n").document
        #expect(doc.children.first?.kind == .list(ordered: true, start: 3))
    }

    @Test func strikethroughIsItsOwnNode() throws {
        let doc = Markdown.parse("Keep ~~remove this~~ text").document
        let struck = try #require(first(doc) { $0.kind == .strikethrough })
        #expect(struck.plainText == "remove this")
        #expect(doc.plainText == "Keep remove this text")
    }

    @Test func bareURLsBecomeLinks() throws {
        let doc = Markdown.parse("See https://status.example.org/incidents/42 and www.example.com today.").document
        let urls = allNodes(doc).compactMap { node -> String? in
            if case .link(let url, _) = node.kind { return url }
            return nil
        }
        #expect(urls == ["https://status.example.org/incidents/42", "http://www.example.com"])
    }

    @Test func codeBlockKeepsInfoStringAndLiteral() throws {
        let doc = Markdown.parse("```text\n14:09 - Alert fires\n```\n").document
        let block = try #require(doc.children.first)
        #expect(block.kind == .codeBlock(info: "text"))
        #expect(block.literal == "14:09 - Alert fires\n")
    }

    @Test func nodesKnowTheirLineAndColumn() throws {
        let doc = Markdown.parse("Intro\n\n## Heading\n\n  - item\n").document
        #expect(doc.children.map(\.line) == [1, 3, 5])
        #expect(doc.children[2].column == 3)
    }

    @Test func plainTextDropsMarkupAndRawHTML() {
        let doc = Markdown.parse("**Bold** and `code` <span>x</span>\nnext line")
        #expect(doc.document.plainText == "Bold and code x next line")
    }
}

/// The values of every href and src attribute.
private func attributeValues(in html: String) -> [String] {
    var values: [String] = []
    for attribute in ["href=\"", "src=\""] {
        var rest = html[...]
        while let range = rest.range(of: attribute) {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            values.append(String(rest[..<end]))
            rest = rest[end...]
        }
    }
    return values
}

@Suite("HTML keeps cmark's safe mode")
struct SafeHTMLTests {
    @Test func rawScriptBlockIsOmitted() throws {
        let html = try #require(Markdown.parse("<script>alert('pwned')</script>\n\nAfter.").html)
        #expect(html.contains("<script") == false)
        #expect(html.contains("alert(") == false)
        #expect(html.contains("<p>After.</p>"))
    }

    @Test func inlineImageWithOnerrorIsOmitted() throws {
        let html = try #require(Markdown.parse("Text <img src=x onerror=alert(1)> more").html)
        #expect(html.contains("onerror") == false)
        #expect(html.contains("<img") == false)
        #expect(html.contains("Text"))
    }

    @Test(arguments: [
        "[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](vbscript:msgbox)", "<javascript:alert(1)>",
        "![i](javascript:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "[y][x]\n\n[x]: javascript:alert(1)",
    ])
    func dangerousLinkSchemesHaveNoHref(markdown: String) throws {
        let html = try #require(Markdown.parse(markdown).html)
        let values = attributeValues(in: html)
        #expect(values.isEmpty == false, "no link or image rendered: \(html)")
        for value in values {
            let lower = value.lowercased()
            #expect(lower.hasPrefix("javascript:") == false && lower.hasPrefix("vbscript:") == false
                && lower.hasPrefix("data:") == false, "dangerous URL kept in \(html)")
        }
    }

    @Test func ordinaryLinksKeepTheirHref() throws {
        let html = try #require(Markdown.parse("[runbook](https://runbooks.example.org/db?x=1&y=2)").html)
        #expect(html.contains(#"href="https://runbooks.example.org/db?x=1&amp;y=2""#))
    }

    @Test func renderHTMLFalseGivesNoHTMLAndNoHeadings() {
        let parsed = Markdown.parse("## A heading", options: MarkdownOptions(renderHTML: false))
        #expect(parsed.html == nil)
        #expect(parsed.headings.isEmpty)
        #expect(parsed.document.children.first?.isHeading(level: 2) == true)
    }
}

@Suite("Heading anchors")
struct HeadingAnchorTests {
    @Test func repeatedHeadingsGetNumberedAnchors() throws {
        let parsed = Markdown.parse("## Impact\n\ntext\n\n## Impact\n\n## Impact\n")
        #expect(parsed.headings.map(\.anchor) == ["impact", "impact-1", "impact-2"])
        let html = try #require(parsed.html)
        #expect(html.contains(#"id="impact""#))
        #expect(html.contains(#"id="impact-1""#))
        #expect(html.contains(##"href="#impact-2""##))
    }

    @Test(arguments: [
        ("Root Cause: DNS & TLS (v2.1)", "root-cause-dns--tls-v21"),
        ("What Went Well?", "what-went-well"),
        ("Über die Störung", "über-die-störung"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("  Padded  ", "padded"),
        ("`code` in **heading**", "code-in-heading"),
    ])
    func anchorsAreGitHubStyle(heading: String, anchor: String) throws {
        let parsed = Markdown.parse("## \(heading)\n")
        #expect(parsed.headings.map(\.anchor) == [anchor])
    }

    @Test func anchorsStayUniqueWhenAHeadingLooksLikeANumberedOne() {
        let parsed = Markdown.parse("## Impact 1\n\n## Impact\n\n## Impact\n\n## Impact 1\n")
        let anchors = parsed.headings.map(\.anchor)
        #expect(Set(anchors).count == anchors.count, "anchors \(anchors) repeat")
        #expect(anchors.first == "impact-1")
        #expect(anchors[1] == "impact")
    }

    @Test func headingsAvoidReservedAnchors() throws {
        let parsed = Markdown.parse(
            "## Main\n\n## HS TOC\n\n## Other\n", options: MarkdownOptions(reservedAnchors: ["main", "hs-toc"]))
        #expect(parsed.headings.map(\.anchor) == ["main-1", "hs-toc-1", "other"])
        let html = try #require(parsed.html)
        #expect(html.contains(#"id="main""#) == false)
    }

    @Test func headingWithNoLettersStillGetsAUniqueAnchor() {
        let parsed = Markdown.parse("## 🔥\n\n## 🚒\n")
        #expect(parsed.headings.map(\.anchor) == ["section", "section-1"])
    }

    @Test func headingsInsideQuotesAndListsAreAnchoredToo() throws {
        let parsed = Markdown.parse("> ## Quoted\n\n- ## Listed\n")
        #expect(parsed.headings.map(\.anchor) == ["quoted", "listed"])
        let html = try #require(parsed.html)
        #expect(html.contains(#"id="quoted""#))
        #expect(html.contains(#"id="listed""#))
    }

    @Test func headingsRecordLevelTextAndLine() {
        let parsed = Markdown.parse("# Title\n\n## Summary *now*\n\n### Detail\n")
        #expect(parsed.headings.map { "\($0.level) \($0.text) #\($0.anchor) @\($0.line)" } == [
            "1 Title #title @1",
            "2 Summary now #summary-now @3",
            "3 Detail #detail @5",
        ])
    }

    @Test func anchorHeadingsOffRendersPlainHeadings() throws {
        let parsed = Markdown.parse("## Impact\n", options: MarkdownOptions(anchorHeadings: false))
        let html = try #require(parsed.html)
        #expect(html.contains("class=\"anchor\"") == false)
        #expect(html.contains("<h2>Impact</h2>"))
    }
}

@Suite("Dropping the leading H1")
struct DropLeadingHeadingTests {
    @Test func leadingH1IsLeftOutOfHTMLButNotOutOfTheTree() throws {
        let parsed = Markdown.parse(
            "# Incident title\n\nBody text.\n\n# A later H1\n", options: MarkdownOptions(dropLeadingHeading1: true))
        let html = try #require(parsed.html)
        #expect(html.contains("Incident title") == false)
        #expect(html.contains("A later H1"))
        #expect(html.contains("Body text."))
        #expect(parsed.headings.map(\.text) == ["A later H1"])
        // The tree still has it, so the caller can use it as the title.
        #expect(parsed.document.children.first?.plainText == "Incident title")
    }

    @Test func h1AfterAParagraphIsKept() throws {
        let parsed = Markdown.parse("Intro.\n\n# Not leading\n", options: MarkdownOptions(dropLeadingHeading1: true))
        #expect(try #require(parsed.html).contains("Not leading"))
    }

    @Test func leadingH2IsKept() throws {
        let parsed = Markdown.parse("## Summary\n\nText\n", options: MarkdownOptions(dropLeadingHeading1: true))
        #expect(try #require(parsed.html).contains("Summary</h2>"))
        #expect(parsed.headings.map(\.anchor) == ["summary"])
    }

    @Test func droppedH1DoesNotUseUpItsAnchor() {
        let parsed = Markdown.parse("# Impact\n\n## Impact\n", options: MarkdownOptions(dropLeadingHeading1: true))
        #expect(parsed.headings.map(\.anchor) == ["impact"])
    }
}

@Suite("Hostile input does not crash")
struct HostileMarkdownTests {
    @Test func invalidUTF8DecodedWithReplacementParses() throws {
        let text = String(decoding: [0x66, 0x6F, 0xFF, 0xFE, 0x6F, 0x0A] as [UInt8], as: UTF8.self)
        let parsed = Markdown.parse(text)
        #expect(parsed.document.plainText == "fo\u{FFFD}\u{FFFD}o")
        #expect(try #require(parsed.html).contains("fo"))
    }

    @Test func nulCharactersAreReplaced() throws {
        let parsed = Markdown.parse("a\u{0}b\n\n## x\u{0}y\n")
        #expect(parsed.document.children.first?.plainText == "a\u{FFFD}b")
        let html = try #require(parsed.html)
        #expect(html.unicodeScalars.contains("\u{0}") == false)
        #expect(parsed.headings.count == 1)
    }

    @Test func moderatelyNestedBlocksAreCopied() {
        let parsed = Markdown.parse(String(repeating: "> ", count: 100) + "deep\n")
        var depth = 0
        var node = parsed.document
        while let child = node.children.first, child.kind == .blockQuote {
            depth += 1
            node = child
        }
        #expect(depth == 100)
        #expect(parsed.document.plainText == "deep")
    }

    @Test func nestingBeyondTheCapIsKeptAsText() {
        let parsed = Markdown.parse(String(repeating: "> ", count: 1_000) + "deep\n")
        #expect(parsed.document.plainText.trimmingCharacters(in: .whitespaces) == "deep")
        #expect(parsed.html?.contains("deep") == true)
    }

    @Test func deeplyNestedBlockQuotesDoNotCrash() async {
        await #expect(processExitsWith: .success) {
            let text = String(repeating: "> ", count: 50_000) + "deep\n"
            let parsed = Markdown.parse(text)
            precondition(parsed.document.children.count == 1)
        }
    }

    @Test func deeplyNestedListsDoNotCrash() async {
        await #expect(processExitsWith: .success) {
            let text = String(repeating: "- ", count: 50_000) + "item\n"
            let parsed = Markdown.parse(text)
            precondition(parsed.html != nil)
        }
    }

    @Test func deeplyNestedInlinesDoNotCrash() async {
        await #expect(processExitsWith: .success) {
            let brackets = String(repeating: "[", count: 50_000) + "x" + String(repeating: "](u)", count: 50_000)
            let emphasis = String(repeating: "*a ", count: 50_000) + String(repeating: "*", count: 50_000)
            let parsed = Markdown.parse(brackets + "\n\n" + emphasis + "\n")
            precondition(parsed.html != nil)
        }
    }
}

@Suite("Parsing on many threads at once")
struct ConcurrentParsingTests {
    /// cmark-gfm keeps the characters that start an extension's inline syntax (`:` and `w` for autolinks, `~`
    /// for strikethrough) in one global table, which every parse fills when it starts its inlines and clears when
    /// it finishes. Parsed in parallel without care, one parse clears the table while another reads it, and
    /// links and strikethrough go missing at random (builds are parsed on every core).
    @Test("every parse finds its autolinks and strikethrough while others run")
    func extensionsUnderConcurrency() async {
        let text = (1...40).map { "Line \($0): see https://status.example.org/incidents/\($0), www.example.com and ~~old~~ text." }
            .joined(separator: "\n\n")
        let misses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var misses = 0
                    for _ in 0..<60 {
                        let doc = Markdown.parse(text).document
                        let links = allNodes(doc).filter { if case .link = $0.kind { return true } else { return false } }.count
                        let struck = allNodes(doc).filter { $0.kind == .strikethrough }.count
                        if links != 80 || struck != 40 { misses += 1 }
                    }
                    return misses
                }
            }
            return await group.reduce(0, +)
        }
        #expect(misses == 0)
    }
}
