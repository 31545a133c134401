import CLibFuzzer
import Foundation
import HindsightCore

/// The parser every fuzz target drives: the default configuration, HTML rendered as for the site.
private let parser = DocumentParser(configuration: Configuration())

/// Parses `data` as the post-mortem `Content/fuzz.md` and traps when a guarantee of docs/security.md
/// does not hold, so libFuzzer records the input. A crash or hang inside the parser is caught by
/// libFuzzer itself.
public func parseAndCheck(_ data: Data) {
    let (result, diagnostics) = parser.parse(SourceFile(path: "Content/fuzz.md", contentPath: "fuzz.md", data: data))
    let lines = lineCount(data)

    // Every diagnostic points into the file it is about.
    for diagnostic in diagnostics {
        guard let location = diagnostic.location else { continue }
        precondition(location.path == "Content/fuzz.md", "diagnostic about another file: \(diagnostic)")
        precondition(location.line <= lines + 1, "diagnostic past the end of the file (\(lines) lines): \(diagnostic)")
    }
    if diagnostics.contains(where: { $0.severity == .error }) == false {
        precondition(result != nil, "no post-mortem and no error")
    }
    guard let postMortem = result else { return }

    // An id is a slug: it names one folder inside the output and nothing else.
    precondition(postMortem.id.isEmpty == false, "empty id")
    precondition(
        postMortem.id.unicodeScalars.allSatisfy { $0 == "-" || $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil },
        "id is not a slug: \(postMortem.id)")

    // Safe mode: nothing in the body runs script in a reader's browser.
    let html = postMortem.bodyHTML.lowercased()
    for forbidden in ["<script", "<iframe", "<object", "<embed", "<style", "href=\"javascript:", "src=\"javascript:",
        "href=\"data:", "src=\"data:", "href=\"vbscript:"]
    {
        precondition(html.contains(forbidden) == false, "unsafe HTML '\(forbidden)' in the body: \(postMortem.bodyHTML)")
    }

    // Extracted structures point into the file too.
    let places = postMortem.factors.map(\.location) + postMortem.actionItems.map(\.location)
        + postMortem.timeline.map(\.location) + postMortem.sections.map(\.location)
    for place in places {
        precondition(place.path == "Content/fuzz.md" && place.line <= lines + 1, "location outside the file: \(place)")
    }
}

/// The pull-request gate over one file, with a few people's names configured so the blame rules have
/// names to find.
private let linter = Linter(context: LintContext(
    people: PeopleDirectory(authors: [], configured: ["Alice Jones", "@bob", "Chidi"], allowed: [])))

/// Runs every `hindsight check` rule over `data` as `Content/fuzz.md` and traps when a finding points
/// outside the file; a crash or hang in a rule is caught by libFuzzer.
public func lintAndCheck(_ data: Data) {
    let snapshot = SourceSnapshot(
        revision: nil, origin: "fuzz", configuration: Configuration(),
        files: [SourceFile(path: "Content/fuzz.md", contentPath: "fuzz.md", data: data)], themeFiles: [:], histories: [:],
        diagnostics: [])
    let lines = lineCount(data)
    for finding in linter.check(snapshot).findings {
        guard let location = finding.location else { continue }
        precondition(location.path == "Content/fuzz.md" && location.line <= lines + 1, "finding outside the file: \(finding)")
    }
}

/// Lines as an editor (and CommonMark) counts them: `\n`, `\r\n` and a lone `\r` each end one.
func lineCount(_ data: Data) -> Int {
    var lines = 1
    var previous: UInt8 = 0
    for byte in data {
        if byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r")) { lines += 1 }
        previous = byte
    }
    return lines
}

/// Hands the process to libFuzzer, which calls `test` with each input until it finds a crash or its time
/// is up (the command line takes libFuzzer's options and corpus folders), and returns its exit status.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, test)
}

/// The fuzzer's bytes as `Data` (libFuzzer passes a null pointer for the empty input).
public func fuzzInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let bytes, count > 0 else { return Data() }
    return Data(bytes: bytes, count: count)
}
