import Foundation
import GitKit
import TestSupport
import Testing

@testable import HindsightSite

/// Faults a build must survive with nothing lost: killed builds (at random moments, with `SIGKILL`), what they
/// leave beside the output, a kill between the two renames of a swap, and a published site edited by hand.
///
/// `make test` kills `FaultTests.quickKills` builds; `make faults` sets `HINDSIGHT_FAULT_KILLS` (100 or more).
@Suite("Faults: killed builds and what they leave")
struct FaultTests {
    static let quickKills = 12

    /// Every regular file below `root`, by relative path.
    static func files(_ root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.path) else { return [:] }
        for case let relative as String in fm.enumerator(atPath: root.path) ?? FileManager.DirectoryEnumerator() {
            let path = root.appendingPathComponent(relative).path
            if (try fm.attributesOfItem(atPath: path))[.type] as? FileAttributeType == .typeRegular {
                out[relative] = fm.contents(atPath: path)
            }
        }
        return out
    }

    /// An archive of `count` post-mortems, big enough that a build takes a moment to kill.
    static func archive(_ count: Int, title: String = "Outage") throws -> TemporaryRepository {
        let repo = try TemporaryRepository()
        var files: [String: String?] = [:]
        for n in 1...count {
            let day = String(format: "%02d", n % 28 + 1)
            files["Content/2024-\(String(format: "%02d", n % 12 + 1))-\(day)-incident-\(n).md"] = postMortem(
                title: "\(title) number \(n)", date: "2024-\(String(format: "%02d", n % 12 + 1))-\(day)",
                services: ["service-\(n % 7)"], body: "## Lessons\n\nWarm caches before traffic moves \(n).")
        }
        try repo.commit(files)
        return repo
    }

    /// The names beside the output: the site, its cache and lock, and anything a build left behind.
    static func beside(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    @Test("a build removes the folders killed builds left beside the output, and says so in one line")
    func leftovers() throws {
        let repo = try Self.archive(3)
        let folder = try TemporaryFolder()
        let build = ["build", "--repo", repo.url.path, "--output", folder.url.appendingPathComponent("_site").path]
        #expect(try HindsightCommand.run(build, in: folder.url).status == 0)
        // What two killed builds leave: a staging folder (pids are never looked at) and a retired site.
        for name in ["._site.new-999999-1/postmortems", "._site.old-1-2"] {
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data(count: 300_000).write(to: folder.url.appendingPathComponent("._site.new-999999-1/postmortems/index.html"))
        let run = try HindsightCommand.run(build, in: folder.url)
        #expect(run.status == 0)
        let notes = run.stderr.split(separator: "\n").filter { $0.contains("interrupted builds") }
        #expect(notes.count == 1)
        #expect(notes.first?.hasPrefix("note: Removed 2 folders left by interrupted builds (30") == true, "\(notes)")
        #expect(notes.first?.hasSuffix(" kB)") == true)
        #expect(try Self.beside(folder) == ["._site.cache", "._site.lock", "_site"])
        // Nothing to clear: nothing said.
        #expect(try HindsightCommand.run(build, in: folder.url).stderr.contains("interrupted") == false)
    }

    @Test("while a build holds the output's lock, a second one is refused and leaves its staging folders alone")
    func lockDecides() throws {
        let repo = try Self.archive(2)
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let lock = try SiteWriter.OutputLock(for: output)
        let staging = folder.url.appendingPathComponent("._site.new-1-1")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let run = try HindsightCommand.run(["build", "--repo", repo.url.path, "--output", output.path], in: folder.url)
        #expect(run.status == 1)
        #expect(run.stderr.contains("another build is writing to"))
        #expect(FileManager.default.fileExists(atPath: staging.path), "a running build's staging folder is not touched")
        lock.release()
    }

    @Test("a kill between the two renames of a swap leaves no output; the next build puts the previous site back first")
    func betweenRenames() throws {
        let repo = try Self.archive(3)
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let build = ["build", "--repo", repo.url.path, "--output", output.path]
        #expect(try HindsightCommand.run(build, in: folder.url).status == 0)
        let published = try Self.files(output)
        // Where the file system cannot exchange two folders, the old site is renamed aside first.
        try FileManager.default.moveItem(at: output, to: folder.url.appendingPathComponent("._site.old-77-1"))
        let lock = try SiteWriter.OutputLock(for: output)
        let leftovers = SiteWriter.clearLeftovers(beside: output)
        lock.release()
        #expect(leftovers.restored && leftovers.removed == 0)
        #expect(leftovers.summary == "Put back the previous site, which an interrupted build had moved aside")
        #expect(try Self.files(output) == published)
    }

    @Test("no file of a published site is written to: a reader holding a page keeps its bytes through a rebuild")
    func publishedFilesAreNeverWritten() throws {
        let repo = try Self.archive(3)
        let folder = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        // A second name for the published home page's inode, as a web server's open file is.
        let held = folder.url.appendingPathComponent("held.html")
        #expect(link(site.root.appendingPathComponent("index.html").path, held.path) == 0)
        let before = try Data(contentsOf: held)
        try repo.commit(["Content/2024-12-01-new.md": postMortem(title: "A new one at the top", date: "2024-12-01")])
        let (rebuilt, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(try rebuilt.page("index.html").contains("A new one at the top"))
        #expect(try Data(contentsOf: held) == before, "the published file was changed in place")
    }

    @Test("a file of the published site edited, replaced or removed by hand is restored by the next build")
    func handEdits() throws {
        let repo = try Self.archive(4)
        let folder = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        let clean = try Self.files(site.root)
        let edited = site.root.appendingPathComponent("services/service-1/index.html")
        let handle = try FileHandle(forWritingTo: edited)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("<p>edited by hand</p>".utf8))
        try handle.close()
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("404.html"))
        try Data("replaced".utf8).write(to: site.root.appendingPathComponent("search/index.html"))
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("assets/style.css"))
        let (rebuilt, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: folder)
        #expect(report.reusedPages > 0, "the pages nobody touched are still reused")
        let restored = try Self.files(rebuilt.root)
        #expect(restored.keys.filter { restored[$0] != clean[$0] }.sorted() == [])
        #expect(Set(restored.keys) == Set(clean.keys))
    }

    @Test("SIGKILL at random moments of cold builds and rebuilds: the site is always the old one or the new one, and the next build equals a clean one")
    func kills() throws {
        let kills = ProcessInfo.processInfo.environment["HINDSIGHT_FAULT_KILLS"].flatMap(Int.init) ?? Self.quickKills
        let repo = try Self.archive(60)
        let first = try repo.commit(["Content/README.md": "Sixty post-mortems.\n"])
        let second = try repo.commit([
            "Content/2024-12-01-new.md": postMortem(title: "The newest one", date: "2024-12-01"),
            "Content/2024-02-03-incident-2.md": nil,
        ])
        // The two sites, as clean builds make them.
        var expected: [String: [String: Data]] = [:]
        for revision in [first, second] {
            let fresh = try TemporaryFolder()
            let (site, _) = try buildSite(.git(repository: repo.path, revision: revision.hex), into: fresh)
            expected[revision.hex] = try Self.files(site.root)
        }
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        func arguments(_ revision: String) -> [String] { ["build", "--repo", repo.url.path, "--ref", revision, "--output", output.path] }
        let started = ContinuousClock.now
        #expect(try HindsightCommand.run(arguments(first.hex), in: folder.url).status == 0)
        let duration = ContinuousClock.now - started
        var published = first.hex
        var outcomes = (old: 0, new: 0)
        var generator = SystemRandomNumberGenerator()
        for kill in 0..<kills {
            let target = published == first.hex ? second.hex : first.hex
            // Every third build is cold: its cache is gone, so it renders and writes every file.
            if kill % 3 == 0 { try? FileManager.default.removeItem(at: Site.cacheFolder(for: output)) }
            let process = Process()
            process.executableURL = HindsightCommand.binary
            process.arguments = arguments(target)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let microseconds = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
            usleep(UInt32(Double.random(in: 0...1.6, using: &generator) * microseconds))
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try Self.files(output)
            if now == expected[published] {
                outcomes.old += 1
            } else if now == expected[target] {
                outcomes.new += 1
                published = target
            } else {
                let old = expected[published]!
                Issue.record("kill \(kill): the site is neither the old one nor the new one (\(Set(now.keys).symmetricDifference(old.keys).count) paths differ from the old)")
                return
            }
        }
        // The next build clears what the kills left and equals a clean build.
        let final = try HindsightCommand.run(arguments(second.hex), in: folder.url)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try Self.files(output) == expected[second.hex])
        #expect(try Self.beside(folder) == ["._site.cache", "._site.lock", "_site"])
        print("faults: \(kills) kills over \(duration) builds: \(outcomes.old) left the old site, \(outcomes.new) the new one, 0 a mix")
    }
}
