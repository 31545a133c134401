import Testing

@testable import HindsightCore

private func actions(_ body: String) throws -> [ActionItem] {
    try postMortem("## Action Items\n\n" + body).actionItems
}

@Suite("Action items")
struct ActionItemTests {
    @Test func tableWithColumnsInAnyOrder() throws {
        let found = try actions(
            """
            | Status | Priority | Owner | Action | Due | Ticket |
            |---|---|---|---|---|---|
            | done | P1 | Platform Team | Reject unknown config keys at startup | 2024-04-01 | OPS-1240 |
            | WIP | p2 | SRE Team | Add a canary for queue wait | | |
            | | | | Write the runbook | | |
            """)
        #expect(found.map(\.text) == [
            "Reject unknown config keys at startup", "Add a canary for queue wait", "Write the runbook",
        ])
        #expect(found.map(\.owner) == ["Platform Team", "SRE Team", nil])
        #expect(found.map(\.priority) == ["P1", "P2", nil])
        #expect(found.map(\.status) == ["done", "in-progress", "open"])
        #expect(found.map(\.ticket) == ["OPS-1240", nil, nil])
        #expect(found.map(\.due) == ["2024-04-01", nil, nil])
        #expect(found.map(\.isDone) == [true, false, false])
        #expect(found.map(\.location.line) == [5, 6, 7])
    }

    @Test(arguments: [
        ("Done", "done"), ("closed", "done"), ("Completed", "done"), ("WIP", "in-progress"), ("In Progress", "in-progress"),
        ("in_progress", "in-progress"), ("To Do", "open"), ("", "open"), ("✅", "done"), ("[x]", "done"), ("Blocked", "blocked"),
    ])
    func tableStatusWordsAreNormalised(written: String, expected: String) throws {
        let found = try actions("| Action | Status |\n|---|---|\n| Fix it | \(written) |\n")
        #expect(found.first?.status == expected)
    }

    @Test func tableHeaderSynonyms() throws {
        let found = try actions(
            """
            | Action Item | Team | Prio | State | Jira | Target Date |
            |---|---|---|---|---|---|
            | Alert on cert expiry | SRE Team | Priority 1 | closed | [OPS-9](https://jira.example/OPS-9) | Q3 |
            """)
        let item = try #require(found.first)
        #expect(item.text == "Alert on cert expiry")
        #expect(item.owner == "SRE Team")
        #expect(item.priority == "P1")
        #expect(item.status == "done")
        #expect(item.ticket == "OPS-9")
        #expect(item.due == "Q3")
    }

    @Test func taskListSetsStatus() throws {
        let found = try actions(
            """
            - [ ] [P1] Add expiry alerting for all certs — SRE Team
            - [x] [P2] Replace the retired mailbox in alert routing — SRE Team
            """)
        #expect(found.map(\.text) == ["Add expiry alerting for all certs", "Replace the retired mailbox in alert routing"])
        #expect(found.map(\.status) == ["open", "done"])
        #expect(found.map(\.priority) == ["P1", "P2"])
        #expect(found.map(\.owner) == ["SRE Team", "SRE Team"])
        #expect(found.map(\.location.line) == [3, 4])
    }

    @Test func plainBulletsWithOwnerInParentheses() throws {
        let found = try actions(
            """
            - Restart cache nodes one at a time (owner: Platform Team)
            - Document the failover drill
            """)
        #expect(found.map(\.text) == ["Restart cache nodes one at a time", "Document the failover drill"])
        #expect(found.map(\.owner) == ["Platform Team", nil])
        #expect(found.map(\.status) == ["open", "open"])
        #expect(found.map(\.priority) == [nil, nil])
    }

    @Test func numberedList() throws {
        let found = try actions(
            """
            1. [P2] Add a DNS capacity check to the upgrade checklist — Platform Team
            2. P0: Rotate the leaked token – Security Team
            """)
        #expect(found.map(\.text) == ["Add a DNS capacity check to the upgrade checklist", "Rotate the leaked token"])
        #expect(found.map(\.priority) == ["P2", "P0"])
        #expect(found.map(\.owner) == ["Platform Team", "Security Team"])
    }

    @Test func statusWordsInListItems() throws {
        let found = try actions(
            """
            - Add backoff to the retry loop (Done)
            - Add jitter (WIP)
            - Remove the legacy pool (status: closed)
            - ~~Drop the old queue~~
            """)
        #expect(found.map(\.status) == ["done", "in-progress", "done", "done"])
        #expect(found.map(\.text) == ["Add backoff to the retry loop", "Add jitter", "Remove the legacy pool", "Drop the old queue"])
    }

    @Test func onlyTheActionItemsSectionIsRead() throws {
        let pm = try postMortem(
            """
            ## Lessons Learned

            - [ ] Not an action item

            ## Corrective and Preventative Measures

            - [ ] A real one
            """)
        #expect(pm.actionItems.map(\.text) == ["A real one"])
    }

    @Test func emptyItemsAreSkipped() throws {
        let found = try actions("- [P1]\n- [ ] \n- Real\n")
        #expect(found.map(\.text) == ["Real"])
    }

    @Test func emptyTemplateCheckboxWithoutTrailingSpaceIsNotAnAction() throws {
        // Editors strip trailing spaces, so a template's "- [ ] " placeholder is saved as "- [ ]",
        // which cmark-gfm reads as a plain item with the text "[ ]".
        let found = try actions("- [ ]\n- [ ] Real\n")
        #expect(found.map(\.text) == ["Real"])
    }
}

@Suite("One action-item line")
struct ActionLineTests {
    typealias Line = ActionItemExtractor.Line

    @Test(arguments: [
        ("[P1] Add alerting — SRE Team", Line(text: "Add alerting", owner: "SRE Team", priority: "P1", status: "open", ticket: nil)),
        ("(P0) Rotate keys", Line(text: "Rotate keys", owner: nil, priority: "P0", status: "open", ticket: nil)),
        ("p3 - Tidy dashboards", Line(text: "Tidy dashboards", owner: nil, priority: "P3", status: "open", ticket: nil)),
        ("Add alerting (owner: SRE Team) (OPS-12) (done)",
            Line(text: "Add alerting", owner: "SRE Team", priority: nil, status: "done", ticket: "OPS-12")),
        ("Add alerting [#482]", Line(text: "Add alerting", owner: nil, priority: nil, status: "open", ticket: "#482")),
        ("Add alerting (priority: high)", Line(text: "Add alerting", owner: nil, priority: "high", status: "open", ticket: nil)),
        ("Add alerting - Owner: Payments Team.", Line(text: "Add alerting", owner: "Payments Team", priority: nil, status: "open", ticket: nil)),
        ("Upgrade P2P network library", Line(text: "Upgrade P2P network library", owner: nil, priority: nil, status: "open", ticket: nil)),
        ("Fix the retry loop (see incident 12)",
            Line(text: "Fix the retry loop (see incident 12)", owner: nil, priority: nil, status: "open", ticket: nil)),
        ("Add alerting — SRE Team (in progress)",
            Line(text: "Add alerting", owner: "SRE Team", priority: nil, status: "in-progress", ticket: nil)),
    ])
    func parseLine(raw: String, expected: Line) {
        #expect(ActionItemExtractor.parseLine(raw) == expected)
    }

    @Test(arguments: [("P1", "P1"), ("p2", "P2"), ("P-3", "P3"), ("Priority 1", "P1"), ("High", "High"), ("", nil)] as [(String, String?)])
    func priorityIsNormalised(written: String, expected: String?) {
        #expect(Normalise.priority(written) == expected)
    }
}
