import Foundation
import GitKit
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// Publishing: the public edition, one build per output folder, interrupted builds, the installed
/// layout and the CI workflows.
@Suite("publishing")
struct PublishTests {
    let cli = CommandLineTests()

    /// Every file of a folder as text, gzip files (the search index) unpacked.
    func everyFile(in folder: URL) throws -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var out: [(String, String)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            var data = try Data(contentsOf: url)
            if url.pathExtension == "gz" { data = try SearchIndexBuilder.gunzip(data) }
            out.append((url.path.replacingOccurrences(of: folder.path + "/", with: ""), String(decoding: data, as: UTF8.self)))
        }
        return out
    }

    @Test("a public build has nothing of an internal post-mortem, in any file")
    func publicEditionLeaksNothing() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "hindsight.yml": "title: Larkspur\n",
            // Public, and naming the internal one as related.
            "Content/2024/2024-03-05-cache-stampede.md": postMortem(
                title: "Cache stampede on the catalogue", services: ["catalogue"],
                extraFrontMatter: "visibility: public\ntags: [caching]\nrelated: [2024-06-01-zebrafish-ledger-corruption]"),
            // Internal by default, with a service, a tag and a factor type of its own.
            "Content/2024/2024-06-01-zebrafish-ledger-corruption.md": postMortem(
                title: "Zebrafish ledger corruption", date: "2024-06-01", services: ["quokkaledger"],
                extraFrontMatter: "tags: [wombattag]\nowner_team: Platypus Team", factorType: "Narwhalvendor",
                body: "## Impact\n\nThe yakbilling batch lost rows."),
            // Internal, said so.
            "Content/2024/2024-07-01-marmot-outage.md": postMortem(
                title: "Marmot outage", date: "2024-07-01", extraFrontMatter: "visibility: internal"),
        ])
        let out = try TemporaryFolder()
        let site = out.url.appendingPathComponent("public")
        let result = try cli.run(["build", "--public", "--repo", repo.path, "--output", site.path], in: out.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Built 1 post-mortem,"), "\(result.stdout)")

        let files = try everyFile(in: site)
        #expect(files.contains { $0.path.hasSuffix(".gz") }, "the search index is among the files searched")
        #expect(files.contains { $0.text.contains("Cache stampede on the catalogue") })
        let secrets = [
            "Zebrafish", "zebrafish", "quokkaledger", "wombattag", "Platypus", "Narwhalvendor", "narwhalvendor",
            "yakbilling", "Marmot", "marmot",
        ]
        for file in files {
            for secret in secrets {
                #expect(file.text.contains(secret) == false, "\(file.path) mentions '\(secret)'")
                #expect(file.path.contains(secret) == false, "\(file.path) is named after '\(secret)'")
            }
        }

        // The internal edition (the default) has all three.
        let internalSite = out.url.appendingPathComponent("internal")
        let full = try cli.run(["build", "--repo", repo.path, "--output", internalSite.path], in: out.url)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.hasPrefix("Built 3 post-mortems,"))
        let index = try String(contentsOf: internalSite.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Zebrafish ledger corruption") && index.contains("Marmot outage"))
    }

    @Test("visibility takes internal or public; anything else is an error at its line")
    func visibilityValues() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": "---\ntitle: A\nvisibility: secret\n---\n# A\n"])
        let out = try TemporaryFolder()
        let result = try cli.run(["build", "--repo", repo.path, "--output", out.url.appendingPathComponent("s").path], in: out.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Content/a.md:3:13: error: visibility must be internal or public, not 'secret'"))
        let check = try cli.run(["check", "--repo", repo.path], in: out.url)
        #expect(check.status == 1)
    }

    @Test("a second build into the same folder is refused while one is running")
    func concurrentBuildsAreRefused() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": postMortem(title: "Alpha")])
        let out = try TemporaryFolder()
        let site = out.url.appendingPathComponent("_site")
        #expect(try cli.run(["build", "--repo", repo.path, "--output", site.path], in: out.url).status == 0)
        let before = try Data(contentsOf: site.appendingPathComponent("index.html"))

        try repo.commit(["Content/b.md": postMortem(title: "Beta")])
        // Another build holds the folder's lock (the same lock a running `hindsight build` takes).
        var held: SiteWriter.OutputLock? = try SiteWriter.OutputLock(for: site)
        let refused = try cli.run(["build", "--repo", repo.path, "--output", site.path], in: out.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another build is writing to \(site.path)"), "\(refused.stderr)")
        #expect(try Data(contentsOf: site.appendingPathComponent("index.html")) == before)
        #expect(throws: SiteWriter.WriteError.self) {
            try Site.build(BuildOptions(source: .git(repository: repo.path, revision: "HEAD"), output: site))
        }
        // In-process too: a second lock on the folder is refused.
        #expect(throws: SiteWriter.WriteError.self) { try SiteWriter.OutputLock(for: site) }

        held?.release()
        held = nil
        let after = try cli.run(["build", "--repo", repo.path, "--output", site.path], in: out.url)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("Beta"))
    }

    @Test("a build killed midway leaves the previous site intact, and the next build works")
    func killedBuildLeavesThePreviousSite() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/first.md": postMortem(title: "First of all")])
        let out = try TemporaryFolder()
        let site = out.url.appendingPathComponent("_site")
        #expect(try cli.run(["build", "--repo", repo.path, "--output", site.path], in: out.url).status == 0)
        let before = try everyFile(in: site).map(\.path).sorted()
        let index = try Data(contentsOf: site.appendingPathComponent("index.html"))

        // A big archive, so the build is still running when it is killed.
        var files: [String: String?] = [:]
        for number in 0..<300 {
            files["Content/bulk/pm-\(number).md"] = postMortem(
                title: "Bulk incident \(number)", body: String(repeating: "Words and more words. ", count: 200))
        }
        try repo.commit(files)
        var killedMidway = 0
        // What a killed build may leave: the previous site as it was, or (killed after its swap, while it saved its
        // caches) the new site whole; never a mix of the two.
        var published: [[String]] = []
        for delay in [100_000, 300_000, 700_000] as [useconds_t] {
            let process = Process()
            process.executableURL = HindsightCommand.binary
            process.arguments = ["build", "--repo", repo.path, "--output", site.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .exit { continue }  // finished before the kill: nothing to see
            killedMidway += 1
            if try Data(contentsOf: site.appendingPathComponent("index.html")) == index {
                #expect(try everyFile(in: site).map(\.path).sorted() == before)
            } else {
                published.append(try everyFile(in: site).map(\.path).sorted())
            }
        }
        #expect(killedMidway > 0, "at least one build was killed before it finished")
        // The lock died with the process: the next build goes through.
        let next = try cli.run(["build", "--repo", repo.path, "--output", site.path], in: out.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.hasPrefix("Built 301 post-mortems,"))
        let whole = try everyFile(in: site).map(\.path).sorted()
        for files in published { #expect(files == whole, "a killed build left part of the new site") }
    }

    @Test("installed as make install lays it out, the binary finds its theme beside it through a symlink")
    func installedLayout() throws {
        let built = HindsightCommand.binary.deletingLastPathComponent()
        let bundle = try #require(
            try FileManager.default.contentsOfDirectory(atPath: built.path).first { $0.hasSuffix("_HindsightTheme.resources") })
        let prefix = try TemporaryFolder()
        let lib = prefix.url.appendingPathComponent("lib/hindsight")
        let bin = prefix.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: HindsightCommand.binary, to: lib.appendingPathComponent("hindsight"))
        try FileManager.default.copyItem(at: built.appendingPathComponent(bundle), to: lib.appendingPathComponent(bundle))
        try FileManager.default.createSymbolicLink(
            atPath: bin.appendingPathComponent("hindsight").path, withDestinationPath: "../lib/hindsight/hindsight")
        // Mark the installed template, to see which one the binary reads.
        let template = lib.appendingPathComponent(bundle).appendingPathComponent("new.md")
        let marked = try String(contentsOf: template, encoding: .utf8) + "\nINSTALLED-THEME-MARKER\n"
        try Data(marked.utf8).write(to: template)

        let repo = try TemporaryRepository()
        let process = Process()
        process.executableURL = bin.appendingPathComponent("hindsight")
        process.arguments = ["new", "Probe", "--date", "2025-01-01"]
        process.currentDirectoryURL = repo.url
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOf: repo.url.appendingPathComponent("Content/2025/2025-01-01-probe.md"), encoding: .utf8)
        #expect(text.contains("INSTALLED-THEME-MARKER"))
    }

    @Test("the CI workflows check pull requests, preview them and publish on merge, with full history")
    func ciWorkflows() throws {
        let docs = packageRoot().appendingPathComponent("docs/ci")
        let github = try String(contentsOf: docs.appendingPathComponent("github-publish.yml"), encoding: .utf8)
        for needle in [
            "fetch-depth: 0", "changed-since: origin/${{ github.base_ref }}", "command: install", "drafts: \"true\"",
            "actions/upload-artifact@v4", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4", "branches: [main]",
            "pages: write", "edition: ${{ env.HINDSIGHT_EDITION }}", "uses: YOUR-ORG/hindsight@v1",
        ] {
            #expect(github.contains(needle), "github-publish.yml: \(needle)")
        }
        #expect(github.components(separatedBy: "fetch-depth: 0").count - 1 == 3, "every job that reads the archive")
        let plain = try String(contentsOf: docs.appendingPathComponent("plain/github-publish.yml"), encoding: .utf8)
        for needle in [
            "fetch-depth: 0", "hindsight check --changed-since \"origin/${{ github.base_ref }}\" --format github",
            "hindsight build --drafts --output _site", "actions/upload-artifact@v4", "actions/upload-pages-artifact@v3",
            "actions/deploy-pages@v4", "branches: [main]", "pages: write", "make -C /tmp/hindsight-src install PREFIX=/opt/hindsight",
            "actions/cache/restore@v4", "--public",
        ] {
            #expect(plain.contains(needle), "plain/github-publish.yml: \(needle)")
        }
        let gitlab = try String(contentsOf: docs.appendingPathComponent("gitlab-publish.yml"), encoding: .utf8)
        for needle in [
            "GIT_DEPTH: 0", "hindsight check --changed-since \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"", "\npages:\n",
            "--output public", "$CI_DEFAULT_BRANCH", "expose_as: Site preview", "make -C /tmp/hindsight-src install",
        ] {
            #expect(gitlab.contains(needle), "gitlab-publish.yml: \(needle)")
        }
        // What `hindsight init` writes is these files, byte for byte.
        let scaffold = packageRoot().appendingPathComponent("Theme/scaffold")
        #expect(try Data(contentsOf: scaffold.appendingPathComponent("github-workflow.yml")) == Data(github.utf8))
        #expect(try Data(contentsOf: scaffold.appendingPathComponent("gitlab-ci.yml")) == Data(gitlab.utf8))
    }
}
