import Foundation
import TestSupport
import Testing

/// `hindsight inspect`: what Hindsight understood of an archive, as a team migrating would run it.
@Suite("hindsight inspect")
struct InspectCommandTests {
    /// An archive in two other templates: labelled bullets and a `# Timeline`, and another tool's front matter.
    static let files = [
        "Content/2021-03-02-queue.md": """
            # Queue outage

            # Timeline

            - 09:14 Alert fires
            - 09:55 Workers restarted

            # Stats

            - Time to detection: 12 minutes
            - Time to recovery: 41 minutes
            """,
        "Content/payments.md": """
            ---
            title: Payment errors
            start_time: 2024-03-05T14:02:00Z
            company: Acme
            ---
            ## Timeline

            Nothing was written down.

            ## Follow-up

            - [ ] Add a canary stage
            """,
        "Content/notes": "scratch notes, no heading",
        "Content/LICENSE": "MIT License",
    ]

    @Test("the text report counts each fact by origin, names empty sections at path:line and the files left out")
    func text() throws {
        let repo = try TemporaryRepository()
        try repo.commit(Self.files)
        let result = try HindsightCommand.run(["inspect", "--repo", repo.path], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "2 post-mortems read, 2 files left out")
        #expect(lines.contains { $0.hasPrefix("date ") && $0.contains("2/2") && $0.contains("file name 1") && $0.contains("started 1") })
        #expect(lines.contains { $0.hasPrefix("time to detect ") && $0.contains("1/2") && $0.contains("labelled bullet 1") })
        #expect(lines.contains { $0.hasPrefix("time to resolve ") && $0.contains("labelled bullet 1") })
        #expect(lines.contains { $0.hasPrefix("services ") && $0.contains("front matter 1") })
        #expect(lines.contains { $0.hasPrefix("timeline ") && $0.contains("1/2") && $0.contains("section 1") })
        #expect(lines.contains { $0 == "  Content/payments.md:6: timeline section 'Timeline'" })
        #expect(lines.contains { $0.hasPrefix("  Content/LICENSE: a licence") })
        #expect(lines.contains { $0.hasPrefix("  Content/notes: a file without an extension") })
    }

    @Test("--format json gives the same counts for tools")
    func json() throws {
        let repo = try TemporaryRepository()
        try repo.commit(Self.files)
        let result = try HindsightCommand.run(["inspect", "--repo", repo.path, "--format", "json"], in: repo.url)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["post_mortems"] as? Int == 2)
        let facts = try #require(object["facts"] as? [[String: Any]])
        let date = try #require(facts.first { $0["fact"] as? String == "date" })
        #expect(date["files"] as? Int == 2)
        #expect(date["origins"] as? [String: Int] == ["file name": 1, "started": 1])
        let unread = try #require(object["unread_sections"] as? [[String: Any]])
        #expect(unread.count == 1)
        #expect(unread.first?["line"] as? Int == 6)
        #expect((object["left_out"] as? [[String: Any]])?.count == 2)
    }

    @Test("--content and --config read a folder that is not a repository, where it lies")
    func folder() throws {
        let folder = try TemporaryFolder()
        let content = folder.url.appendingPathComponent("old/postmortems")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data("---\nincident_start: 2024-03-05\n---\n# Outage\n".utf8).write(to: content.appendingPathComponent("outage.md"))
        let mapping = folder.url.appendingPathComponent("mapping.yml")
        try Data("fields: {date: [incident_start]}\n".utf8).write(to: mapping)
        let result = try HindsightCommand.run(
            ["inspect", "--worktree", "--repo", folder.url.path, "--content", "old/postmortems", "--config", "mapping.yml"],
            in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("date             1/1   front matter 1"))
        let usage = try HindsightCommand.run(["inspect", "--content", "old/postmortems"], in: folder.url)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--worktree"))
    }
}
