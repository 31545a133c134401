import Foundation
import Testing

@testable import HindsightCore

@Suite("Front matter keys")
struct FrontMatterKeyTests {
    @Test func everyDocumentedKeyIsRead() throws {
        let (result, diagnostics) = parseDocument(
            """
            ---
            title: Checkout deploy raised 5xx error rates
            id: checkout-deploy-errors
            date: 2024-03-05
            severity: sev2
            status: in-review
            near_miss: true
            services: [checkout, payments]
            tags:
              - deploy
              - rollback
            owner_team: Checkout Team
            related:
              - 2024-01-22-payments-timeout
            started: 2024-03-05T14:02:00Z
            detected: 2024-03-05T14:09:00Z
            acknowledged: 2024-03-05T14:11:00Z
            mitigated: 2024-03-05T14:38:00Z
            resolved: 2024-03-05T15:20:00Z
            ---

            Body.
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let pm = try #require(result)
        #expect(pm.title == "Checkout deploy raised 5xx error rates")
        #expect(pm.id == "checkout-deploy-errors")
        #expect(pm.date == day("2024-03-05"))
        #expect(pm.dateSource == .frontMatter)
        #expect(pm.severity == "SEV2")
        #expect(pm.status == .inReview)
        #expect(pm.nearMiss)
        #expect(pm.services == ["checkout", "payments"])
        #expect(pm.tags == ["deploy", "rollback"])
        #expect(pm.ownerTeam == "Checkout Team")
        #expect(pm.related == ["2024-01-22-payments-timeout"])
        #expect(pm.times.started == utc("2024-03-05T14:02:00Z"))
        #expect(pm.times.detected == utc("2024-03-05T14:09:00Z"))
        #expect(pm.times.acknowledged == utc("2024-03-05T14:11:00Z"))
        #expect(pm.times.mitigated == utc("2024-03-05T14:38:00Z"))
        #expect(pm.times.resolved == utc("2024-03-05T15:20:00Z"))
        #expect(pm.times.minutesToDetect == 7)
        #expect(pm.times.minutesToResolve == 78)
        #expect(pm.extra.isEmpty)
    }

    @Test(arguments: [("sev1", "SEV1"), ("Sev 2", "SEV2"), ("SEV-3", "SEV3"), ("sev_4", "SEV4"), ("SEV1", "SEV1")])
    func severityIsWrittenInTheConfiguredSpelling(written: String, expected: String) throws {
        let pm = try postMortem("---\nseverity: \(written)\n---\n")
        #expect(pm.severity == expected)
    }

    @Test(arguments: [
        ("draft", Status.draft), ("Draft", .draft), ("in-review", .inReview), ("In Review", .inReview),
        ("in_review", .inReview), ("published", .published), ("Final", .published),
    ])
    func statusIsNormalised(written: String, expected: Status) throws {
        let pm = try postMortem("---\nstatus: \(written)\n---\n")
        #expect(pm.status == expected)
    }

    @Test func statusDefaultsToPublished() throws {
        #expect(try postMortem("---\ntitle: x\n---\n").status == .published)
        #expect(try postMortem("No front matter at all.").status == .published)
    }

    @Test func nearMissDefaultsToFalseAndReadsYAMLBooleans() throws {
        #expect(try postMortem("---\ntitle: x\n---\n").nearMiss == false)
        #expect(try postMortem("---\nnear_miss: false\n---\n").nearMiss == false)
        #expect(try postMortem("---\nnear-miss: true\n---\n").nearMiss)
    }

    @Test func servicesAndTagsAcceptACommaSeparatedString() throws {
        let pm = try postMortem("---\nservices: checkout,  payments ,search\ntags: deploy\n---\n")
        #expect(pm.services == ["checkout", "payments", "search"])
        #expect(pm.tags == ["deploy"])
    }

    @Test func singularAliasesOfListKeysWork() throws {
        let pm = try postMortem("---\nservice: checkout\ntag: [a, b]\nowner: SRE Team\nrepeat_of: older-one\n---\n")
        #expect(pm.services == ["checkout"])
        #expect(pm.tags == ["a", "b"])
        #expect(pm.ownerTeam == "SRE Team")
        #expect(pm.related == ["older-one"])
    }

    @Test func unknownKeysAreKeptInFileOrderWithTheirValues() throws {
        let pm = try postMortem(
            """
            ---
            jira: OPS-1234
            title: Known key in between
            cost_eur: 1200
            quoted_number: "1200"
            paged: true
            links:
              runbook: https://runbooks.example.org/db
            attendees: [SRE, Payments]
            empty:
            ---
            """)
        #expect(pm.extra.map(\.key) == ["jira", "cost_eur", "quoted_number", "paged", "links", "attendees", "empty"])
        #expect(pm.extra.map(\.value) == [
            .string("OPS-1234"), .number(1200), .string("1200"), .bool(true),
            .map([(key: "runbook", value: .string("https://runbooks.example.org/db"))]),
            .list([.string("SRE"), .string("Payments")]), .null,
        ])
        #expect(pm.extra[2].value.displayText == "1200")
        #expect(pm.extra[5].value.displayText == "SRE, Payments")
    }

    @Test(arguments: ["note: 3 * 4 hosts", "note: '*quoted*'", "note: |\n  a list:\n  * item"])
    func asterisksThatCannotBeAliasesAreAccepted(line: String) throws {
        let (result, diagnostics) = parseDocument("---\ntitle: Kept\n\(line)\nseverity: SEV2\n---\n")
        #expect(errors(diagnostics).isEmpty, "\(diagnostics)")
        #expect(result?.title == "Kept")
        #expect(result?.severity == "SEV2")
    }

    @Test(arguments: ["note: Checkout was *very* slow", "note: |\n  Markdown *emphasis* in a block", "note: >\n  folded *text*"])
    func emphasisInsideTextIsNotAnAlias(line: String) throws {
        let (result, diagnostics) = parseDocument("---\ntitle: Kept\n\(line)\nseverity: SEV2\n---\n")
        #expect(errors(diagnostics).isEmpty, "\(diagnostics)")
        #expect(result?.title == "Kept")
        #expect(result?.severity == "SEV2")
    }

    @Test func keysAreMatchedWithoutRegardToCase() throws {
        let pm = try postMortem("---\nTitle: Upper-case key\nSeverity: SEV1\n---\n")
        #expect(pm.title == "Upper-case key")
        #expect(pm.severity == "SEV1")
    }

    @Test func timestampsWithOffsetsAreConvertedToUTC() throws {
        let pm = try postMortem("---\nstarted: 2024-03-05T09:02:00-05:00\ndetected: 2024-03-05 15:09:00+01:00\n---\n")
        #expect(pm.times.started == utc("2024-03-05T14:02:00Z"))
        #expect(pm.times.detected == utc("2024-03-05T14:09:00Z"))
    }

    @Test func emptyFrontMatterIsFine() throws {
        let (result, diagnostics) = parseDocument("---\n---\n# Title\n")
        #expect(errors(diagnostics).isEmpty)
        #expect(result?.title == "Title")
    }

    @Test func customSeverityScaleFromConfiguration() throws {
        var config = Configuration()
        config.severities = ["Critical", "Major", "Minor"]
        let pm = try postMortem("---\nseverity: major\n---\n", configuration: config)
        #expect(pm.severity == "Major")

        let (_, diagnostics) = parseDocument("---\nseverity: SEV1\n---\n", configuration: config)
        let error = try #require(errors(diagnostics).first)
        #expect(error.message.contains("Critical, Major, Minor"))
    }
}

@Suite("Front matter diagnostics point at the right place")
struct FrontMatterDiagnosticTests {
    @Test func unknownSeverityIsAnErrorAtTheValue() throws {
        let (result, diagnostics) = parseDocument(
            "---\ntitle: Checkout\ndate: 2024-03-05\nseverity: SEV5\n---\n",
            path: "Content/2024/2024-03-05-checkout-deploy-errors.md")
        let error = try #require(errors(diagnostics).first)
        #expect(errors(diagnostics).count == 1)
        #expect(error.description.hasPrefix("Content/2024/2024-03-05-checkout-deploy-errors.md:4:11: error: "))
        #expect(error.message.contains("SEV5"))
        #expect(result?.severity == nil)
    }

    @Test("dates written as other archives write them", arguments: [
        ("March 5th 2024", "2024-03-05"), ("5 March 2024", "2024-03-05"), ("03/05/2024", "2024-03-05"),
        ("2024-03-05 14:02", "2024-03-05"), ("2024-03-05T14:02:00Z", "2024-03-05"),
    ])
    func otherDateForms(value: String, expected: String) throws {
        let pm = try postMortem("---\ntitle: x\ndate: \(value)\n---\n")
        #expect(pm.date == day(expected))
        #expect(pm.dateSource == .frontMatter)
    }

    @Test func unknownStatusIsAnError() throws {
        let (_, diagnostics) = parseDocument("---\ntitle: x\nstatus: archived\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 9)
        #expect(error.message.contains("archived"))
    }

    @Test(arguments: ["2024-13-01", "2024-02-30", "March 35th 2024", "05/33/2024", "yesterday"])
    func badDateIsAnError(value: String) throws {
        let (result, diagnostics) = parseDocument("---\ntitle: x\ndate: \(value)\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 7)
        #expect(result?.dateSource != .frontMatter)
    }

    @Test(arguments: ["started: yesterday", "detected: 14:09", "mitigated: 2024-03-05T25:00:00Z", "resolved: soon"])
    func badTimestampIsAnError(line: String) throws {
        let (_, diagnostics) = parseDocument("---\ntitle: x\n\(line)\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 3)
        #expect(error.message.contains("timestamp"))
    }

    @Test func invalidYAMLIsAnErrorAtTheLineInTheFile() throws {
        let (result, diagnostics) = parseDocument(
            """
            ---
            title: Fine
            tags: a: b
            ---
            # Body
            """)
        let error = try #require(errors(diagnostics).first)
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.location?.path == "Content/incident.md")
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 8)
        // The body is still read.
        #expect(result?.title == "Body")
    }

    @Test func duplicateKeyIsAnError() throws {
        let (_, diagnostics) = parseDocument("---\ntitle: a\ndate: 2024-01-01\ntitle: b\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.message.contains("duplicate key title"))
        #expect(error.location?.line == 2)
    }

    @Test func frontMatterThatNeverClosesIsAnError() throws {
        let (result, diagnostics) = parseDocument("---\ntitle: Never closed\n\n# Heading\n\nText.\n")
        #expect(result == nil)
        let error = try #require(errors(diagnostics).first)
        #expect(error.message.contains("never closes"))
        #expect(error.location?.line == 1)
        #expect(error.location?.column == 1)
    }

    @Test func frontMatterThatIsNotAMappingIsAnError() throws {
        let (_, diagnostics) = parseDocument("---\n- a\n- b\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.message.contains("mapping"))
        #expect(error.location?.line == 2)
    }

    @Test func nearMissThatIsNotABooleanIsAnError() throws {
        let (result, diagnostics) = parseDocument("---\nnear_miss: maybe\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 12)
        #expect(result?.nearMiss == false)
    }

    @Test func titleThatIsAListIsAnError() throws {
        let (_, diagnostics) = parseDocument("---\ntitle:\n  - a\n  - b\n---\n")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 3)
    }

    @Test func servicesListOfMappingsIsAnErrorPerItem() throws {
        let (result, diagnostics) = parseDocument("---\nservices:\n  - name: checkout\n  - payments\n---\n")
        #expect(errors(diagnostics).map { $0.location?.line } == [3])
        #expect(result?.services == ["payments"])
    }

    @Test func indentedDashesInsideABlockScalarDoNotCloseTheFrontMatter() throws {
        let (result, diagnostics) = parseDocument(
            """
            ---
            notes: |
              Before the rule.
              ---
              After the rule.
            severity: SEV2
            ---
            Body.
            """)
        #expect(errors(diagnostics).isEmpty)
        #expect(result?.severity == "SEV2")
        #expect(result?.extra.first?.value == .string("Before the rule.\n---\nAfter the rule.\n"))
    }

    @Test func closingFenceCanBeThreeDots() throws {
        let (result, diagnostics) = parseDocument("---\ntitle: Dots\n...\n## Summary\n\nText.\n")
        #expect(errors(diagnostics).isEmpty)
        #expect(result?.title == "Dots")
        #expect(result?.summary == "Text.")
    }
}

@Suite("BOM and CRLF files")
struct EncodingVariantTests {
    private static let body = [
        "---", "title: Encoded", "severity: SEV9", "---", "", "## Contributing Factors", "",
        "- **Process**: The review skipped the canary.", "",
    ]

    private func check(_ text: String) throws {
        let (result, diagnostics) = parseDocument(text)
        let pm = try #require(result)
        #expect(pm.title == "Encoded")
        let error = try #require(errors(diagnostics).first)
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 11)
        #expect(pm.sections.first?.heading == "Contributing Factors")
        #expect(pm.sections.first?.location.line == 6)
        let factor = try #require(pm.factors.first)
        #expect(factor.text == "The review skipped the canary.")
        #expect(factor.location.line == 8)
        #expect(pm.bodyHTML.contains("\r") == false)
    }

    @Test func byteOrderMarkIsIgnored() throws {
        try check("\u{FEFF}" + Self.body.joined(separator: "\n"))
    }

    @Test func crlfLineEndingsKeepLineNumbers() throws {
        try check(Self.body.joined(separator: "\r\n"))
    }

    @Test func bomAndCRLFTogether() throws {
        try check("\u{FEFF}" + Self.body.joined(separator: "\r\n"))
    }

    @Test func crlfDoesNotLeakIntoValues() throws {
        let pm = try postMortem("---\r\ntitle: Windows\r\nservices: [a, b]\r\n---\r\n## Summary\r\n\r\nLine one\r\nline two\r\n")
        #expect(pm.title == "Windows")
        #expect(pm.services == ["a", "b"])
        #expect(pm.summary == "Line one line two")
    }
}
