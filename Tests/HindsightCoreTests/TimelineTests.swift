import Foundation
import Testing

@testable import HindsightCore

private func timeline(_ body: String, frontMatter: String = "date: 2024-03-05") throws -> [TimelineEntry] {
    try postMortem("---\n\(frontMatter)\n---\n## Timeline\n\n" + body).timeline
}

@Suite("Timeline styles")
struct TimelineStyleTests {
    @Test func tableWithTimeFirst() throws {
        let entries = try timeline(
            """
            | Time (UTC) | Event |
            |---|---|
            | 14:09 | Alert fires and pages the on-call engineer. |
            | 14:36 | Rollback starts. |
            """)
        #expect(entries.map(\.time) == ["14:09", "14:36"])
        #expect(entries.map(\.event) == ["Alert fires and pages the on-call engineer.", "Rollback starts."])
        #expect(entries.map(\.timestamp) == [utc("2024-03-05T14:09:00Z"), utc("2024-03-05T14:36:00Z")])
        #expect(entries.map(\.location.line) == [8, 9])
    }

    @Test func tableWithTimeColumnNotFirst() throws {
        let entries = try timeline("| Event | When |\n|---|---|\n| Page sent | 09:30 |\n")
        #expect(entries.first?.time == "09:30")
        #expect(entries.first?.event == "Page sent")
    }

    @Test func tableWithSeparateDateAndTimeColumns() throws {
        let entries = try timeline(
            """
            | Date | Time | Event |
            |---|---|---|
            | 2024-03-05 | 23:50 | Deploy |
            | 2024-03-06 | 00:10 | Errors |
            """)
        #expect(entries.map(\.event) == ["Deploy", "Errors"])
        #expect(entries.map(\.timestamp) == [utc("2024-03-05T23:50:00Z"), utc("2024-03-06T00:10:00Z")])
    }

    @Test func tableRowWithUnreadableTimeIsKeptWithoutInstant() throws {
        let entries = try timeline("| Time | Event |\n|---|---|\n| later that day | Customers notified |\n")
        #expect(entries.first?.time == "later that day")
        #expect(entries.first?.timestamp == nil)
        #expect(entries.first?.event == "Customers notified")
    }

    @Test func listWithEverySeparator() throws {
        let entries = try timeline(
            """
            - 14:09 - Alert fires.
            - 14:12 – Engineer acknowledges.
            - 14:36 — Rollback starts.
            - 14:40: Rollback done.
            - 14:41 | Error rate normal.
            - 14:50 Incident closed.
            """)
        #expect(entries.map(\.time) == ["14:09", "14:12", "14:36", "14:40", "14:41", "14:50"])
        #expect(entries.map(\.event) == [
            "Alert fires.", "Engineer acknowledges.", "Rollback starts.", "Rollback done.", "Error rate normal.",
            "Incident closed.",
        ])
        #expect(entries.map(\.location.line) == Array(6...11))
    }

    @Test func listItemWithoutATimeIsKeptAsAnUntimedEntry() throws {
        let entries = try timeline("- 14:09 - Alert fires.\n- Meanwhile, support gets tickets.\n")
        #expect(entries.count == 2)
        #expect(entries[1].time == "")
        #expect(entries[1].timestamp == nil)
        #expect(entries[1].event == "Meanwhile, support gets tickets.")
    }

    @Test func fencedCodeBlockWithContinuationLines() throws {
        let entries = try timeline(
            """
            ```
            14:09 - Alert fires and pages the on-call engineer.
            14:36 - Rollback starts;
                    it takes ten minutes.

            14:46 - Error rate back to normal.
            ```
            """)
        #expect(entries.map(\.time) == ["14:09", "14:36", "14:46"])
        #expect(entries[1].event == "Rollback starts; it takes ten minutes.")
        #expect(entries.map(\.location.line) == [7, 8, 11])
        #expect(entries[2].timestamp == utc("2024-03-05T14:46:00Z"))
    }

    @Test func oneHeadingPerEvent() throws {
        let entries = try timeline(
            """
            ### 14:32 — Primary loses its storage volume

            The block storage volume becomes unresponsive.

            ### 14:33 — Replica promoted

            ### Not a time

            Some commentary.
            """)
        #expect(entries.map(\.time) == ["14:32", "14:33"])
        #expect(entries[0].event == "Primary loses its storage volume — The block storage volume becomes unresponsive.")
        #expect(entries[1].event == "Replica promoted")
        #expect(entries.map(\.location.line) == [6, 10])
    }

    @Test func paragraphOfTimedLines() throws {
        let entries = try timeline("09:55 - Change applied.\n10:00 - Timeouts begin.\n")
        #expect(entries.map(\.event) == ["Change applied.", "Timeouts begin."])
        #expect(entries.map(\.location.line) == [6, 7])
    }

    @Test func timelineHeadingWithQualifierIsStillATimeline() throws {
        let pm = try postMortem("---\ndate: 2024-03-05\n---\n## Timeline (all times UTC)\n\n- 10:00 - Start\n")
        #expect(pm.timeline.map(\.event) == ["Start"])
    }
}

@Suite("Timeline dates and instants")
struct TimelineDateTests {
    @Test func firstEntryTakesTheIncidentDate() throws {
        let entries = try timeline("- 09:15 - First\n- 09:20 - Second\n", frontMatter: "date: 2024-05-02")
        #expect(entries.map(\.timestamp) == [utc("2024-05-02T09:15:00Z"), utc("2024-05-02T09:20:00Z")])
    }

    @Test func incidentDateFromStartedWhenNoDate() throws {
        let entries = try timeline("- 09:15 - First\n", frontMatter: "started: 2024-05-02T09:00:00Z")
        #expect(entries.first?.timestamp == utc("2024-05-02T09:15:00Z"))
    }

    @Test func incidentDateFromFileName() throws {
        let pm = try postMortem("## Timeline\n\n- 09:15 - First\n", path: "Content/2024-05-02-dns.md")
        #expect(pm.timeline.first?.timestamp == utc("2024-05-02T09:15:00Z"))
    }

    @Test func datedEntriesCarryTheirDateForward() throws {
        let entries = try timeline(
            """
            - 2025-01-14 23:41 - Secondary provider rejects test calls.
            - 23:58 - Expired API key found.
            - 2025-01-15 00:14 - New key generated.
            - 00:40 - Card traffic moved to the secondary provider.
            """, frontMatter: "title: x")
        #expect(entries.map(\.time) == ["2025-01-14 23:41", "23:58", "2025-01-15 00:14", "00:40"])
        #expect(entries.map(\.timestamp) == [
            utc("2025-01-14T23:41:00Z"), utc("2025-01-14T23:58:00Z"), utc("2025-01-15T00:14:00Z"),
            utc("2025-01-15T00:40:00Z"),
        ])
    }

    @Test func timeEarlierThanThePreviousOneCrossesMidnight() throws {
        let entries = try timeline("- 23:50 - Deploy\n- 00:10 - Errors\n- 01:00 - Rollback\n", frontMatter: "date: 2024-12-31")
        #expect(entries.map(\.timestamp) == [
            utc("2024-12-31T23:50:00Z"), utc("2025-01-01T00:10:00Z"), utc("2025-01-01T01:00:00Z"),
        ])
    }

    @Test func explicitlyDatedEntryAfterFrontMatterDateWins() throws {
        let entries = try timeline("- 10:00 - a\n- 2024-03-07 08:00 - b\n- 09:00 - c\n", frontMatter: "date: 2024-03-05")
        #expect(entries.map(\.timestamp) == [
            utc("2024-03-05T10:00:00Z"), utc("2024-03-07T08:00:00Z"), utc("2024-03-07T09:00:00Z"),
        ])
    }

    @Test func isoEntriesWithOffsetsAreConverted() throws {
        let entries = try timeline("- 2024-05-02T09:15:00Z - a\n- 2024-05-02T11:20+02:00 - b\n", frontMatter: "title: x")
        #expect(entries.map(\.timestamp) == [utc("2024-05-02T09:15:00Z"), utc("2024-05-02T09:20:00Z")])
        #expect(entries.map(\.event) == ["a", "b"])
    }

    @Test func twelveHourTimes() throws {
        let entries = try timeline("- 11:58 AM - a\n- 12:05 PM - b\n- 7:32 pm - c\n", frontMatter: "date: 2024-03-05")
        #expect(entries.map(\.timestamp) == [
            utc("2024-03-05T11:58:00Z"), utc("2024-03-05T12:05:00Z"), utc("2024-03-05T19:32:00Z"),
        ])
        #expect(entries.map(\.time) == ["11:58 AM", "12:05 PM", "7:32 pm"])
    }

    @Test func noDateAnywhereLeavesInstantsUnknown() throws {
        let (result, diagnostics) = parseDocument("## Timeline\n\n- 10:00 - a\n")
        let pm = try #require(result)
        #expect(pm.timeline.first?.time == "10:00")
        #expect(pm.timeline.first?.timestamp == nil)
        #expect(warnings(diagnostics).contains { $0.message.contains("no incident date") })
    }
}

@Suite("Reading one time")
struct TimeTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var day: String?
        var seconds: Int?
        var offset: Int?
        var rest: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(text: "14:32", day: nil, seconds: 14 * 3600 + 32 * 60, offset: nil, rest: ""),
        Case(text: "9:05 - event", day: nil, seconds: 9 * 3600 + 5 * 60, offset: nil, rest: "event"),
        Case(text: "2021-08-26 08:22 Deploy", day: "2021-08-26", seconds: 8 * 3600 + 22 * 60, offset: nil, rest: "Deploy"),
        Case(text: "7:32 PM", day: nil, seconds: 19 * 3600 + 32 * 60, offset: nil, rest: ""),
        Case(text: "12:00 AM midnight", day: nil, seconds: 0, offset: nil, rest: "midnight"),
        Case(text: "2024-05-02T09:15:00Z", day: "2024-05-02", seconds: 9 * 3600 + 15 * 60, offset: 0, rest: ""),
        Case(text: "10:40: event", day: nil, seconds: 10 * 3600 + 40 * 60, offset: nil, rest: "event"),
        Case(text: "14:02:30 UTC — x", day: nil, seconds: 14 * 3600 + 2 * 60 + 30, offset: 0, rest: "x"),
        Case(text: "14:02-05:00 x", day: nil, seconds: 14 * 3600 + 2 * 60, offset: -5 * 3600, rest: "x"),
        Case(text: "14:02 -05 is not an offset", day: nil, seconds: 14 * 3600 + 2 * 60, offset: nil, rest: "05 is not an offset"),
        Case(text: "2024/03/05 event", day: "2024-03-05", seconds: nil, offset: nil, rest: "event"),
        // Past the first few dozen characters the scan reads on: long runs of blanks and digits.
        Case(text: "  14:02" + String(repeating: " ", count: 60) + "UTC - late zone", day: nil, seconds: 14 * 3600 + 2 * 60, offset: 0, rest: "late zone"),
        Case(text: "2:02:30." + String(repeating: "0", count: 60) + " PM x", day: nil, seconds: 14 * 3600 + 2 * 60 + 30, offset: nil, rest: "x"),
        Case(text: "12:00" + String(repeating: " ", count: 60) + "AM dawn", day: nil, seconds: 0, offset: nil, rest: "dawn"),
        Case(text: "2024-03-05" + String(repeating: " ", count: 60) + "99", day: "2024-03-05", seconds: nil, offset: nil, rest: "99"),
        Case(text: "\u{00A0}9:05 – " + String(repeating: "long event text ", count: 10), day: nil, seconds: 9 * 3600 + 5 * 60, offset: nil, rest: String(repeating: "long event text ", count: 10)),
    ])
    func reads(_ c: Case) throws {
        let (time, rest) = try #require(TimeText.scan(c.text[...]))
        #expect(time.day == c.day.map(day))
        #expect(time.secondsOfDay == c.seconds)
        #expect(time.zone == c.offset.map { .fixed(seconds: $0) })
        #expect(String(rest) == c.rest)
    }

    @Test(arguments: [
        "2024 was a busy year", "1234", "25:00", "13:00 PM", "14:5", "12:61", "v1.2.3", "", "Deploy at 14:00",
        "14:02:30." + String(repeating: "0", count: 60) + "seconds",
    ])
    func rejects(text: String) {
        #expect(TimeText.scan(text[...]) == nil)
    }
}
