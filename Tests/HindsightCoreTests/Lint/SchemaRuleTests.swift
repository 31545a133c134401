import Foundation
import Testing

@testable import HindsightCore

@Suite("Schema rules: what breaks the archive")
struct SchemaRuleTests {
    @Test("the harness's complete post-mortem passes every rule")
    func baselineIsClean() {
        #expect(LintHarness.lint(LintHarness.document()).isEmpty)
    }

    @Test("front matter that is not YAML is schema/yaml, an error")
    func invalidYAML() throws {
        let findings = LintHarness.lint("---\ntitle: [unclosed\nseverity: SEV2\n---\n# A\n")
        let finding = try #require(findings.first { $0.ruleID == "schema/yaml" })
        #expect(finding.severity == .error)
        #expect(finding.location?.path == "Content/incident.md")
        #expect(finding.location?.line ?? 0 >= 2)
        #expect(finding.suggestion != nil)
    }

    @Test("front matter that never closes is schema/yaml")
    func unclosedFrontMatter() {
        let findings = LintHarness.lint("---\ntitle: A\n\n# A\n")
        #expect(findings.ruleIDs == ["schema/yaml"])
        #expect(findings.first?.suggestion == "add a line '---' after the last key")
    }

    @Test("an unknown severity is schema/severity at the value")
    func unknownSeverity() throws {
        let text = LintHarness.document(frontMatter: "severity: SEV9\ndate: 2025-03-04")
        let finding = try #require(LintHarness.lint(text).first { $0.ruleID == "schema/severity" })
        #expect(finding.severity == .error)
        #expect(finding.location == HindsightCore.SourceLocation(path: "Content/incident.md", line: 2, column: 11))
        #expect(finding.message.contains("SEV9"))
    }

    @Test("a severity on a custom scale passes")
    func customScale() {
        var configuration = Configuration()
        configuration.severities = ["Critical", "Major", "Minor"]
        let text = LintHarness.document(frontMatter: "severity: Minor\ndate: 2025-03-04")
        #expect(LintHarness.lint(text, configuration: configuration).isEmpty)
    }

    @Test("an unknown status is schema/status")
    func unknownStatus() {
        let text = LintHarness.document(frontMatter: "severity: SEV3\nstatus: archived\ndate: 2025-03-04")
        #expect(LintHarness.lint(text).ruleIDs == ["schema/status"])
    }

    @Test("dates and timestamps that do not parse are schema/date")
    func badDates() {
        let text = LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-13-45\nstarted: yesterday afternoon")
        let findings = LintHarness.lint(text).filter { $0.ruleID == "schema/date" }
        #expect(findings.count == 2)
        #expect(findings.map { $0.location?.line } == [3, 4])
        #expect(findings.allSatisfy { $0.severity == .error })
    }

    @Test("detected before started, resolved before detected: schema/time-order")
    func timeOrder() throws {
        let text = LintHarness.document(frontMatter: """
            severity: SEV3
            date: 2025-03-04
            started: 2025-03-04T10:20:00Z
            detected: 2025-03-04T10:05:00Z
            resolved: 2025-03-04T09:00:00Z
            """)
        let findings = LintHarness.lint(text).filter { $0.ruleID == "schema/time-order" }
        #expect(findings.count == 2)
        #expect(findings[0].message == "detected (2025-03-04T10:05:00Z) is before started (2025-03-04T10:20:00Z)")
        #expect(findings[0].location?.line == 5)
        #expect(findings[1].message.hasPrefix("resolved"))
        #expect(findings[1].location?.line == 6)
        #expect(findings.allSatisfy { $0.severity == .error })
    }

    @Test("milestones in order pass")
    func timeOrderClean() {
        let text = LintHarness.document(frontMatter: """
            severity: SEV3
            date: 2025-03-04
            started: 2025-03-04T10:00:00Z
            detected: 2025-03-04T10:05:00Z
            mitigated: 2025-03-04T10:20:00Z
            resolved: 2025-03-04T11:00:00Z
            """)
        #expect(LintHarness.lint(text).isEmpty)
    }

    @Test("two files with one id are both schema/duplicate-id")
    func duplicateID() {
        let findings = LintHarness.lintFiles([
            "Content/a.md": LintHarness.document(frontMatter: "id: checkout\nseverity: SEV3\ndate: 2025-03-04"),
            "Content/b.md": LintHarness.document(frontMatter: "id: checkout\nseverity: SEV3\ndate: 2025-03-04"),
        ])
        #expect(findings.ruleIDs == ["schema/duplicate-id"])
        #expect(findings.map { $0.location?.path } == ["Content/a.md", "Content/b.md"])
        #expect(findings[0].message.contains("Content/b.md"))
    }

    @Test("a related id that does not exist is schema/related, an error")
    func deadRelated() throws {
        let findings = LintHarness.lintFiles([
            "Content/a.md": LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\nrelated: [b, nope]"),
            "Content/b.md": LintHarness.document(),
        ])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.ruleID == "schema/related")
        #expect(finding.severity == .error)
        #expect(finding.message.contains("'nope'"))
    }

    @Test("a related id may name a draft")
    func relatedDraft() {
        let findings = LintHarness.lintFiles([
            "Content/a.md": LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\nrelated: [b]"),
            "Content/b.md": LintHarness.document(frontMatter: "severity: SEV3\nstatus: draft\ndate: 2025-03-04"),
        ])
        #expect(findings.isEmpty)
    }

    @Test("values of the wrong shape are schema/field; ids that are not slugs are schema/id")
    func fieldsAndIDs() {
        let text = LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\ntitle: [a, b]\nnear_miss: perhaps\nid: Checkout Latency")
        let findings = LintHarness.lint(text)
        #expect(findings.filter { $0.ruleID == "schema/field" }.count == 2)
        let id = findings.first { $0.ruleID == "schema/id" }
        #expect(id?.severity == .warning)
    }

    @Test("a binary file is schema/encoding")
    func binary() {
        let findings = LintHarness.lint("\u{0}\u{1}PNG")
        #expect(findings.ruleIDs == ["schema/encoding"])
        #expect(findings[0].severity == .error)
    }

    @Test("every parser diagnostic gets a rule; the catch-all keeps the parser's severity")
    func catchAll() {
        let linter = Linter(context: LintContext())
        let odd = linter.finding(for: .warning("something new the parser learned to say", at: HindsightCore.SourceLocation(path: "Content/a.md")))
        #expect(odd?.ruleID == "schema/other")
        #expect(odd?.severity == .warning)
        let bad = linter.finding(for: .error("something new and fatal"))
        #expect(bad?.severity == .error)
        #expect(linter.finding(for: .error("unknown severity 'X'"))?.ruleID == "schema/severity")
        #expect(linter.finding(for: .warning("skipped symbolic link; it is not followed"))?.ruleID == "source/repository")
        #expect(
            linter.finding(for: .error("invalid YAML: oops", at: HindsightCore.SourceLocation(path: "hindsight.yml")))?.ruleID
                == "schema/config")
    }
}
