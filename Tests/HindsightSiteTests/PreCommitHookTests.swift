import Foundation
import GitKit
import TestSupport
import Testing

/// `.pre-commit-hooks.yaml` in the real pre-commit from PyPI (installed by `make test` into
/// .build/pre-commit-venv): a `git commit` of a blame-full post-mortem stops, a clean one goes through.
@Suite("pre-commit hook")
struct PreCommitHookTests {
    /// pre-commit from the Makefile's venv, or from PATH.
    static let preCommit: String? = {
        let venv = packageRoot().appendingPathComponent(".build/pre-commit-venv/bin/pre-commit").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : Subprocess.which("pre-commit")
    }()

    static let git = Subprocess.which("git")

    /// A post-mortem whose summary names its author as the cause and calls the slip careless: blame.
    static let blameFull = CheckCommandTests.clean.replacingOccurrences(
        of: "A config push raised checkout latency for 20 minutes until it was reverted.",
        with: "Test Author caused the outage by pushing a careless config change. It was human error.")

    @Test(
        "a staged blame-full post-mortem that was never committed stops the commit; a clean one does not",
        .enabled(
            if: preCommit != nil && git != nil,
            "pre-commit (or git) is not installed: `make pre-commit` installs it from PyPI into .build/pre-commit-venv"),
        .timeLimit(.minutes(3)))
    func stopsBlame() throws {
        let preCommit = try #require(Self.preCommit)
        let git = try #require(Self.git)

        // The hook source: this checkout's .pre-commit-hooks.yaml, committed (pre-commit clones a `rev:`).
        let hooks = try TemporaryRepository()
        let rev = try hooks.commit([
            ".pre-commit-hooks.yaml": try String(
                contentsOf: packageRoot().appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8),
        ])

        let archive = try TemporaryRepository()
        try archive.commit([
            "hindsight.yml": "title: Gate\n",
            "Content/2025/2025-03-04-checkout-latency.md": CheckCommandTests.clean,
            ".pre-commit-config.yaml": """
                repos:
                  - repo: \(hooks.path)
                    rev: \(rev.hex)
                    hooks:
                      - id: hindsight-check

                """,
        ])

        let cache = try TemporaryFolder()
        let path = [
            HindsightCommand.binary.deletingLastPathComponent().path,
            URL(fileURLWithPath: preCommit).deletingLastPathComponent().path,
            ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ].joined(separator: ":")
        let environment = [
            "PATH": path, "PRE_COMMIT_HOME": cache.url.path, "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
            "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.invalid",
        ]
        func run(_ executable: String, _ arguments: [String]) throws -> CommandRun {
            try Subprocess.run(executable, arguments, in: archive.url, environment: environment)
        }

        let installed = try run(preCommit, ["install"])
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        let head = try Repository.open(at: archive.path).commit("HEAD").id

        try archive.write("Content/2025/2025-03-05-cache-outage.md", Self.blameFull)
        #expect(try run(git, ["add", "Content/2025/2025-03-05-cache-outage.md"]).status == 0)
        let stopped = try run(git, ["commit", "-m", "Add the cache outage"])
        // Git hooks print where git does: on stderr or stdout, depending on the version.
        let stoppedOutput = stopped.stdout + stopped.stderr
        #expect(stopped.status != 0, "the commit goes through: \(stoppedOutput)")
        #expect(stoppedOutput.contains("hindsight check") && stoppedOutput.contains("Failed"), "\(stoppedOutput)")
        #expect(stoppedOutput.contains("Content/2025/2025-03-05-cache-outage.md:10:"), "\(stoppedOutput)")
        #expect(stoppedOutput.contains("error:"), "\(stoppedOutput)")
        #expect(try Repository.open(at: archive.path).commit("HEAD").id == head, "nothing committed")

        try archive.write(
            "Content/2025/2025-03-05-cache-outage.md",
            CheckCommandTests.clean.replacingOccurrences(of: "2025-03-04", with: "2025-03-05"))
        #expect(try run(git, ["add", "Content/2025/2025-03-05-cache-outage.md"]).status == 0)
        let committed = try run(git, ["commit", "-m", "Add the cache outage"])
        let committedOutput = committed.stdout + committed.stderr
        #expect(committed.status == 0, "\(committedOutput)")
        #expect(committedOutput.contains("hindsight check") && committedOutput.contains("Passed"), "\(committedOutput)")

        // Markdown outside the content folder is not a post-mortem: the hook is not run on it.
        try archive.write("README.md", "# Our post-mortems\n")
        #expect(try run(git, ["add", "README.md"]).status == 0)
        let readme = try run(git, ["commit", "-m", "Add a README"])
        #expect(readme.status == 0, "\(readme.stdout)\(readme.stderr)")
    }
}
