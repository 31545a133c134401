import Foundation
import TestSupport
import Testing

/// `hindsight check --baseline` and `--write-baseline` with the real binary on real repositories: accepted
/// findings stay hidden when other lines move, new ones fail.
@Suite("hindsight check --baseline")
struct BaselineTests {
    typealias Fixtures = CheckCommandTests

    func run(_ arguments: [String], in folder: URL) throws -> CommandRun {
        try HindsightCommand.run(arguments, in: folder)
    }

    /// A repository whose archive has findings, and its baseline written beside it.
    func baselined(_ files: [String: String]) throws -> (TemporaryRepository, URL) {
        let repo = try TemporaryRepository()
        try repo.commit(files)
        let baseline = repo.url.appendingPathComponent(".hindsight-baseline.json")
        let written = try run(["check", "--write-baseline", baseline.path], in: repo.url)
        #expect(written.status == 0, "\(written.stdout)\(written.stderr)")
        return (repo, baseline)
    }

    @Test("--write-baseline records every finding and exits 0; --baseline then passes and says how many it hid")
    func writeThenCheck() throws {
        let (repo, baseline) = try baselined(["Content/a.md": Fixtures.blameful, "Content/b.md": Fixtures.broken])
        #expect(try run(["check"], in: repo.url).status == 1, "without the baseline the old error fails")

        let written = try run(["check", "--write-baseline", "again.json"], in: repo.url)
        #expect(written.stdout == "Recorded 3 findings in again.json\n")

        let result = try run(["check", "--baseline", baseline.path, "--strict"], in: repo.url)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("Checked 2 post-mortems: no new problems found; 3 baselined findings hidden ("))

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try run(["check", "--baseline", baseline.path, "--format", "json"], in: repo.url).stdout.utf8))
                as? [String: Any])
        #expect(json["summary"] as? [String: Int] == ["errors": 0, "warnings": 0, "info": 0, "baselined": 3])
    }

    @Test("the file is sorted JSON that names rule, path and fingerprint, and is the same when written again")
    func fileFormat() throws {
        let (repo, baseline) = try baselined(["Content/b.md": Fixtures.broken, "Content/a.md": Fixtures.blameful])
        let data = try Data(contentsOf: baseline)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let entries = try #require(object["findings"] as? [[String: String]])
        #expect(entries.map { "\($0["path"]!) \($0["rule"]!)" } == [
            "Content/a.md blame/language", "Content/a.md hindsight/minimiser", "Content/b.md schema/severity",
        ])
        #expect(entries.allSatisfy { $0["fingerprint"]?.count == 16 && $0["message"]?.isEmpty == false })
        #expect(String(decoding: data, as: UTF8.self).contains("\"line\"") == false, "no line numbers to go stale")

        let again = repo.url.appendingPathComponent("again.json")
        #expect(try run(["check", "--write-baseline", again.path], in: repo.url).status == 0)
        #expect(try Data(contentsOf: again) == data)
    }

    @Test("edits to other lines keep baselined findings hidden; a new finding in the same file fails")
    func robustToLineMoves() throws {
        let (repo, baseline) = try baselined(["Content/a.md": Fixtures.blameful])
        // Two lines above the baselined ones, a changed title, whitespace changes on the offending line itself.
        let moved = Fixtures.blameful
            .replacingOccurrences(of: "# Checkout latency after a config push", with: "# Checkout latency after the pool-size push")
            .replacingOccurrences(
                of: "## Summary\n\n", with: "## Summary\n\nCheckout slowed in every region.\n\n")
            .replacingOccurrences(of: "Obviously the outage was human error.", with: "Obviously  the outage was human error. ")
        try repo.commit(["Content/a.md": moved])
        let kept = try run(["check", "--baseline", baseline.path, "--strict"], in: repo.url)
        #expect(kept.status == 0, "\(kept.stdout)")
        #expect(kept.stdout.contains("2 baselined findings hidden"))

        // The same sentence again elsewhere is a new finding: entries match one for one.
        let repeated = moved.replacingOccurrences(
            of: "- 10:20 - The change is reverted. Latency recovers.",
            with: "- 10:20 - The change is reverted. Latency recovers.\n\nObviously  the outage was human error. ")
        try repo.commit(["Content/a.md": repeated])
        let again = try run(["check", "--baseline", baseline.path, "--strict"], in: repo.url)
        #expect(again.status == 1)
        #expect(again.stdout.contains("[blame/language]"))
        #expect(again.stdout.contains("2 baselined findings hidden"))

        // A new kind of finding in the baselined file shows and fails, the old ones stay hidden.
        let newFinding = moved.replacingOccurrences(
            of: "3. Why was the unknown key accepted? The loader ignored unknown keys without a warning.",
            with: "3. Why was the unknown key accepted? The loader ignored unknown keys without a warning.\n"
                + "4. Why was that not caught? Human error.")
        try repo.commit(["Content/a.md": newFinding])
        // Blame that judges is an error: it fails without `--strict`.
        let failed = try run(["check", "--baseline", baseline.path], in: repo.url)
        #expect(failed.status == 1)
        let shown = failed.stdout.split(separator: "\n").filter { $0.hasPrefix("Content/") }
        #expect(shown.contains { $0.hasPrefix("Content/a.md:25:29: error: 'Human error'") }, "\(failed.stdout)")
        #expect(shown.allSatisfy { $0.hasPrefix("Content/a.md:25:") }, "only the new line's findings: \(failed.stdout)")
        #expect(failed.stdout.contains("2 baselined findings hidden"))
    }

    @Test("rewording the offending line brings its finding back; a baselined error fails again once edited")
    func editedLineShows() throws {
        let (repo, baseline) = try baselined(["Content/b.md": Fixtures.broken])
        #expect(try run(["check", "--baseline", baseline.path], in: repo.url).status == 0)
        try repo.commit(["Content/b.md": Fixtures.broken.replacingOccurrences(of: "SEV9", with: "SEV7")])
        let result = try run(["check", "--baseline", baseline.path], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Content/b.md:2:11: error: unknown severity 'SEV7'"))
    }

    @Test("a baseline that is missing or not a baseline is bad usage (exit 2), never a silent pass; so is a partial one")
    func unreadableBaseline() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/b.md": Fixtures.broken])
        let missing = try run(["check", "--baseline", "nowhere.json"], in: repo.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the baseline 'nowhere.json'; write one with --write-baseline nowhere.json"))
        try Data("{\"rules\": []}\n".utf8).write(to: repo.url.appendingPathComponent("not-a-baseline.json"))
        let wrong = try run(["check", "--baseline", "not-a-baseline.json"], in: repo.url)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("'not-a-baseline.json' is not a hindsight baseline"))

        // A baseline of part of the archive would silently drop the rest's accepted findings.
        let partial = try run(["check", "Content/b.md", "--write-baseline", "part.json"], in: repo.url)
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("--write-baseline records the whole archive"))
        #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("part.json").path) == false)
    }
}
