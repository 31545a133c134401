import Foundation
import GitKit
import Testing

@testable import HindsightCore

/// Parses `text` as if it were the file at `path` (a path from the repository root, under `Content/`).
func parseDocument(
    _ text: String, path: String = "Content/incident.md", configuration: Configuration = Configuration(),
    history: History? = nil
) -> (PostMortem?, [Diagnostic]) {
    parseData(Data(text.utf8), path: path, configuration: configuration, history: history)
}

func parseData(
    _ data: Data, path: String = "Content/incident.md", configuration: Configuration = Configuration(),
    history: History? = nil
) -> (PostMortem?, [Diagnostic]) {
    let contentPath = path.hasPrefix("Content/") ? String(path.dropFirst("Content/".count)) : path
    return DocumentParser(configuration: configuration)
        .parse(SourceFile(path: path, contentPath: contentPath, data: data), history: history)
}

/// Parses `text` and requires a post-mortem back.
func postMortem(
    _ text: String, path: String = "Content/incident.md", configuration: Configuration = Configuration(),
    history: History? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> PostMortem {
    let (result, _) = parseDocument(text, path: path, configuration: configuration, history: history)
    return try #require(result, sourceLocation: sourceLocation)
}

func errors(_ diagnostics: [Diagnostic]) -> [Diagnostic] { diagnostics.filter { $0.severity == .error } }
func warnings(_ diagnostics: [Diagnostic]) -> [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

/// An instant from ISO 8601 text, e.g. `2024-03-05T14:02:00Z`.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test timestamp \(text)") }
    return date
}

func day(_ text: String) -> Day {
    guard let day = Day(text) else { fatalError("bad test day \(text)") }
    return day
}

/// A history whose file was added (and last changed) at `created`.
func history(created: String) -> History {
    let id = ObjectID(hex: String(repeating: "ab", count: 20))!
    let stamp = CommitStamp(id: id, time: utc(created))
    return History(created: stamp, updated: stamp, revisions: 1)
}

/// A file for an archive snapshot.
func sourceFile(_ path: String, _ text: String) -> SourceFile {
    SourceFile(path: path, contentPath: String(path.dropFirst("Content/".count)), data: Data(text.utf8))
}

func snapshot(_ files: [SourceFile], configuration: Configuration = Configuration()) -> SourceSnapshot {
    SourceSnapshot(
        revision: nil, origin: "test", configuration: configuration, files: files, themeFiles: [:], histories: [:],
        diagnostics: [])
}
