import Testing

@testable import HindsightSite

/// Every file a build writes goes through one check of its path: plain, relative, inside the output folder.
@Suite("Output paths")
struct OutputPathTests {
    @Test("plain relative paths are split into their folders, in any script", arguments: [
        ("index.html", ["index.html"]),
        ("postmortems/2024-03-05-a/index.html", ["postmortems", "2024-03-05-a", "index.html"]),
        ("tags/café/index.html", ["tags", "café", "index.html"]),
        // A combining mark after a slash does not hide the slash: the file system splits there too.
        ("a/\u{301}b", ["a", "\u{301}b"]),
    ])
    func accepted(_ path: String, _ components: [String]) throws {
        #expect(try SiteWriter.safeComponents(path) == components)
    }

    @Test("absolute, empty, dot and dot-dot components, backslashes and NUL are refused", arguments: [
        "", "/etc/passwd", "a//b", "a/", "./a", "a/./b", "..", "a/../../b", "a\\..\\b", "a\0b", "../\u{301}",
    ])
    func refused(_ path: String) {
        #expect(throws: SiteWriter.WriteError.self) { try SiteWriter.safeComponents(path) }
    }
}
