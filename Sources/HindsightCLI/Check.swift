import ArgumentParser
import Foundation
import GitKit
import HindsightCore
import HindsightSite

/// `hindsight check`: the pull-request gate: schema, completeness and blameless-method rules.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check post-mortems: valid for the archive, complete, and blameless.",
        discussion: """
            Checks what breaks the archive (invalid front matter, unknown severity or status, dates that do not \
            parse, duplicate ids, dead related links) and what breaks the method (missing sections, a person \
            named as the cause, blaming and hindsight language, shallow analysis, unowned, vague or \
            blame-in-disguise action items, a timeline out of order). Every finding has a rule id, a \
            severity, path:line:col, a message and, where possible, a suggested rewrite.

            Without PATHS every post-mortem is checked. --changed-since REV checks only the post-mortems added \
            or changed since the merge base of REV and the checked revision: what a pull request job runs \
            (with a full-depth checkout).

            Configure rules under `check:` in hindsight.yml (rules, allowed_words, people, max_action_items, \
            min_whys, priorities, full_structure); turn one off for one place with \
            <!-- hindsight-disable-next-line rule-id -->. The rules are described in docs/rules.md.

            Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with --strict), 2 bad usage or a \
            check that could not run (unknown revision, not a repository).
            """)

    /// How findings are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif
    }

    @Argument(help: ArgumentHelp("Post-mortem files or folders to check (default: all).", valueName: "paths"))
    var paths: [String] = []

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp(
        "Check only post-mortems added or changed since the merge base of this revision and the checked one.",
        valueName: "rev"))
    var changedSince: String?

    @Option(help: ArgumentHelp("Output format: text, json, github (workflow commands) or sarif (2.1.0).", valueName: "format"))
    var format: Format = .text

    @Flag(help: "Fail (exit 1) on warnings too, not only on errors.")
    var strict = false

    func run() throws {
        let console = Console()
        let request = CheckRequest(
            source: source.locator, paths: paths, changedSince: changedSince,
            workingDirectory: FileManager.default.currentDirectoryPath)
        let report: CheckReport
        do {
            report = try Checker.run(request)
        } catch {
            // Anything that stops the check from reaching a verdict is a usage problem, not a content one:
            // exit 1 always means "the content has errors".
            console.error(String(describing: error))
            throw ExitCode(2)
        }

        let result = report.result
        switch format {
        case .text:
            let colour = console.colourOutput
            print(TextReport.render(result.findings, colour: colour), terminator: "")
            let summary = TextReport.summary(result, changedOnly: changedSince != nil, seconds: report.seconds)
            if result.findings.isEmpty { console.summary(summary) } else { print(summary) }
        case .github:
            print(GitHubReport.render(result.findings), terminator: "")
        case .json:
            print(JSONReport.render(report, tool: Site.generator), terminator: "")
        case .sarif:
            let version = Site.generator.split(separator: " ").last.map(String.init) ?? Site.generator
            print(SARIFReport.render(report, version: version), terminator: "")
        }

        let failed = result.count(.error) > 0 || (strict && result.count(.warning) > 0)
        if failed { throw ExitCode(1) }
    }
}
