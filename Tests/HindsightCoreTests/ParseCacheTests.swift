import Foundation
import GitKit
import TestSupport
import Testing

@testable import HindsightCore

/// A rebuild decodes the files the last build parsed from the same inputs instead of parsing them again.
@Suite("Parse cache")
struct ParseCacheTests {
    /// Every post-mortem of the bundled sample archive, plus one with every kind of front-matter value, a
    /// problem of each severity and the milestone times.
    static func files() throws -> [SourceFile] {
        let content = packageRoot().appendingPathComponent("Content")
        let paths = try #require(FileManager.default.subpaths(atPath: content.path)).filter { $0.hasSuffix(".md") }.sorted()
        var files = try paths.map { path in
            SourceFile(
                path: "Content/" + path, contentPath: path, data: try Data(contentsOf: content.appendingPathComponent(path)))
        }
        #expect(files.count >= 15)
        files.append(sourceFile("Content/odd.md", """
            ---
            title: Odd values
            date: 2024-05-06
            severity: SEV9
            started: 2024-05-06T10:00:00Z
            resolved: 2024-05-06T11:30:00Z
            runbook: { url: "https://example.org/r", pages: [1, 2.5, true, null, "x"] }
            empty:
            related: [missing-one]
            ---
            Intro with ~~strikethrough~~ and https://example.org.

            ## Timeline

            - 10:00 Alerts fired
            - 11:30 Resolved

            ## Action items

            - [ ] Add a check (owner: sre, priority: P1)
            """))
        return files
    }

    static func build(_ files: [SourceFile], configuration: Configuration = Configuration(), histories: [String: History] = [:], cache: ParseCache?) -> (Archive, [Diagnostic]) {
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: configuration, files: files, themeFiles: [:],
            histories: histories, diagnostics: [])
        return ArchiveBuilder.build(snapshot, cache: cache)
    }

    @Test("every parse result reads back from its bytes as it was written")
    func roundTrip() throws {
        let parser = DocumentParser(configuration: Configuration())
        let files = try Self.files()
        var kinds = Set<String>()
        for file in files {
            let result = parser.parse(file, history: history(created: "2024-05-07T09:00:00Z"))
            let pm = try #require(result.0)
            kinds.formUnion(pm.extra.map { "\($0.value)".prefix(4).description })
            let (head, body) = ParseCache.entries(result)
            let decoded = try #require(ParseCache.decode(head) { body.flatMap(ParseCache.decodeBody) })
            #expect(decoded.hasBody == (body != nil) && body != nil)
            #expect(decoded.result.0 == pm, "\(file.path)")
            #expect(decoded.result.0?.keyLocations == pm.keyLocations)
            #expect(decoded.result.0?.bodyHTML == pm.bodyHTML && decoded.result.0?.sections == pm.sections)
            #expect(decoded.result.1 == result.1, "\(file.path)")
        }
        // The odd file's values came through: a map holding a list of every scalar kind.
        let last = try #require(files.last)
        let odd = try #require(parser.parse(last).0)
        #expect(odd.extra.map(\.key).contains("runbook"))
        #expect(odd.times.minutesToResolve == 90)
    }

    @Test("a second build takes every file from the cache and gives the same archive and diagnostics")
    func reuse() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("parse")
        let files = try Self.files()
        let fresh = Self.build(files, cache: nil)
        let first = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        #expect(first.0.postMortems == fresh.0.postMortems)
        #expect(first.1 == fresh.1)

        let cache = ParseCache(file: file, generator: "test")
        let parser = DocumentParser(configuration: Configuration())
        for file in files {
            #expect(cache.cached(file, history: nil, body: true, with: parser) != nil, "\(file.path) not kept")
        }
        let second = Self.build(files, cache: cache)
        #expect(second.0.postMortems == fresh.0.postMortems)
        #expect(second.1 == fresh.1)
        // What the second build took from the cache, it kept for the third.
        let third = ParseCache(file: file, generator: "test")
        #expect(files.allSatisfy { third.cached($0, history: nil, body: true, with: parser) != nil })
        #expect(second.1.contains { $0.severity == .warning && $0.message.contains("missing-one") })
        // Another generator's cache is not read.
        #expect(ParseCache(file: file, generator: "other").cached(files[0], history: nil, body: true, with: parser) == nil)
    }

    @Test("bodies are read from the cache when asked for: one damaged after the build checked it is parsed again, or else reported lost")
    func bodiesReadWhenAsked() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("parse")
        let files = try Self.files()
        let fresh = Self.build(files, cache: nil)
        _ = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        let second = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        let parser = DocumentParser(configuration: Configuration())
        let kept = try #require(ParseCache(file: file, generator: "test").cached(files[0], history: nil, body: true, with: parser)?.0)

        // The cache file emptied under the open caches: every body is gone from it.
        #expect(truncate(file.path, 0) == 0)
        // The build's post-mortems parse their files again...
        #expect(second.0.postMortems.map(\.bodyHTML) == fresh.0.postMortems.map(\.bodyHTML))
        #expect(second.0.postMortems.map(\.sections) == fresh.0.postMortems.map(\.sections))
        #expect(second.0.postMortems.contains(where: \.bodyIsLost) == false)
        #expect(fresh.0.postMortems.contains { $0.bodyHTML.contains("<h2") })
        // ...while one read without its file has nothing to fall back on: lost, and empty, never a crash.
        #expect(kept.bodyHTML.isEmpty && kept.bodyIsLost)
    }

    @Test("a changed file, history or configuration is parsed again")
    func changedInputs() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("parse")
        var files = try Self.files()
        let undated = sourceFile("Content/undated.md", "---\ntitle: No date\n---\n## Contributing factors\n\n| Factor | Type |\n|---|---|\n| Old runbook | runbooks |\n")
        files.append(undated)
        let before = ["Content/undated.md": history(created: "2024-01-02T10:00:00Z")]
        _ = Self.build(files, histories: before, cache: ParseCache(file: file, generator: "test"))

        // Another commit date: the undated file is dated by it.
        let after = ["Content/undated.md": history(created: "2024-03-04T10:00:00Z")]
        let dated = Self.build(files, histories: after, cache: ParseCache(file: file, generator: "test"))
        #expect(dated.0.postMortem(id: "undated")?.date == day("2024-03-04"))

        // Another configuration: the factor type takes the configured spelling now.
        #expect(dated.0.postMortem(id: "undated")?.factors.first?.type == "Runbooks")
        var configuration = Configuration()
        configuration.factorTypes.append("RunBooks")
        let configured = Self.build(files, configuration: configuration, histories: after, cache: ParseCache(file: file, generator: "test"))
        #expect(configured.0.postMortem(id: "undated")?.factors.first?.type == "RunBooks")
        #expect(configured.0.postMortems == Self.build(files, configuration: configuration, histories: after, cache: nil).0.postMortems)

        // Another content: the new title is read.
        files[files.count - 1] = sourceFile("Content/undated.md", "---\ntitle: A new title\n---\nText.\n")
        let edited = Self.build(files, configuration: configuration, histories: after, cache: ParseCache(file: file, generator: "test"))
        #expect(edited.0.postMortem(id: "undated")?.title == "A new title")
    }

    @Test("a rebuild appends only what changed to the file in place; a file mostly of unused entries is written anew")
    func appendsInPlace() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("parse")
        var files = try Self.files()
        func size() throws -> Int { try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) }
        func inode() throws -> Int { try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int) }
        _ = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        let (first, node) = (try size(), try inode())

        // One file changed: its new entry goes after the others, in the same file.
        files[0] = sourceFile(files[0].path, String(decoding: files[0].data, as: UTF8.self) + "\nOne more line.\n")
        let changed = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        #expect(try inode() == node)
        #expect(try size() > first && size() < first + first / 5)
        let fresh = Self.build(files, cache: nil)
        #expect(changed.0.postMortems == fresh.0.postMortems)
        let reread = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        #expect(reread.0.postMortems == fresh.0.postMortems && reread.1 == fresh.1)

        // Every file parsed anew (another configuration): the file doubles, then the next build writes it anew.
        var configuration = Configuration()
        configuration.title = "Another title"
        _ = Self.build(files, configuration: configuration, cache: ParseCache(file: file, generator: "test"))
        #expect(try size() > first * 3 / 2)
        let compacted = Self.build(files, configuration: configuration, cache: ParseCache(file: file, generator: "test"))
        #expect(try size() < first * 11 / 10)
        #expect(try inode() != node)
        #expect(compacted.0.postMortems == Self.build(files, configuration: configuration, cache: nil).0.postMortems)
    }

    @Test("a damaged cache is ignored: the build parses again, gives the same result and leaves every head whole; a damaged body is parsed again whenever it is read")
    func damaged() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("parse")
        let files = try Self.files()
        let fresh = Self.build(files, cache: nil)
        _ = Self.build(files, cache: ParseCache(file: file, generator: "test"))
        for bytes in damagedCopies(of: try Data(contentsOf: file)) {
            try bytes.write(to: file)
            let rebuilt = Self.build(files, cache: ParseCache(file: file, generator: "test"))
            #expect(rebuilt.0.postMortems == fresh.0.postMortems)
            #expect(rebuilt.1 == fresh.1)
            // Every file's head reads back (a damaged one is replaced, not kept); a body is checked only when read,
            // so the next build, too, gives every body as a fresh parse does.
            let cache = ParseCache(file: file, generator: "test")
            let parser = DocumentParser(configuration: Configuration())
            let missing = files.filter { cache.cached($0, history: nil, body: true, with: parser) == nil }.map(\.path)
            #expect(missing.isEmpty, "not in the cache after a rebuild: \(missing)")
            #expect(Self.build(files, cache: ParseCache(file: file, generator: "test")).0.postMortems == fresh.0.postMortems)
        }
    }
}
