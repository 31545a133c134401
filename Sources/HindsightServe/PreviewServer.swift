import Foundation
import HindsightCore
import HindsightSite
import Hummingbird
import Logging

/// Options of `hindsight serve`.
public struct ServeOptions: Sendable {
    /// The archive's working tree (the folder holding `hindsight.yml` and the content folder).
    public var root: String
    /// Where the preview site is written (and served from).
    public var output: URL
    /// A loopback address to listen on.
    public var host: String
    /// The port; 0 lets the system pick a free one.
    public var port: Int
    /// Include `status: draft` post-mortems.
    public var includeDrafts: Bool
    /// How often the sources are polled for changes.
    public var pollInterval: Duration

    /// Options with the defaults of `hindsight serve`.
    public init(
        root: String, output: URL, host: String = "127.0.0.1", port: Int = 8000, includeDrafts: Bool = false,
        pollInterval: Duration = .milliseconds(300)
    ) {
        self.root = root
        self.output = output
        self.host = host
        self.port = port
        self.includeDrafts = includeDrafts
        self.pollInterval = pollInterval
    }

    /// Whether `host` is a loopback address: the preview server never listens anywhere else.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

/// The result of one build of the preview, for the terminal.
public enum BuildOutcome: Sendable {
    /// The site was rebuilt and swapped in.
    case built(BuildReport)
    /// The build failed; the previous site is still served, and the page shows `message`.
    case failed(diagnostics: [Diagnostic], message: String)
}

/// What the preview server tells its caller while it runs.
public struct ServeEvents: Sendable {
    /// The server listens at this address (`http://host:port/`).
    public var listening: @Sendable (String) -> Void
    /// A build started because these sources changed (empty for the first build).
    public var rebuilding: @Sendable ([String]) -> Void
    /// A build finished.
    public var built: @Sendable (BuildOutcome) -> Void

    /// Callbacks for the terminal.
    public init(
        listening: @escaping @Sendable (String) -> Void, rebuilding: @escaping @Sendable ([String]) -> Void = { _ in },
        built: @escaping @Sendable (BuildOutcome) -> Void
    ) {
        self.listening = listening
        self.rebuilding = rebuilding
        self.built = built
    }
}

/// A problem that stops the preview server from starting.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// `hindsight serve`: builds the working tree, serves the result on loopback, rebuilds on change and reloads
/// open pages through server-sent events.
public enum PreviewServer {
    /// Runs until the task is cancelled or the server fails (a port already in use, say).
    public static func run(_ options: ServeOptions, events: ServeEvents) async throws {
        guard ServeOptions.isLoopback(options.host) else {
            throw ServeError(description: "'\(options.host)' is not a loopback address; serve listens on 127.0.0.1, ::1 or localhost only")
        }
        let root = URL(fileURLWithPath: options.root).standardizedFileURL
        let state = BuildState()
        let watcher = SourceWatcher(root: root)
        let builder = PreviewBuilder(options: options, state: state, events: events)

        // The first build: the server starts even when it fails, and shows the errors on the page.
        events.rebuilding([])
        let firstFingerprint = watcher.fingerprint()
        await builder.build()

        var logger = Logger(label: "hindsight.serve")
        logger.logLevel = .error
        let host = options.host == "[::1]" ? "::1" : options.host
        let application = Application(
            responder: SiteResponder(root: options.output.standardizedFileURL, state: state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: options.port), serverName: "hindsight"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let shown = host.contains(":") ? "[\(host)]" : host
                events.listening("http://\(shown):\(port)/")
            },
            logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            group.addTask {
                var fingerprint = firstFingerprint
                while Task.isCancelled == false {
                    try await Task.sleep(for: options.pollInterval)
                    await state.heartbeatIfDue()
                    let current = watcher.fingerprint()
                    guard current != fingerprint else { continue }
                    // Editors save in steps: let the files settle for a moment, then build what is there.
                    try await Task.sleep(for: .milliseconds(80))
                    let settled = watcher.fingerprint()
                    events.rebuilding(SourceWatcher.changes(from: fingerprint, to: settled))
                    fingerprint = settled
                    await builder.build()
                }
            }
            defer { group.cancelAll() }
            // Whichever ends first (the server failing, or cancellation) ends both.
            try await group.next()
            await state.close()
        }
    }
}

/// Runs one build of the working tree at a time and reports it to the page and the terminal.
struct PreviewBuilder: Sendable {
    let options: ServeOptions
    let state: BuildState
    let events: ServeEvents

    func build() async {
        let buildOptions = BuildOptions(
            source: .worktree(root: options.root), output: options.output, includeDrafts: options.includeDrafts)
        let outcome: BuildOutcome = await Task.detached {
            do {
                return .built(try Site.build(buildOptions))
            } catch let failure as BuildFailure {
                let lines = failure.diagnostics.filter { $0.severity == .error }.map(\.description)
                return .failed(
                    diagnostics: failure.diagnostics,
                    message: (["The build failed; this page is the last good build."] + lines).joined(separator: "\n"))
            } catch {
                return .failed(
                    diagnostics: [], message: "The build failed; this page is the last good build.\n\(error)")
            }
        }.value
        switch outcome {
        case .built: await state.succeeded()
        case .failed(_, let message): await state.failed(message)
        }
        events.built(outcome)
    }
}
