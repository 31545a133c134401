import Foundation
import Testing

@testable import HindsightCore

/// `levels` levels of `width` aliases each: expanding the last in full makes width^levels strings.
private func laughs(levels: Int, width: Int) -> String {
    var lines = ["l0: &l0 [" + Array(repeating: #""lol""#, count: width).joined(separator: ", ") + "]"]
    for level in 1..<levels {
        let items = Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ")
        lines.append("l\(level): &l\(level) [\(items)]")
    }
    return lines.joined(separator: "\n")
}

/// The classic "billion laughs": 9^9 (387 million) strings once expanded, from under 1 KB of YAML.
private let classicLaughs = laughs(levels: 9, width: 9)

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

@Suite("Robustness")
struct RobustnessTests {
    @Test func emptyFileIsAValidPostMortem() throws {
        let (result, diagnostics) = parseDocument("", path: "Content/2024-02-03-empty-file.md")
        let pm = try #require(result)
        #expect(diagnostics.isEmpty)
        #expect(pm.title == "Empty file")
        #expect(pm.id == "2024-02-03-empty-file")
        #expect(pm.summary == "")
        #expect(pm.sections.isEmpty)
        #expect(pm.bodyHTML == "")
    }

    @Test(arguments: ["   \n\n\t\n", "---\n---\n", "---\n---", "---\n\n---\n\n"])
    func blankishFilesDoNotFail(text: String) throws {
        let (result, diagnostics) = parseDocument(text, path: "Content/2024-02-03-blank.md")
        #expect(result?.title == "Blank")
        #expect(errors(diagnostics).isEmpty)
    }

    @Test func fileOfOnlyAnOpeningFenceIsAnErrorNotACrash() throws {
        let (result, diagnostics) = parseDocument("---", path: "Content/x.md")
        #expect(result == nil)
        #expect(errors(diagnostics).count == 1)
    }

    @Test func binaryFileIsAnError() throws {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let (result, diagnostics) = parseData(Data(bytes), path: "Content/diagram.md")
        #expect(result == nil)
        let error = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(error.severity == .error)
        #expect(error.message.contains("binary"))
        #expect(error.location?.description == "Content/diagram.md:1:1")
    }

    @Test func textWithANulByteIsTreatedAsBinary() throws {
        let (result, diagnostics) = parseDocument("# Title\n\nText\u{0}more\n")
        #expect(result == nil)
        #expect(errors(diagnostics).first?.message.contains("binary") == true)
    }

    @Test func invalidUTF8IsAWarningAndTheRestIsRead() throws {
        var data = Data("---\ntitle: Caf".utf8)
        data.append(0xE9)  // Latin-1 "é"
        data.append(Data("\ndate: 2024-01-01\n---\n## Summary\n\nText.\n".utf8))
        let (result, diagnostics) = parseData(data)
        let pm = try #require(result)
        #expect(pm.title == "Caf\u{FFFD}")
        #expect(pm.summary == "Text.")
        #expect(warnings(diagnostics).map(\.message).contains { $0.contains("not valid UTF-8") })
        #expect(errors(diagnostics).isEmpty)
    }

    @Test func onlyEmojiTitleAndHeadings() throws {
        let pm = try postMortem("---\ntitle: \"🔥🔥🔥\"\ndate: 2024-01-01\n---\n## 🔥\n\nText.\n\n## 🧯\n", path: "Content/fire.md")
        #expect(pm.title == "🔥🔥🔥")
        #expect(pm.sections.map(\.anchor) == ["section", "section-1"])
        #expect(pm.sections.map(\.kind) == [nil, nil])
        let pmFromH1 = try postMortem("# 🚨🚨\n\nText.\n", path: "Content/fire.md")
        #expect(pmFromH1.title == "🚨🚨")
    }

    @Test func twoMegabyteFileParsesInReasonableTime() throws {
        var text = "---\ntitle: Big\ndate: 2024-01-01\n---\n## Timeline\n\n"
        var entries = 0
        while text.utf8.count < 700_000 {
            text += "- \(String(format: "%02d:%02d", (entries / 60) % 24, entries % 60)) - Event number \(entries) happened.\n"
            entries += 1
        }
        text += "\n## Action Items\n\n"
        var actions = 0
        while text.utf8.count < 1_400_000 {
            text += "- [ ] [P2] Follow-up number \(actions) — Team \(actions % 7)\n"
            actions += 1
        }
        text += "\n## Analysis\n\n"
        while text.utf8.count < 2_000_000 {
            text += "Lorem ipsum *dolor* sit amet, `consectetur` adipiscing elit, sed do eiusmod tempor.\n"
        }
        let clock = ContinuousClock()
        var result: (PostMortem?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = parseDocument(text) }
        let pm = try #require(result.0)
        #expect(pm.timeline.count == entries)
        #expect(pm.actionItems.count == actions)
        #expect(pm.actionItems.last?.owner == "Team \((actions - 1) % 7)")
        #expect(seconds(elapsed) < 30, "parsing 2 MB took \(elapsed)")
    }

    @Test func aliasBombInFrontMatterFinishesQuickly() throws {
        let text = "---\ntitle: Laughs\ndate: 2024-01-01\n\(classicLaughs)\ntags: *l8\nservices: *l2\n---\nBody.\n"
        let clock = ContinuousClock()
        var result: (PostMortem?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = parseDocument(text) }
        #expect(seconds(elapsed) < 5, "took \(elapsed)")
        let pm = try #require(result.0)
        #expect(pm.summary == "Body.")
        // Whatever is kept of the unknown keys is bounded, so templates and the export cannot blow up either.
        #expect(pm.extra.map(\.value.displayText.count).reduce(0, +) < 1_000_000)
        // Nested lists are not lists of names.
        #expect(pm.tags.isEmpty)
        #expect(pm.services.isEmpty)
        #expect(errors(result.1).isEmpty == false)
    }

    @Test func aliasBombUsedAsAKeyFinishesQuickly() throws {
        // Yams checks mapping keys for duplicates by hashing them, which walks an aliased key in full.
        let text = "---\ntitle: Laughs\n\(classicLaughs)\n*l8 : boom\n---\nBody.\n"
        let clock = ContinuousClock()
        var result: (PostMortem?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = parseDocument(text) }
        #expect(seconds(elapsed) < 5, "took \(elapsed)")
        let pm = try #require(result.0)
        #expect(pm.summary == "Body.")
        let error = try #require(errors(result.1).first)
        #expect(error.location?.path == "Content/incident.md")
        #expect((2...12).contains(error.location?.line ?? 0), "error outside the front matter: \(error)")
    }

    @Test func moderatelyNestedListsRender() throws {
        let pm = try postMortem("## Notes\n\n" + String(repeating: "- ", count: 200) + "deep item\n")
        #expect(pm.bodyHTML.contains("deep item"))
        #expect(pm.bodyHTML.components(separatedBy: "<ul>").count - 1 == 200)
    }

    @Test func deeplyNestedBodyDoesNotCrashTheParser() async {
        await #expect(processExitsWith: .success) {
            let text = "## Contributing Factors\n\n" + String(repeating: "> ", count: 50_000) + "deep\n"
            let (result, _) = parseDocument(text)
            precondition(result != nil)
        }
    }

    @Test func veryLongSingleLine() throws {
        let line = String(repeating: "word ", count: 200_000)
        let pm = try postMortem("## Summary\n\n" + line + "\n")
        #expect(pm.summary.count == line.count - 1)
    }

    /// Found by fuzzing (FuzzDocument, FuzzTables): a sample post-mortem with some line endings turned into
    /// lone carriage returns. Every location must still point at a line an editor shows.
    @Test func loneCarriageReturnsAreLineEndings() throws {
        let lines = [
            "---", "title: Old Mac", "date: 2024-01-01", "---", "", "## Summary", "", "Text.", "",
            "## Contributing Factors", "", "| Factor | Type |", "|---|---|", "| The canary skipped payments | Process |", "",
            "## Action Items", "", "- [ ] [P1] Cover payments in the canary — Checkout Team",
        ]
        for ending in ["\r", "\r\n", "\n"] {
            let text = lines.joined(separator: ending)
            let pm = try postMortem(text)
            #expect(pm.title == "Old Mac")
            #expect(pm.factors.map(\.location.line) == [14], "with \(ending.debugDescription)")
            #expect(pm.actionItems.map(\.location.line) == [18], "with \(ending.debugDescription)")
            #expect(pm.sections.map(\.location.line) == [6, 10, 16], "with \(ending.debugDescription)")
        }
        // Mixed, as the fuzzer made it: some lines end in \r, the rest in \n (never \r before an empty
        // line, which would make \r\n, one ending).
        let mixed = lines.enumerated().map { index, line in
            let next = index + 1 < lines.count ? lines[index + 1] : "x"
            return line + (index % 3 == 0 && next.isEmpty == false ? "\r" : "\n")
        }.joined()
        let pm = try postMortem(mixed)
        #expect(pm.factors.map(\.location.line) == [14])
        #expect(pm.sections.map(\.location.line) == [6, 10, 16])
    }

    @Test func servicesAndTagsOfOnlyPunctuationAreLeftOutWithAWarning() throws {
        let (result, diagnostics) = parseDocument("---\nservices: [\"--\", checkout]\ntags: \"?, 🔥\"\ndate: 2024-01-01\n---\n")
        let pm = try #require(result)
        #expect(pm.services == ["checkout"])
        #expect(pm.tags == ["🔥"])
        #expect(warnings(diagnostics).map(\.description) == [
            "Content/incident.md:2:11: warning: services: '--' has no letters or digits to name a page; it is left out",
            "Content/incident.md:3:7: warning: tags: '?' has no letters or digits to name a page; it is left out",
        ])
    }

    /// `![[]()` over and over is quadratic in cmark-gfm before 0.29.0.gfm.7 (CVE-2023-22486): 200 KB took
    /// six seconds, and a file under the size limit would have taken hours.
    @Test func imageOpenersThatMakeTheParserQuadraticAreAnError() throws {
        let text = "---\ntitle: Brackets\n---\n## Summary\n\nText.\n\n" + String(repeating: "![[]()", count: 1_700_000) + "\n"
        let clock = ContinuousClock()
        var result: (PostMortem?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = parseDocument(text) }
        #expect(seconds(elapsed) < 5, "took \(elapsed)")
        #expect(result.0 == nil)
        let error = try #require(errors(result.1).first)
        #expect(error.location?.description == "Content/incident.md:8:1")
        #expect(error.message.hasPrefix("1700000 image openers ('![') with 1700000 closing brackets"))

        // Real use, even heavy, is far below the bound.
        let heavy = String(repeating: "![diagram](d.png) and [a link](https://example.org) ", count: 2_000)
        let pm = try postMortem("## Summary\n\n" + heavy + "\n")
        #expect(pm.bodyHTML.contains("<img"))
    }

    @Test func hugeNumberOfHeadingsGetUniqueAnchors() throws {
        let text = String(repeating: "## Impact\n\n", count: 2_000)
        let pm = try postMortem(text)
        #expect(Set(pm.sections.map(\.anchor)).count == 2_000)
        #expect(pm.sections.last?.anchor == "impact-1999")
    }
}
