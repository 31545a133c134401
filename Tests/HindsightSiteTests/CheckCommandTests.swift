import Foundation
import TestSupport
import Testing

/// The real `hindsight check` binary: output formats, exit codes and `--changed-since` on real repositories.
@Suite("hindsight check")
struct CheckCommandTests {

    /// A complete, blameless post-mortem: no findings at all.
    static let clean = """
        ---
        severity: SEV3
        date: 2025-03-04
        ---

        # Checkout latency after a config push

        ## Summary

        A config push raised checkout latency for 20 minutes until it was reverted.

        ## Timeline

        - 10:00 - The config change is pushed to all regions.
        - 10:05 - The latency alert fires and pages the on-call engineer.
        - 10:20 - The change is reverted. Latency recovers.

        ## Five Whys

        1. Why did latency rise? The pool size setting was read as zero.
        2. Why was it read as zero? The new key name was not known to the loader.
        3. Why was the unknown key accepted? The loader ignored unknown keys without a warning.

        ## Contributing Factors

        - **Technical**: The config loader ignored unknown keys.
        - **Process**: Config pushes skipped the staged rollout.

        ## Action Items

        - [ ] [P1] Reject unknown config keys at startup — Platform Team
        - [ ] [P2] Route config pushes through the staged rollout — Delivery Team
        """

    /// The same post-mortem with two warnings in its summary (line 10).
    static let blameful = clean.replacingOccurrences(
        of: "A config push raised checkout latency for 20 minutes until it was reverted.",
        with: "Obviously the outage was human error.")

    /// The same post-mortem with an error: a severity off the scale (line 2, column 11).
    static let broken = clean.replacingOccurrences(of: "severity: SEV3", with: "severity: SEV9")


    func run(_ arguments: [String], in folder: URL) throws -> CommandRun {
        try HindsightCommand.run(arguments, in: folder)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("text: compiler-style findings with suggestions, a summary line; blame that judges fails, a nudge alone does not")
    func text() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.blameful, "Content/b.md": Self.clean])
        let result = try run(["check"], in: repo.url)
        #expect(result.status == 1, "'human error' is an error by default")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "Content/a.md:10:1: warning: 'Obviously' makes the right action sound easy; it was only easy in hindsight [hindsight/minimiser]",
            "    suggestion: remove 'Obviously', and describe what made the situation hard to read at the time",
            "Content/a.md:10:26: error: 'human error' stops the analysis at a person [blame/language]",
            "    suggestion: describe the system condition that made the action possible: what the tool allowed, what the person could see, "
                + "e.g. \"Obviously the outage was [the condition that made the slip possible].\"",
            lines.last ?? "",
        ])
        #expect(lines.last?.hasPrefix("Checked 2 post-mortems: 1 error, 1 warning (") == true)

        // The hindsight word alone is a warning: shown, and the check passes.
        try repo.commit(["Content/a.md": Self.blameful.replacingOccurrences(of: "human error", with: "a timeout")])
        let nudged = try run(["check"], in: repo.url)
        #expect(nudged.status == 0, "\(nudged.stdout)")
        #expect(nudged.stdout.split(separator: "\n").last?.hasPrefix("Checked 2 post-mortems: 1 warning (") == true)
    }

    @Test("--strict fails on warnings; errors fail without it; a clean archive says so")
    func exitCodes() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.blameful])
        #expect(try run(["check", "--strict"], in: repo.url).status == 1)

        try repo.commit(["Content/a.md": Self.broken])
        let broken = try run(["check"], in: repo.url)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains(
            "Content/a.md:2:11: error: unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4 [schema/severity]"))
        #expect(broken.stdout.contains("Checked 1 post-mortem: 1 error"))

        try repo.commit(["Content/a.md": Self.clean])
        let clean = try run(["check", "--strict"], in: repo.url)
        #expect(clean.status == 0)
        #expect(clean.stdout.hasPrefix("Checked 1 post-mortem: no problems found ("))
    }

    @Test("github: workflow commands with escaped properties and messages")
    func github() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/50%, a: b.md": Self.blameful, "Content/b.md": Self.broken])
        let result = try run(["check", "--format", "github"], in: repo.url)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.contains(
            "::error file=Content/50%25%2C a%3A b.md,line=10,col=26,endColumn=37,title=blame/language::'human error' stops "
                + "the analysis at a person%0ASuggestion: describe the system condition that made the action possible: "
                + "what the tool allowed, what the person could see, e.g. \"Obviously the outage was [the condition that made the slip possible].\""))
        #expect(lines.contains { $0.hasPrefix("::error file=Content/b.md,line=2,col=11,title=schema/severity::unknown severity 'SEV9'") })
        #expect(lines.allSatisfy { $0.hasPrefix("::") }, "nothing but workflow commands")
    }

    @Test("json: a summary and every finding with its place")
    func jsonFormat() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.blameful, "Content/b.md": Self.broken])
        let result = try run(["check", "--format", "json"], in: repo.url)
        #expect(result.status == 1)
        let object = try json(result.stdout)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 2, "warnings": 1, "info": 0])
        #expect(object["checked"] as? [String] == ["Content/a.md", "Content/b.md"])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let human = try #require(findings.first { $0["rule"] as? String == "blame/language" })
        #expect(human["severity"] as? String == "error")
        #expect(human["path"] as? String == "Content/a.md")
        #expect(human["line"] as? Int == 10)
        #expect(human["column"] as? Int == 26)
        #expect(human["endColumn"] as? Int == 37)
        #expect((human["suggestion"] as? String)?.hasPrefix("describe the system condition") == true)
        #expect((object["revision"] as? String)?.count == 40)
    }

    @Test("sarif: 2.1.0 with the rules' ids and help, results with rule, level and location")
    func sarif() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.blameful, "Content/b.md": Self.broken])
        let result = try run(["check", "--format", "sarif"], in: repo.url)
        #expect(result.status == 1)
        let log = try json(result.stdout)
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "hindsight")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids.contains("blame/language") && ids.contains("schema/severity") && ids.contains("actions/vague"))
        for rule in rules {
            #expect(((rule["help"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let error = try #require(results.first { $0["ruleId"] as? String == "schema/severity" })
        #expect(error["level"] as? String == "error")
        #expect(ids[try #require(error["ruleIndex"] as? Int)] == "schema/severity")
        let physical = try #require(((error["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "Content/b.md")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 2)
        #expect(region["startColumn"] as? Int == 11)
        #expect(results.first { $0["ruleId"] as? String == "hindsight/minimiser" }?["level"] as? String == "warning")
        // The blame finding's message carries the rewrite of the sentence, as code scanning shows it.
        let blame = try #require(results.first { $0["ruleId"] as? String == "blame/language" })
        #expect(((blame["message"] as? [String: Any])?["text"] as? String)?
            .hasSuffix("e.g. \"Obviously the outage was [the condition that made the slip possible].\"") == true)
    }

    @Test("--changed-since checks only what a branch added or changed since it left main")
    func changedSince() throws {
        let repo = try TemporaryRepository()
        let base = try repo.commit(["Content/old-problem.md": Self.broken, "Content/b.md": Self.clean])
        let main = try repo.currentBranch
        try repo.createBranch("feature", at: base)
        try repo.commit(["Content/main-moved-on.md": Self.broken])
        try repo.switchBranch("feature")
        try repo.commit(["Content/new.md": Self.blameful, "Content/main-moved-on.md": nil])
        try repo.switchBranch(main)

        // The branch's own blame fails it; the old schema error on main is not the branch's and is not shown.
        let result = try run(["check", "--ref", "feature", "--changed-since", main, "--format", "github"], in: repo.url)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("::warning file=Content/new.md,") || $0.hasPrefix("::error file=Content/new.md,") })

        let text = try run(["check", "--ref", "feature", "--changed-since", main], in: repo.url)
        #expect(text.stdout.split(separator: "\n").last?.hasPrefix("Checked 1 changed post-mortem: 1 error, 1 warning") == true)

        let nothing = try run(["check", "--changed-since", main], in: repo.url)
        #expect(nothing.status == 0)
        #expect(nothing.stdout.hasPrefix("Checked 0 changed post-mortems: no problems found"))
    }

    @Test("paths select what is checked")
    func paths() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.broken, "Content/2025/b.md": Self.clean])
        let file = try run(["check", "Content/2025/b.md"], in: repo.url)
        #expect(file.status == 0)
        #expect(file.stdout.hasPrefix("Checked 1 post-mortem: no problems found"))
        let folder = try run(["check", "--repo", repo.path, "Content/2025"], in: FileManager.default.temporaryDirectory)
        #expect(folder.status == 0)
    }

    @Test("bad usage and checks that cannot run exit 2 and say why")
    func usage() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.clean])
        let format = try run(["check", "--format", "xml"], in: repo.url)
        #expect(format.status == 2)
        #expect(format.stderr.contains("xml"))
        let both = try run(["check", "--worktree", "--ref", "HEAD"], in: repo.url)
        #expect(both.status == 2)
        #expect(both.stderr.contains("--worktree and --ref cannot be used together"))
        let path = try run(["check", "Content/missing.md"], in: repo.url)
        #expect(path.status == 2)
        #expect(path.stderr.contains("'Content/missing.md' is not a post-mortem"))
        let revision = try run(["check", "--changed-since", "origin/main"], in: repo.url)
        #expect(revision.status == 2)
        #expect(revision.stderr.contains("revision 'origin/main' does not exist"))
        let folder = try TemporaryFolder()
        let notRepository = try run(["check"], in: folder.url)
        #expect(notRepository.status == 2)
        #expect(notRepository.stderr.contains("not inside a Git repository"))
        let help = try run(["--help"], in: repo.url)
        #expect(help.stdout.contains("check"))
    }

    @Test("the working tree, with hindsight.yml settings")
    func worktree() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": Self.clean, "hindsight.yml": "check:\n  rules:\n    hindsight: off\n"])
        try repo.write("Content/a.md", Self.blameful)
        let result = try run(["check", "--worktree", "--changed-since", "HEAD", "--format", "json"], in: repo.url)
        let findings = try #require(try json(result.stdout)["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["blame/language"])
    }
}
