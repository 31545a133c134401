import Foundation

/// A static file server on 127.0.0.1 (Python's http.server), stopped when released.
public final class StaticServer {
    public let port: Int
    private let process: Process

    public init(root: URL) throws {
        // The server writes the port it was given to a file once it listens.
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: portFile) }
        let script = """
            import functools, http.server, sys
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            handler.log_message = lambda *args: None
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            with open(sys.argv[2] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
            import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            server.serve_forever()
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, root.path, portFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { found = Int(text) }
            if found == nil { usleep(20_000) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw BrowserError(message: "the static server did not start")
        }
        port = found
    }

    deinit {
        // SIGKILL: children of a Foundation Process can inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
}

/// Real headless Chromium (Debian's `chromium`), run once per page load.
public enum Chromium {
    /// The DOM after scripts ran and the network settled (virtual time lets async work finish).
    public static func dumpDOM(_ url: String, javascript: Bool = true, budget: Int = 20_000) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A profile of its own: a second Chromium on one profile hands its work to the first and exits.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var arguments = [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--dump-dom",
        ]
        arguments.append(javascript ? "--virtual-time-budget=\(budget)" : "--disable-javascript")
        process.arguments = arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BrowserError(message: "chromium exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// What a visit saw: the DOM after scripts ran, and the page's console messages (Content-Security-Policy
    /// violations among them).
    public struct Visit: Sendable {
        public var dom: String
        public var console: [String]
    }

    /// Loads `url` as `dumpDOM` does, with Chromium's log on stderr so the console messages can be read.
    ///
    /// `untilLoad` dumps at the load event instead of letting the network settle: a page holding a stream
    /// open (the preview's live reload) never settles.
    public static func visit(_ url: String, budget: Int = 5_000, untilLoad: Bool = false) throws -> Visit {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
            untilLoad ? "--timeout=\(budget)" : "--virtual-time-budget=\(budget)", "--dump-dom", url,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // stderr is read on its own thread so that neither pipe can fill and stall the browser.
        let log = LockedData()
        let reader = Thread { log.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while log.isSet == false { usleep(10_000) }
        guard process.terminationStatus == 0 else {
            throw BrowserError(message: "chromium exited with \(process.terminationStatus)")
        }
        // Console lines look like `[pid:tid:time:INFO:CONSOLE:12] "message", source: url (12)`.
        let console = String(decoding: log.value, as: UTF8.self).split(separator: "\n")
            .filter { $0.contains(":CONSOLE") }.map(String.init)
        return Visit(dom: String(decoding: data, as: UTF8.self), console: console)
    }

    /// The JSON a harness page wrote into `<pre id="out">`.
    public static func harnessResult(_ url: String) throws -> [String: Any] {
        // Under heavy load Chromium can dump the page before a dynamic import settles; try again then.
        var dom = try dumpDOM(url)
        for budget in [40_000, 60_000] where dom.contains("<pre id=\"out\">pending</pre>") {
            dom = try dumpDOM(url, budget: budget)
        }
        guard let start = dom.range(of: "<pre id=\"out\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { throw BrowserError(message: "no harness output in: \(dom.prefix(500))") }
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw BrowserError(message: "harness output is not an object: \(text.prefix(500))")
        }
        if let error = object["error"] as? String { throw BrowserError(message: "in the page: \(error)") }
        return object
    }
}

/// Bytes handed from a reader thread to the test.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}

/// A browser or server problem, with what it said.
public struct BrowserError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
