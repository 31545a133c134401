import ArgumentParser
import Foundation
import HindsightCore
import HindsightSite

/// `hindsight build`: the site from the repository at a revision (or the working tree).
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the archive's static site.",
        discussion: """
            Reads the content folder, hindsight.yml and the archive's Theme/ from the Git object database at \
            --ref (no checkout needed; bare repositories work), or from the working tree with --worktree. \
            The site is written to a new folder and published only when every page is written: when the \
            content has errors, every problem is reported, the exit status is 1 and the previous output is \
            left untouched. A rebuild into the same folder takes unchanged pages and search entries from the \
            previous site and resumes the history walk from the last build, using .<output>.cache/ beside the \
            output. The output's contents are replaced, so the archive's own folder, a folder above it and a \
            Git checkout are refused.

            Exit status: 0 built, 1 errors in the content or the repository, 2 bad usage.
            """)

    @OptionGroup var source: SourceOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the site (a folder of its own).", valueName: "dir"))
    var output: String = "_site"

    @Option(help: ArgumentHelp(
        "Publish under this address, e.g. https://example.org/archive/ or /archive/ (default: relative links).",
        valueName: "url"))
    var baseURL: String?

    @Flag(help: "Include post-mortems whose status is draft.")
    var drafts = false

    @Flag(name: .customLong("public"), help: "The public edition: only post-mortems with visibility: public.")
    var publicOnly = false

    func run() throws {
        let console = Console()
        var options = BuildOptions(
            source: source.locator, output: URL(fileURLWithPath: output), baseURL: baseURL, includeDrafts: drafts,
            publicOnly: publicOnly)
        // The command exits once the summary is printed: the exit reclaims the build's memory at once.
        options.leavesValuesToExit = true
        let bar = console.progressBar()
        do {
            let report = try Site.build(options) { stage, done, total in bar?.update(stage.rawValue, done, total) }
            bar?.finish()
            console.report(report.diagnostics)
            if let cleared = report.leftovers.summary { console.note(cleared) }
            let warnings = report.diagnostics.filter { $0.severity == .warning }.count
            console.summary(
                "Built \(report.postMortems) post-mortem\(report.postMortems == 1 ? "" : "s"), \(report.pages) pages "
                    + (report.reusedPages > 0 ? "(\(report.reusedPages) unchanged) " : "")
                    + "in \(String(format: "%.2f", report.seconds)) s → \(report.output)"
                    + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        } catch let failure as BuildFailure {
            bar?.finish()
            console.report(failure.diagnostics)
            console.error("build failed: \(failure); the previous output in \(output) was left untouched")
            throw ExitCode(1)
        } catch {
            bar?.finish()
            console.error(String(describing: error))
            throw ExitCode(1)
        }
    }
}

/// Where to read the archive from; shared by the commands that read it.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The archive's Git repository (or a folder inside it).", valueName: "path"))
    var repo: String = "."

    @Option(help: ArgumentHelp("The revision to read: any rev-parse expression (HEAD, main, v1.2, a commit id).", valueName: "rev"))
    var ref: String?

    @Flag(help: "Read the working tree instead of a commit (uncommitted edits included).")
    var worktree = false

    @Option(help: ArgumentHelp(
        "With --worktree: read the post-mortems from this folder, wherever it is (an archive that is not a repository).",
        valueName: "dir"))
    var content: String?

    @Option(help: ArgumentHelp("With --worktree: read the settings from this file instead of hindsight.yml.", valueName: "file"))
    var config: String?

    func validate() throws {
        if worktree && ref != nil {
            throw ValidationError("--worktree and --ref cannot be used together")
        }
        if worktree == false, content != nil || config != nil {
            throw ValidationError("--content and --config read a folder as it is: use them with --worktree")
        }
    }

    var locator: SourceLocator {
        worktree ? .worktree(root: repo, content: content, configuration: config) : .git(repository: repo, revision: ref ?? "HEAD")
    }
}
