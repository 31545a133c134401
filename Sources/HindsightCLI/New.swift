import ArgumentParser
import Foundation
import GitKit
import HindsightCore
import HindsightSite

/// `hindsight new`: a new post-mortem from the template, ready to fill in.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new post-mortem from the template.",
        discussion: """
            Writes <content>/YYYY/YYYY-MM-DD-<slug>.md from a template that follows the method: summary, impact, \
            timeline, five whys, contributing factors, what went well and poorly, where we got lucky, action \
            items and lessons, each with a short guidance comment, and the blameless ground rules. Lines that \
            start with TODO are for the author to fill in. The new file is a draft (status: draft) and internal \
            (visibility: internal).

            An archive's own Theme/new.md replaces the built-in template (docs/authoring.md lists its values). \
            An existing file is never overwritten.

            Exit status: 0 written, 1 the file exists or cannot be written, 2 bad usage.
            """)

    @Argument(help: ArgumentHelp("The incident's title, e.g. \"Checkout errors after deploy\".", valueName: "title"))
    var title: String

    @Option(help: ArgumentHelp("The incident's date (default: today).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("The severity, e.g. SEV2 (one of the archive's severities).", valueName: "level"))
    var severity: String?

    @Option(name: .customLong("service"), help: ArgumentHelp("An affected service; repeat for several.", valueName: "name"))
    var services: [String] = []

    @Flag(help: "Nothing broke for customers, but it could have.")
    var nearMiss = false

    @Option(help: ArgumentHelp("The archive's folder, or a folder inside it (default: here).", valueName: "path"))
    var repo: String = "."

    func validate() throws {
        if let date, Day(date) == nil { throw ValidationError("--date '\(date)' is not a date; write YYYY-MM-DD") }
        if title.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("the title is empty") }
    }

    func run() throws {
        let console = Console()
        let day = date.flatMap { Day($0) } ?? Self.today()
        let services = self.services.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let request = NewPostMortemRequest(
            title: title.trimmingCharacters(in: .whitespaces), date: day, severity: severity, services: services,
            nearMiss: nearMiss)
        let root = Self.archiveRoot(from: repo)
        do {
            let path = try NewPostMortem.create(request, archiveRoot: root)
            let shown = root.path == FileManager.default.currentDirectoryPath ? path : root.appendingPathComponent(path).path
            console.summary("Created \(shown)")
            print("Fill in every line that starts with TODO, then:")
            print("  hindsight serve --drafts         preview it as you write")
            print("  hindsight check --worktree \(path)")
        } catch let error as AuthoringError where error.description.hasPrefix("unknown severity") {
            throw ValidationError(error.description)
        } catch {
            console.error(String(describing: error))
            throw ExitCode(1)
        }
    }

    /// Today in the local time zone: the date an author means.
    static func today() -> Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(utc: Date())
    }

    /// The archive root: the nearest folder up holding hindsight.yml, else the repository's working tree,
    /// else the folder given.
    static func archiveRoot(from path: String) -> URL {
        let start = URL(fileURLWithPath: path).standardizedFileURL
        var folder = start
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(Configuration.fileName).path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        if let workdir = try? Repository.open(at: start.path).workdir {
            return URL(fileURLWithPath: workdir).standardizedFileURL
        }
        return start
    }
}
