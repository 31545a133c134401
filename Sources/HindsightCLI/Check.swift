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

            --baseline FILE hides the findings recorded in FILE, written by --write-baseline FILE: how an \
            existing archive adopts the gate without fixing every old finding first. A finding is matched by \
            rule, path and the text it points at, not by line number, so editing other lines keeps it hidden; \
            a new finding, or an edit to the offending line, shows again. See docs/gate.md.

            Configure rules under `check:` in hindsight.yml (rules, allowed_words, people, max_action_items, \
            min_whys, priorities, full_structure); turn one off for one place with \
            <!-- hindsight-disable-next-line rule-id -->. The rules are described in docs/rules.md.

            Exit status: 0 no errors (warnings allowed), or a baseline written; 1 errors (or warnings with \
            --strict); 2 bad usage or a check that could not run (unknown revision, not a repository, a \
            baseline file that cannot be read or written).
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

    @Option(help: ArgumentHelp("Hide the findings recorded in this baseline file (JSON, from --write-baseline).", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp(
        "Record every current finding in this baseline file and exit 0, instead of reporting them.", valueName: "file"))
    var writeBaseline: String?

    func validate() throws {
        // A baseline of part of the archive would drop every other file's accepted findings.
        if writeBaseline != nil, paths.isEmpty == false || changedSince != nil {
            throw ValidationError("--write-baseline records the whole archive: use it without PATHS and --changed-since")
        }
    }

    func run() throws {
        let console = Console()
        let report: CheckReport
        do {
            let request = CheckRequest(
                source: source.locator, paths: paths, changedSince: changedSince,
                workingDirectory: FileManager.default.currentDirectoryPath, baseline: try baseline.map(Self.readBaseline),
                recordBaseline: writeBaseline != nil)
            report = try Checker.run(request)
        } catch {
            // Anything that stops the check from reaching a verdict is a usage problem, not a content one:
            // exit 1 always means "the content has errors".
            console.error(String(describing: error))
            throw ExitCode(2)
        }

        if let writeBaseline, let recorded = report.recorded {
            do {
                try recorded.encoded().write(to: URL(fileURLWithPath: writeBaseline), options: .atomic)
            } catch {
                console.error("cannot write the baseline '\(writeBaseline)': \(error.localizedDescription)")
                throw ExitCode(2)
            }
            let count = recorded.entries.count
            console.summary("Recorded \(count) finding\(count == 1 ? "" : "s") in \(writeBaseline)")
            return
        }

        let result = report.result
        switch format {
        case .text:
            let colour = console.colourOutput
            print(TextReport.render(result.findings, colour: colour), terminator: "")
            let summary = TextReport.summary(
                result, changedOnly: changedSince != nil, baselined: report.baselined, seconds: report.seconds)
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

    /// The baseline at `path`, relative to the working directory.
    private static func readBaseline(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckUsageError("cannot read the baseline '\(path)'; write one with --write-baseline \(path)")
        }
        return try Baseline.decode(data, path: path)
    }
}
