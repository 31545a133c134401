import ArgumentParser
import Foundation
import HindsightCore

/// `hindsight inspect`: what Hindsight understood of an archive, fact by fact.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what Hindsight reads from an archive: each fact, how many files have it, and from where.",
        discussion: """
            The first thing to run on an archive written to another template. For each fact (the date, \
            start and end times, time to detect, repair and resolve, severity, services, tags, summary, \
            timeline, action items, contributing factors) it counts the post-mortems that have it and says \
            where it was read from: front matter, a labelled bullet ("- Time to detection: 12 minutes"), a \
            section, the title, the file name, or a fallback such as the commit that added the file. Then it \
            lists the sections that exist but gave nothing (path:line), and the files left out as not \
            post-mortems (licences, listing pages, templates). What it cannot guess, a mapping in \
            hindsight.yml tells it (docs/format.md).

            An archive that is not a Git repository is read where it lies: \
            hindsight inspect --worktree --content path/to/folder [--config mapping.yml]

            Exit status: 0 printed, 1 errors in the content or the repository, 2 bad usage.
            """)

    /// The output formats.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: OutputFormat = .text

    func run() throws {
        let console = Console()
        do {
            let snapshot = try SourceReader.read(source.locator)
            let (archive, diagnostics) = ArchiveBuilder.build(
                snapshot, options: ArchiveOptions(includeDrafts: true, renderHTML: false))
            let inspection = Inspection(archive, diagnostics: diagnostics)
            switch format {
            case .text:
                console.report(diagnostics.filter { $0.severity == .error })
                FileHandle.standardOutput.write(Data(inspection.text().utf8))
            case .json:
                FileHandle.standardOutput.write(Data(try inspection.json().utf8))
            }
            if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            console.error(String(describing: error))
            throw ExitCode(1)
        }
    }
}
