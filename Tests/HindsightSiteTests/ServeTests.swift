import Foundation
import TestSupport
import Testing

/// Text gathered from a pipe while a process runs.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A process whose output is collected as it comes; killed when released.
final class Running {
    let process = Process()
    let stdout = Collected()
    let stderr = Collected()

    init(_ executable: URL, _ arguments: [String], in folder: URL? = nil) throws {
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdout = self.stdout
        let stderr = self.stderr
        out.fileHandleForReading.readabilityHandler = { stdout.append($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { stderr.append($0.availableData) }
        try process.run()
    }

    deinit {
        // SIGKILL: children of a Foundation Process can inherit a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits until `condition` holds for the output, or `seconds` pass.
    @discardableResult
    func wait(seconds: Double = 20, until condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(stdout.text) { return true }
            usleep(20_000)
        }
        return condition(stdout.text)
    }
}

/// `hindsight serve`, the real binary on a free loopback port, fetched with curl.
@Suite("hindsight serve")
struct ServeTests {
    /// A request's status and body (curl, with the path sent exactly as written).
    struct Fetched {
        var status: Int
        var body: String
    }

    static func fetch(_ url: String) throws -> Fetched {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "--path-as-is", "--max-time", "10", "-w", "\n%{http_code}", url]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        let newline = text.lastIndex(of: "\n") ?? text.startIndex
        let status = Int(text[text.index(after: newline)...]) ?? 0
        text = String(text[..<newline])
        return Fetched(status: status, body: text)
    }

    /// A served archive: a repository, `hindsight serve` on it, and its address.
    struct Served {
        let repo: TemporaryRepository
        let out: TemporaryFolder
        let server: Running
        let address: String

        var site: URL { out.url.appendingPathComponent("site") }

        func fetch(_ path: String) throws -> Fetched { try ServeTests.fetch(address + path) }

        /// Fetches a page until `condition` holds (a rebuild lands), or `seconds` pass.
        func page(_ path: String, within seconds: Double, until condition: (Fetched) -> Bool) throws -> Fetched {
            let deadline = Date().addingTimeInterval(seconds)
            var last = try fetch(path)
            while condition(last) == false && Date() < deadline {
                usleep(50_000)
                last = try fetch(path)
            }
            return last
        }

        /// A live-reload listener, as the page's script opens it.
        func listen() throws -> Running {
            let events = try Running(
                URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sN", "--max-time", "30", address + "__hindsight/events"])
            #expect(events.wait(seconds: 10) { $0.contains("event: hello") }, "the stream says hello first")
            return events
        }
    }

    func serve(_ files: [String: String?], arguments: [String] = []) throws -> Served {
        let repo = try TemporaryRepository()
        try repo.commit(files)
        let out = try TemporaryFolder()
        let server = try Running(
            HindsightCommand.binary,
            ["serve", "--port", "0", "--repo", repo.path, "--output", out.url.appendingPathComponent("site").path] + arguments,
            in: out.url)
        let started = server.wait { $0.contains("Serving at http://127.0.0.1:") }
        try #require(started, "serve did not start: \(server.stdout.text) \(server.stderr.text)")
        let line = server.stdout.text.split(separator: "\n").first { $0.hasPrefix("Serving at ") }!
        let address = String(line.dropFirst("Serving at ".count).prefix { $0 != " " })
        return Served(repo: repo, out: out, server: server, address: address)
    }

    @Test("serve answers on loopback; an edit shows up within seconds, with a reload event")
    func liveReload() throws {
        let served = try serve([
            "hindsight.yml": "title: Served archive\n",
            "Content/2024/2024-03-05-cache-stampede.md": postMortem(title: "Cache stampede"),
        ])
        #expect(served.address.hasPrefix("http://127.0.0.1:"))
        let index = try served.fetch("")
        #expect(index.status == 200)
        #expect(index.body.contains("Served archive") && index.body.contains("Cache stampede"))
        #expect(index.body.contains("<script src=\"/__hindsight/live-reload.js\" data-hindsight-live-reload"), "HTML gets the live-reload script")
        let script = try served.fetch("__hindsight/live-reload.js")
        #expect(script.status == 200 && script.body.contains("new EventSource(\"/__hindsight/events\")"))
        let onDisk = try String(contentsOf: served.site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(onDisk.contains("live-reload") == false, "the files on disk are the real site, without the script")
        let page = try served.fetch("postmortems/2024-03-05-cache-stampede/")
        #expect(page.status == 200 && page.body.contains("Cache stampede"))
        let folder = try served.fetch("postmortems/2024-03-05-cache-stampede")
        #expect(folder.status == 301, "a folder without its slash is redirected, so relative links work")
        let css = try served.fetch("assets/style.css")
        #expect(css.status == 200 && css.body.contains("EventSource") == false)
        #expect(try served.fetch("no/such/page/").status == 404)

        let events = try served.listen()
        try served.repo.write(
            "Content/2024/2024-03-05-cache-stampede.md", postMortem(title: "Cache stampede, revised"))
        let started = Date()
        let updated = try served.page("postmortems/2024-03-05-cache-stampede/", within: 5) {
            $0.body.contains("Cache stampede, revised")
        }
        #expect(updated.body.contains("Cache stampede, revised"))
        #expect(Date().timeIntervalSince(started) < 3, "the change shows up within a second or two")
        #expect(events.wait(seconds: 5) { $0.contains("event: reload") }, "open pages are told to reload: \(events.stdout.text)")
        #expect(served.server.wait(seconds: 5) { $0.contains("Changed Content/2024/2024-03-05-cache-stampede.md; rebuilding") })

        // A new post-mortem, a Theme/ override and hindsight.yml are watched too.
        try served.repo.write("Content/2025/2025-01-14-payment-outage.md", postMortem(title: "Payment outage", date: "2025-01-14"))
        #expect(try served.page("", within: 5) { $0.body.contains("Payment outage") }.body.contains("Payment outage"))
        try served.repo.write("hindsight.yml", "title: Renamed archive\n")
        #expect(try served.page("", within: 5) { $0.body.contains("Renamed archive") }.body.contains("Renamed archive"))
    }

    @Test("a build error shows on the page and in the terminal; the last good build stays up")
    func buildErrors() throws {
        let served = try serve(["Content/a.md": postMortem(title: "Alpha incident")])
        let events = try served.listen()
        try served.repo.write("Content/b.md", "---\nseverity: SEV9\n---\n# Beta\n")
        #expect(events.wait(seconds: 5) { $0.contains("event: build-error") }, "\(events.stdout.text)")
        #expect(events.stdout.text.contains("Content/b.md:2:11: error: unknown severity 'SEV9'"))
        #expect(served.server.wait(seconds: 5) { _ in served.server.stderr.text.contains("Content/b.md:2:11: error: unknown severity 'SEV9'") })
        #expect(served.server.stderr.text.contains("serving the last good build"))
        let page = try served.fetch("")
        #expect(page.status == 200 && page.body.contains("Alpha incident"), "the last good build is still served")

        // A page opened now learns of the error at once (and shows it over the page).
        let late = try served.listen()
        #expect(late.stdout.text.contains("\"message\":\"The build failed"))
        #expect(try served.fetch("__hindsight/live-reload.js").body.contains("hindsight-build-error"), "the script shows errors in an overlay")

        try served.repo.write("Content/b.md", "---\nseverity: SEV3\n---\n# Beta incident\n")
        #expect(events.wait(seconds: 5) { $0.contains("event: reload") })
        #expect(try served.page("", within: 5) { $0.body.contains("Beta incident") }.body.contains("Beta incident"))
    }

    @Test("nothing outside the output folder is served, however the path is written")
    func pathTraversal() throws {
        let served = try serve(["Content/a.md": postMortem(title: "Alpha")])
        // A secret beside the output folder, and a symbolic link inside it pointing out.
        try Data("top secret beside the site\n".utf8).write(to: served.out.url.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: served.site.appendingPathComponent("escape.txt").path,
            withDestinationPath: served.out.url.appendingPathComponent("secret.txt").path)
        let paths = [
            "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "assets/..%5c..%5c..%5cetc/passwd", "assets/%2e%2e/%2e%2e/secret.txt",
            "../secret.txt", "%2e%2e/secret.txt", "escape.txt", "assets/%00../secret.txt", "//etc/passwd",
        ]
        for path in paths {
            let fetched = try served.fetch(path)
            #expect([400, 404].contains(fetched.status), "\(path) answered \(fetched.status)")
            #expect(fetched.body.contains("root:") == false && fetched.body.contains("top secret") == false, "\(path)")
        }
        #expect(try served.fetch("index.html").status == 200, "plain paths still work")
    }

    @Test("in Chromium the preview runs under the theme's Content-Security-Policy, live-reload script included")
    func previewUnderThePolicy() throws {
        let served = try serve(["Content/a.md": postMortem(title: "Alpha incident")])
        // The script runs while the page is parsed, so a blocked script or event stream is reported by the load.
        let visit = try Chromium.visit(served.address, budget: 10_000, untilLoad: true)
        #expect(visit.dom.contains("Alpha incident"))
        #expect(visit.dom.contains("<script src=\"/__hindsight/live-reload.js\" data-hindsight-live-reload"))
        #expect(visit.dom.contains("Content-Security-Policy"))
        #expect(visit.console.isEmpty, "console: \(visit.console)")
    }

    @Test("drafts are previewed with --drafts only")
    func drafts() throws {
        let files: [String: String?] = ["Content/d.md": postMortem(title: "Draft incident", extraFrontMatter: "status: draft")]
        #expect(try serve(files).fetch("").body.contains("Draft incident") == false)
        #expect(try serve(files, arguments: ["--drafts"]).fetch("").body.contains("Draft incident"))
    }

    @Test("serve refuses an address that is not loopback, and a port in use")
    func refusals() throws {
        let out = try TemporaryFolder()
        let cli = CommandLineTests()
        let remote = try cli.run(["serve", "--host", "0.0.0.0", "--port", "0"], in: out.url)
        #expect(remote.status == 2)
        #expect(remote.stderr.contains("not a loopback address"))

        let served = try serve(["Content/a.md": postMortem(title: "Alpha")])
        let port = served.address.split(separator: ":").last!.filter(\.isNumber)
        let busy = try cli.run(
            ["serve", "--port", String(port), "--repo", served.repo.path, "--output", out.url.appendingPathComponent("s").path],
            in: out.url)
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("cannot serve on 127.0.0.1:\(port)"), "\(busy.stderr)")
    }
}
