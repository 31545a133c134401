import CLibFuzzer
import Foundation
import MustacheKit

// The template engine: the input compiled as a template that is also the partial and parent of every name the
// theme includes (so the seeds' `{{> header}}` recurse into the input), then rendered with a small nested value.
// Compiling may refuse the input; neither compiling nor rendering may crash, hang or break an invariant.
enum FuzzTemplate {
    /// The names the input is compiled under: its own, and those the theme's partial tags use.
    static let names = ["fuzz", "header", "footer", "card", "chart", "pager", "factor", "term"]

    /// Fields the theme's templates read, of every kind of value.
    static let value: TemplateValue = [
        "title": "A <b>&</b> \"quoted\" 'title'", "count": 3, "zero": 0, "ratio": .double(0.25), "yes": true,
        "no": false, "nothing": nil, "empty": "", "none": [],
        "body_html": .html("<p>\nsafe\n</p>"),
        "site": ["title": "Site", "commit_short": "abc1234", "links": ["home": "/", "api": "/api/"]],
        "links": ["home": "/", "factors": "/factors/"],
        "pm": [
            "id": "2024-01-01-outage", "title": "Outage", "is_draft": true, "date": "2024-01-01",
            "facts": [["label": "Duration", "value": "3 h"], ["label": "Detected", "iso": "2024-01-01T10:00Z"]],
            "tags": [["name": "db", "href": "/tags/db/"]],
        ],
        "items": [
            ["name": "one", "href": "/one/", "done": true, "items": []],
            ["name": "two <2>", "href": "/two/", "done": false, "items": [["name": "nested", "items": [1, .double(2.5), "x"]]]],
        ],
    ]

    static func test(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let input = bytes.map { UnsafeBufferPointer(start: $0, count: count) } ?? UnsafeBufferPointer(start: nil, count: 0)
        let source = String(decoding: input, as: UTF8.self)
        let sources = Dictionary(uniqueKeysWithValues: names.map { ($0, source) })
        var library: TemplateLibrary
        do {
            library = try TemplateLibrary(sources: sources, path: { "Theme/templates/\($0).mustache" })
        } catch {
            // Every error points at a tag inside the template it is about.
            let lines = source.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            precondition(error.path.hasPrefix("Theme/templates/") && error.path.hasSuffix(".mustache"), "\(error)")
            precondition(error.line >= 1 && error.line <= lines && error.column >= 1, "position outside the file: \(error)")
            precondition(error.message.isEmpty == false, "no message: \(error)")
            precondition(error.description.hasPrefix("\(error.path):\(error.line):\(error.column): error: "), "\(error)")
            return 0
        }
        precondition(library.names == names.sorted(), "names \(library.names)")
        // Small enough to keep many runs per second (the seeds include themselves through their partial
        // tags), large enough to reach every construct of the input.
        library.stepLimit = 1 << 13
        library.outputLimit = 1 << 18

        // Rendering appends, is deterministic, and writes valid UTF-8 from valid UTF-8.
        var first = Array("prefix".utf8)
        library.render("fuzz", value, into: &first)
        precondition(first.starts(with: "prefix".utf8), "the buffer's bytes changed")
        var second: [UInt8] = []
        library.render("fuzz", value, into: &second)
        precondition(same(first[6...], second[...]), "two renders differ")
        var repaired = String(decoding: second, as: UTF8.self)
        precondition(repaired.withUTF8 { same(ArraySlice($0), second[...]) }, "invalid UTF-8 out of valid UTF-8")
        _ = library.mentions("site.commit_short", in: "fuzz")
        return 0
    }
}

/// Byte equality by `memcmp`, which coverage instrumentation leaves alone, so long outputs compare quickly.
func same(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { a in b.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
}

exit(
    {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        return LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in FuzzTemplate.test(bytes, count) }
    }())
