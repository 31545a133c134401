import Testing

@testable import HindsightCore

@Suite("Timeline rules")
struct TimelineRuleTests {
    @Test("a time earlier than the one above it is timeline/order, at the time")
    func backwards() throws {
        let text = LintHarness.document(timeline: """
            | Time (UTC) | Event |
            |---|---|
            | 10:00 | The config change is pushed. |
            | 10:05 | The latency alert fires. |
            | 09:58 | The change is reverted. |
            """)
        let finding = try #require(LintHarness.findings("timeline/order", text).first)
        #expect(finding.message == "09:58 is earlier than 10:05 above it: the timeline goes backwards")
        #expect(finding.location?.line == LintHarness.line(of: "09:58", in: text))
        #expect(finding.location?.column == LintHarness.column(of: "09:58", in: text))
    }

    @Test("crossing midnight without a date, or with one, is not backwards; explicit dates going back are")
    func midnight() {
        let crossing = LintHarness.document(timeline: """
            - 23:41 - The secondary provider rejects test calls; an alert fires.
            - 23:58 - The expired key is found.
            - 00:14 - A new key is generated.
            """)
        #expect(LintHarness.findings("timeline/order", crossing).isEmpty)
        let dated = LintHarness.document(timeline: """
            - 2025-03-05 10:00 - The alert fires.
            - 2025-03-04 10:30 - The change is reverted.
            """)
        #expect(LintHarness.findings("timeline/order", dated).count == 1)
    }

    @Test("a timeline with no detection event and no detected time is timeline/detection")
    func detection() throws {
        let text = LintHarness.document(timeline: """
            - 10:00 - The config change is pushed to all regions.
            - 10:20 - The change is reverted. Latency recovers.
            """)
        let finding = try #require(LintHarness.findings("timeline/detection", text).first)
        #expect(finding.location?.line == LintHarness.line(of: "## Timeline", in: text))
        let detected = LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\ndetected: 2025-03-04T10:05:00Z", timeline: """
            - 10:00 - The config change is pushed to all regions.
            - 10:20 - The change is reverted. Latency recovers.
            """)
        #expect(LintHarness.findings("timeline/detection", detected).isEmpty)
        #expect(LintHarness.findings("timeline/detection", LintHarness.document()).isEmpty)
    }
}
