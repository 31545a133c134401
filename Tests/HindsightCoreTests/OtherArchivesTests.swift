import Foundation
import Testing

@testable import HindsightCore

/// The conventions of archives written to other templates, each read without edits (issue: other teams' archives).
@Suite("Other teams' conventions")
struct OtherArchivesTests {
    // MARK: Facts as labelled bullets

    @Test("durations stated as labelled bullets, plain or bold, reach the model with their origin")
    func labelledDurations() throws {
        let pm = try postMortem("""
            # Queue outage

            ## Summary

            The queue stopped.

            ## Stats

            - Time to detection: 12 minutes
            - **Time to repair**: 0h 41m
            - **Time to resolve:** 26h 10m (during support hours 09:00-17:00)
            - Category: Networking
            """)
        #expect(pm.times.statedToDetect == 12)
        #expect(pm.times.statedToRepair == 41)
        #expect(pm.times.statedToResolve == 26 * 60 + 10)
        #expect(pm.tags == ["Networking"])
        #expect(pm.origins[.timeToDetect] == .bullet)
        #expect(pm.origins[.tags] == .bullet)
        // Without timestamps, the stated durations are the ones insights use.
        #expect(pm.times.minutesToDetect == 12)
        #expect(pm.times.minutesToResolve == 26 * 60 + 10)
    }

    @Test("the insights use stated durations where no timestamps give them")
    func insightsUseStatedDurations() throws {
        let files = [
            sourceFile("Content/2024-03-05-a.md", "# A\n\n## Stats\n\n- Time to detection: 12 minutes\n- Time to resolve: 2 hours\n"),
            sourceFile("Content/2024-03-06-b.md", "---\nstarted: 2024-03-06T10:00:00Z\ndetected: 2024-03-06T10:30:00Z\n---\n# B\n\n- Time to detection: 5 minutes\n"),
        ]
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: Configuration(), files: files, themeFiles: [:], histories: [:],
            diagnostics: [])
        let insights = Insights.compute(ArchiveBuilder.build(snapshot).0)
        let quarter = try #require(insights.quarters.first)
        // A: 12 as stated; B: 30 from its timestamps, which win over the 5 it states.
        #expect(quarter.timeToDetect.count == 2)
        #expect(quarter.timeToDetect.median == 21)
        #expect(quarter.timeToResolve.median == 120)
    }

    @Test("recovery counts as resolve; ?, N/A and unknown are no value and no error")
    func recoveryAndNoValue() throws {
        let (result, diagnostics) = parseDocument("""
            # 2024-03-05 Outage

            ## Facts

            - Time to detection: ?
            - Time to repair: N/A
            - Time to recovery: 3 hours 5 minutes
            - Severity: unknown
            """)
        let pm = try #require(result)
        #expect(pm.times.statedToDetect == nil)
        #expect(pm.times.statedToRepair == nil)
        #expect(pm.times.statedToResolve == 185)
        #expect(pm.severity == nil)
        #expect(errors(diagnostics).isEmpty)
        #expect(warnings(diagnostics).isEmpty)
    }

    @Test("a Key events list of labelled times gives the milestones")
    func keyEvents() throws {
        let pm = try postMortem("""
            # Outage

            ## Key events

            - First detected 2021-03-02 09:14
            - Repaired 2021-03-02 09:55
            - Incident declared 2021-03-02 10:02
            - Resolved: 2021-03-04 16:30
            """)
        #expect(pm.times.detected == utc("2021-03-02T09:14:00Z"))
        #expect(pm.times.mitigated == utc("2021-03-02T09:55:00Z"))
        #expect(pm.times.acknowledged == utc("2021-03-02T10:02:00Z"))
        #expect(pm.times.resolved == utc("2021-03-04T16:30:00Z"))
        #expect(pm.origins[.resolved] == .bullet)
    }

    @Test("a bullet that only starts with a label's words is narrative, not a fact")
    func narrativeBullets() throws {
        let pm = try postMortem("""
            # Outage

            ## What went wrong

            - Resolved the wrong ticket first, which cost us time
            - Duration: longer than anyone expected
            """)
        #expect(pm.times.resolved == nil)
        #expect(pm.times.statedToResolve == nil)
    }

    @Test("durations stated in sentences of clear shapes are read; vaguer ones are not")
    func proseDurations() throws {
        let pm = try postMortem("""
            # Outage

            On September 29 the service experienced an outage lasting 1 hour and 48 minutes. The mistake was
            not detected for 17 days.
            """)
        #expect(pm.times.statedToResolve == 108)
        #expect(pm.times.statedToDetect == 17 * 1440)
        #expect(pm.origins[.timeToResolve] == .section)
        let vague = try postMortem("""
            # Outage

            For about 40 minutes, requests were logged in full. The outage minutes were many; it lasted the whole
            afternoon.
            """)
        #expect(vague.times.statedToResolve == nil)
        #expect(ProseDurations.hasAmount("it lasted 1.5 hours") && ProseDurations.hasAmount("a 62-minute detection delay"))
        #expect(ProseDurations.hasAmount("the minutes retried") == false)
    }

    @Test("a check some minutes after the deploy is the time to detect; minutes after anything else are not")
    func detectAfterDeploy() throws {
        let pm = try postMortem("""
            # Outage

            We only went back to check the dashboards 2 minutes after the deploy and saw the errors.
            """)
        #expect(pm.times.statedToDetect == 2)
        // "N minutes after" something that is not the change is no time to detect.
        let other = try postMortem("# Outage\n\nWe checked the queue 5 minutes after lunch.\n")
        #expect(other.times.statedToDetect == nil)
    }

    @Test("\"1 hour later, … resolved\" in a timeline's second entry is the time to resolve; in a later entry it is not")
    func laterInSecondEntry() throws {
        let second = try postMortem("""
            # Outage

            ## Timeline

            - Deploy went out and the site went down
            - 1 hour later, deployment done and issues resolved
            """)
        #expect(second.times.statedToResolve == 60)
        let third = try postMortem("""
            # Outage

            ## Timeline

            - Deploy went out and the site went down
            - We rolled back
            - 1 hour later, deployment done and issues resolved
            """)
        #expect(third.times.statedToResolve == nil)
    }

    @Test("the date the text opens with beats the file name, which is often the day it was published", arguments: [
        ("On September 29, 2025, the service was down.", "2025-09-29"),
        ("Between November 11 and November 15, 2025 we hit a bug in the queue.", "2025-11-11"),
        ("From 2021-03-02 to 2021-03-04 builds failed.", "2021-03-02"),
        ("On the evening of February 23, 2024 logins failed.", "2024-02-23"),
    ])
    func openingDate(sentence: String, expected: String) throws {
        let pm = try postMortem("# Outage\n\n\(sentence)\n", path: "Content/2025-12-01-outage.md")
        #expect(pm.date == day(expected))
        #expect(pm.dateSource == .opening)
    }

    @Test("a sentence that opens without a date leaves the file name's date")
    func openingWithoutDate() throws {
        let pm = try postMortem("# Outage\n\nOn most days the queue is quiet. On March 3, 2024 it was not.\n", path: "Content/2025-12-01-outage.md")
        #expect(pm.date == day("2025-12-01"))
        #expect(pm.dateSource == .fileName)
    }

    @Test("undated timeline entries fall on the day the summary opens with, when it is next to the incident's day")
    func eveningBefore() throws {
        let pm = try postMortem("""
            ---
            date: 2024-02-24
            ---
            # Login outage

            ## Summary

            On the evening of Feb 23 logins failed for two hours.

            ## Timeline

            - 21:10 Errors rise
            - 23:05 Fixed
            """)
        #expect(pm.date == day("2024-02-24"))
        #expect(pm.timeline.map(\.timestamp) == [utc("2024-02-23T21:10:00Z"), utc("2024-02-23T23:05:00Z")])
        // A day further away is some other day the summary mentions, not the incident's.
        let far = try postMortem("""
            ---
            date: 2024-02-24
            ---
            # Login outage

            ## Summary

            On Feb 12 we changed the login flow.

            ## Timeline

            - 21:10 Errors rise
            """)
        #expect(far.timeline.map(\.timestamp) == [utc("2024-02-24T21:10:00Z")])
    }

    // MARK: Front matter of other tools

    @Test("start_time and end_time in RFC 3339, company and product, categories and keywords, summary and url")
    func otherToolsFrontMatter() throws {
        let pm = try postMortem("""
            ---
            title: Payment errors
            start_time: 2024-03-05T14:02:00Z
            end_time: 2024-03-05T16:30:00+01:00
            company: Acme
            product: Payments
            categories: [database, deploy]
            keywords: latency
            summary: Payments failed for two hours.
            archive_url: https://example.org/incidents/42

            ---

            ## Details

            Text.
            """)
        #expect(pm.times.started == utc("2024-03-05T14:02:00Z"))
        #expect(pm.times.resolved == utc("2024-03-05T15:30:00Z"))
        #expect(pm.services == ["Acme", "Payments"])
        #expect(pm.tags == ["database", "deploy", "latency"])
        #expect(pm.summary == "Payments failed for two hours.")
        #expect(pm.sourceURL == "https://example.org/incidents/42")
        // The date comes from the start time the front matter states.
        #expect(pm.date == day("2024-03-05"))
        #expect(pm.origins[.services] == .frontMatter)
        #expect(pm.origins[.started] == .frontMatter)
    }

    @Test("started_at, and a date with a time, which also says when the incident started")
    func startedAtAndDateTime() throws {
        let pm = try postMortem("""
            ---
            date: 2021-03-02 09:14
            ---
            # Outage
            """)
        #expect(pm.date == day("2021-03-02"))
        #expect(pm.times.started == utc("2021-03-02T09:14:00Z"))
        let other = try postMortem("""
            ---
            started_at: "2021-03-02T09:14:00-05:00"
            ---
            # Outage
            """)
        #expect(other.times.started == utc("2021-03-02T14:14:00Z"))
    }

    // MARK: The mapping in hindsight.yml

    @Test("fields:, sections: and date_order: in hindsight.yml say what cannot be guessed")
    func mapping() throws {
        let configuration = try Configuration.parse(Data("""
            fields:
              date: [incident_start]
              services: [team_product]
              tags: [area]
            sections:
              action_items: ["Review actions"]
            date_order: dmy
            """.utf8))
        let pm = try postMortem("""
            ---
            incident_start: 2024-03-05
            team_product: Checkout
            area: payments
            ---
            # Outage

            ## Timeline

            - 03/04/2024 10:00 - Alert fires

            ## Review actions

            - Add a canary stage
            """, configuration: configuration)
        #expect(pm.date == day("2024-03-05"))
        #expect(pm.services == ["Checkout"])
        #expect(pm.tags == ["payments"])
        #expect(pm.actionItems.map(\.text) == ["Add a canary stage"])
        // dmy: 03/04 is the 3rd of April.
        #expect(pm.timeline.first?.timestamp == utc("2024-04-03T10:00:00Z"))
    }

    @Test("a mapping to an unknown field or section is an error that names the ones there are")
    func badMapping() {
        #expect(throws: Diagnostic.self) { try Configuration.parse(Data("fields: {when: [start]}".utf8)) }
        #expect(throws: Diagnostic.self) { try Configuration.parse(Data("sections: {todo: [Review]}".utf8)) }
        #expect(throws: Diagnostic.self) { try Configuration.parse(Data("date_order: ymd".utf8)) }
    }

    @Test("an ambiguous numeric date without date_order is read month first, with a warning")
    func ambiguousDates() throws {
        let (result, diagnostics) = parseDocument("""
            # Outage

            ## Timeline

            03/04/2024 10:00 - Alert fires
            """)
        let pm = try #require(result)
        #expect(pm.timeline.first?.timestamp == utc("2024-03-04T10:00:00Z"))
        #expect(warnings(diagnostics).contains { $0.message.contains("date_order") })
    }

    @Test("without date_order, the archive's unambiguous dates decide how the ambiguous ones read")
    func archiveDecidesDateOrder() throws {
        let files = [
            sourceFile("Content/a.md", "# A\n\n## Timeline\n\n- 25/03/2024 10:00 - Alert fires\n"),
            sourceFile("Content/b.md", "# B\n\n## Timeline\n\n- 03/04/2024 10:00 - Alert fires\n"),
        ]
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: Configuration(), files: files, themeFiles: [:], histories: [:],
            diagnostics: [])
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot)
        let b = try #require(archive.postMortems.first { $0.sourcePath == "Content/b.md" })
        #expect(b.timeline.first?.timestamp == utc("2024-04-03T10:00:00Z"))
        #expect(diagnostics.contains { $0.message.contains("date_order") } == false)
    }

    // MARK: Headings

    @Test("# sections after the title; a # section after ## sections ends the one before it")
    func levelOneSections() throws {
        let pm = try postMortem("""
            # Queue outage

            # Timeline

            - 10:00 Alert fires

            ## Action Items

            - Add alerting on queue depth

            # Stats

            - Time to detection: 5 minutes
            """)
        #expect(pm.title == "Queue outage")
        #expect(pm.timeline.map(\.event) == ["Alert fires"])
        #expect(pm.actionItems.map(\.text) == ["Add alerting on queue depth"])
        #expect(pm.times.statedToDetect == 5)
    }

    @Test("## headings under an unknown # heading are recognised by their own names")
    func nestedUnderUnknown() throws {
        let pm = try postMortem("""
            # Outage

            # After-action report

            ## Timeline

            - 10:00 Alert fires

            ## Action items

            1. Add a canary
            """)
        #expect(pm.timeline.count == 1)
        #expect(pm.actionItems.count == 1)
    }

    @Test("closed, setext and broken-nesting headings")
    func headingForms() throws {
        let pm = try postMortem("""
            Queue outage
            ============

            Summary ##
            -------

            Something broke.

            ## ### Timeline

            - 10:00 Alert fires

            ## Action Items ##

            - [x] Add alerting
            """)
        #expect(pm.title == "Queue outage")
        #expect(pm.timeline.count == 1)
        #expect(pm.actionItems.first?.isDone == true)
    }

    @Test("a timeline heading's zone applies to its events")
    func headingZone() throws {
        let pm = try postMortem("""
            # Outage

            ## Timeline (all times PST) 03/04/2024 - 03/09/2024. All times approximate

            - 03/04/2024 10:00 - Alert fires
            - 11:30 - Rolled back
            """)
        #expect(pm.timeline.map(\.timestamp) == [utc("2024-03-04T18:00:00Z"), utc("2024-03-04T19:30:00Z")])
    }

    // MARK: Timelines

    @Test("one heading per event, where only the first names the date (the year from the incident date)")
    func headingPerEvent() throws {
        let pm = try postMortem("""
            ---
            date: 2017-03-20
            ---
            ## Timeline

            ### March 20, 12:44

            Servers report errors.

            ### 12:53

            Pods are pending.

            ### Over the weekend

            Nodes are drained.

            ### 13:03

            New nodes come up.
            """)
        #expect(pm.timeline.map(\.timestamp) == [utc("2017-03-20T12:44:00Z"), utc("2017-03-20T12:53:00Z"), nil, utc("2017-03-20T13:03:00Z")])
        #expect(pm.timeline[0].event == "Servers report errors.")
        #expect(pm.timeline[2].event.hasPrefix("Over the weekend"))
    }

    @Test("one paragraph per event, with MM-DD-YYYY dates and am/pm times")
    func paragraphPerEvent() throws {
        let pm = try postMortem("""
            # Outage

            ## Timeline

            03-05-2024 11:30 am - Queue depth reaches its limit.

            03-05-2024 1:15 pm - Workers restarted.
            """)
        #expect(pm.timeline.map(\.timestamp) == [utc("2024-03-05T11:30:00Z"), utc("2024-03-05T13:15:00Z")])
        #expect(pm.timeline[0].event == "Queue depth reaches its limit.")
    }

    @Test("tables without trailing pipes, and Day | Date | Time | Event columns")
    func tables() throws {
        let pm = try postMortem("""
            # Outage

            ## Timeline

            Day | Date | Time | Event
            --- | --- | --- | ---
            Tuesday | 2024-03-05 | 14:02 | Deploy starts
            Tuesday | 2024-03-05 | 14:10 | Errors rise
            """)
        #expect(pm.timeline.map(\.timestamp) == [utc("2024-03-05T14:02:00Z"), utc("2024-03-05T14:10:00Z")])
        #expect(pm.timeline.map(\.event) == ["Deploy starts", "Errors rise"])
    }

    @Test("ranges, approximate times, M/D/YY, 19. April and a five-digit year kept as text", arguments: [
        ("16:00-17:00 - Maintenance window", "2024-03-05T16:00:00Z"),
        ("~09:30 - Alert fires", "2024-03-05T09:30:00Z"),
        ("3/5/24 10:00 - Alert fires", "2024-03-05T10:00:00Z"),
        ("19. April 10:00 - Alert fires", "2024-04-19T10:00:00Z"),
        ("April 19, 10:00 - Alert fires", "2024-04-19T10:00:00Z"),
        ("2024-03-05 1250 UTC ::::: Alert fires", "2024-03-05T12:50:00Z"),
        ("14:32 UTC Tuesday Mar 5 - Alert fires", "2024-03-05T14:32:00Z"),
    ])
    func timeForms(line: String, instant: String) throws {
        let pm = try postMortem("""
            ---
            date: 2024-03-05
            ---
            ## Timeline

            ### \(line)
            """)
        #expect(pm.timeline.first?.timestamp == utc(instant))
        #expect(pm.timeline.first?.event.hasSuffix("Alert fires") == true || line.hasPrefix("16:00"))
    }

    @Test("an impossible date is kept as text and the rest of the timeline is still read")
    func impossibleDate() throws {
        let pm = try postMortem("""
            # Outage

            ## Timeline

            - 20241-03-05 10:00 - Typo
            - 2024-03-05 10:05 - Alert fires
            """)
        #expect(pm.timeline.count == 2)
        #expect(pm.timeline[0].timestamp == nil)
        #expect(pm.timeline[0].event.contains("Typo"))
        #expect(pm.timeline[1].timestamp == utc("2024-03-05T10:05:00Z"))
    }

    @Test("a timeline zone written once, on one entry or in a line of its own, applies to the others")
    func zoneWrittenOnce() throws {
        let pm = try postMortem("""
            ---
            date: 2024-07-19
            ---
            ## Timeline

            All times in UTC.

            - 10:45 - Deployed
            - 12:21 PT - Noticed
            - 12:31 - Restarted
            """)
        // PT in July is daylight time (UTC-7); the untimed zone line says UTC for the first.
        #expect(pm.timeline.map(\.timestamp) == [utc("2024-07-19T10:45:00Z"), utc("2024-07-19T19:21:00Z"), utc("2024-07-19T12:31:00Z")])
    }

    // MARK: Action items

    @Test("### headings under an actions section are items when the section has no list")
    func headingItems() throws {
        let pm = try postMortem("""
            # Outage

            ## Follow-up

            ### Add alerting on queue depth

            The queue grew for an hour unnoticed.

            ### Document the failover (done)

            Written up in the runbook.
            """)
        #expect(pm.actionItems.map(\.text) == ["Add alerting on queue depth", "Document the failover"])
        #expect(pm.actionItems.map(\.isDone) == [false, true])
    }

    @Test("bullets under sub-headings, a (completed) sub-heading marking its items done")
    func subHeadingGroups() throws {
        let pm = try postMortem("""
            # Outage

            ## Corrective and Preventative Measure(s)

            ### Immediate actions (completed)

            - Rolled back the release

            ### Short-term Improvements

            - Add a canary stage
            - ✅ Alert on queue depth
            """)
        #expect(pm.actionItems.map(\.text) == ["Rolled back the release", "Add a canary stage", "Alert on queue depth"])
        #expect(pm.actionItems.map(\.isDone) == [true, false, true])
    }

    @Test("a list right after another list holds the last item's details; a short reply to an item is not an item")
    func listAfterList() throws {
        let pm = try postMortem("""
            # Outage

            ## Action items

            - Try a staging environment
            * please use separate DB credentials
            * and a smaller instance

            - Add an alert on replication lag
            - we sort of already have that

            Other ideas:

            * Page the database team on lag
            """)
        #expect(pm.actionItems.map(\.text) == ["Try a staging environment", "Add an alert on replication lag", "Page the database team on lag"])
    }

    @Test("section names of other templates", arguments: ["Review actions", "Follow-up", "Remediation", "Resulting Action", "Corrective and Preventative Measure(s)"])
    func actionSectionNames(heading: String) throws {
        let configuration = try Configuration.parse(Data("sections: {action_items: [\"Review actions\"]}".utf8))
        let pm = try postMortem("""
            # Outage

            ## \(heading)

            - [ ] Add a canary stage
            - [x] Alert on queue depth
            """, configuration: configuration)
        #expect(pm.actionItems.map(\.isDone) == [false, true])
    }

    @Test("a template's own checklist beside the action items is not follow-up work")
    func templateChecklist() throws {
        let pm = try postMortem("""
            # Outage

            ## Action items

            1. Add a canary stage
            2. {{ summary }} [link to github issue]

            ## Actions

            - [x] Sections above are filled out
            """)
        #expect(pm.actionItems.map(\.text) == ["Add a canary stage"])
    }

    // MARK: Titles

    @Test("dates in titles", arguments: [
        ("# 2019-05-02, Queue outage", "Queue outage"),
        ("# Incident on 2019-05-02 - Queue outage", "Queue outage"),
        ("# Retrospective: Queue outage 2019-05-02", "Retrospective: Queue outage"),
        ("# incident date: 2019-05-02, Queue outage", "Queue outage"),
        ("# Post-mortem of the queue outage on May 2nd, 2019", "Post-mortem of the queue outage"),
    ])
    func titleDates(heading: String, title: String) throws {
        let pm = try postMortem(heading + "\n\n## Summary\n\nText.\n", path: "Content/queue.md")
        #expect(pm.date == day("2019-05-02"))
        #expect(pm.dateSource == .title)
        #expect(pm.title == title)
    }

    // MARK: Files

    @Test("files that are not post-mortems are left out with one line each", arguments: [
        ("Content/LICENSE", "MIT License\n\nCopyright"),
        ("Content/README.md", "# Our post-mortems\n\nOne file per incident."),
        ("Content/index.qmd", "---\ntitle: Incidents\nlisting:\n  contents: \"*.qmd\"\n---\n"),
        ("Content/template.md", "---\ntitle: Incident title\ndate: YYYY-MM-DD\n---\n# Title\n"),
        ("Content/PM2024-001.md", "# PMyyyy-nnn: Title\n\n## Summary\n"),
        ("Content/notes", "some notes without a heading"),
    ])
    func leftOut(path: String, text: String) {
        let (result, diagnostics) = parseDocument(text, path: path)
        #expect(result == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .note)
        #expect(diagnostics.first?.message.hasPrefix("left out:") == true)
    }

    @Test("a file without an extension that opens with front matter or a heading is read; .qmd and .markdown too")
    func fileKinds() throws {
        #expect(SourceReader.isMarkdown("Content/2024/queue-outage"))
        #expect(SourceReader.isMarkdown("Content/2024/queue.qmd"))
        #expect(SourceReader.isMarkdown("Content/2024/queue.markdown"))
        #expect(SourceReader.isMarkdown("Content/2024/queue.yml") == false)
        let pm = try postMortem("# Queue outage\n\n## Summary\n\nText.\n", path: "Content/2024-03-05-queue-outage")
        #expect(pm.id == "2024-03-05-queue-outage")
        #expect(pm.date == day("2024-03-05"))
    }

    @Test("a file describing several incidents stays one post-mortem")
    func severalIncidents() throws {
        let pm = try postMortem("""
            # Recurring outages

            ## Incident Timeline

            ### October 21, 2025 - Redis overload

            **Root causes:**

            - Too many retries

            **Timeline:**

            - 21:45 UTC - Deploy
            - 23:28 UTC - Recovered

            ### October 24, 2025 - Rate limiting

            **Timeline:**

            - 18:00 UTC - Deploy
            """)
        #expect(pm.timeline.map(\.timestamp) == [utc("2025-10-21T21:45:00Z"), utc("2025-10-21T23:28:00Z"), utc("2025-10-24T18:00:00Z")])
    }

    // MARK: Origins

    @Test("a date that falls back to the commit says so")
    func commitFallback() throws {
        let pm = try postMortem("# Outage\n\nText.\n", path: "Content/outage.md", history: history(created: "2024-06-01T12:00:00Z"))
        #expect(pm.dateSource == .commit)
        #expect(pm.dateSource.isFallback)
        #expect(pm.date == day("2024-06-01"))
    }
}
