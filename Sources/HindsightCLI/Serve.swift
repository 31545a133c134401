import ArgumentParser
import Dispatch
import Foundation
import HindsightCore
import HindsightServe
import HindsightSite

/// `hindsight serve`: a live preview of the working tree on loopback.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the archive: build the working tree, serve it, rebuild and reload on change.",
        discussion: """
            Builds the working tree (uncommitted edits included) and serves the site on a loopback address. \
            Content/, Theme/ and hindsight.yml are watched; on a change the site is rebuilt and open pages \
            reload by themselves. When a build fails, the errors are printed here and shown over the page, \
            and the last good build stays up until the errors are fixed.

            Exit status: 0 stopped (Ctrl-C), 1 the server could not start (a port in use), 2 bad usage.
            """)

    @Option(help: ArgumentHelp("The port (0 picks a free one).", valueName: "port"))
    var port: Int = 8000

    @Option(help: ArgumentHelp("A loopback address: 127.0.0.1, ::1 or localhost.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Flag(help: "Include post-mortems whose status is draft.")
    var drafts = false

    @Option(help: ArgumentHelp("The archive's working tree.", valueName: "path"))
    var repo: String = "."

    @Option(help: ArgumentHelp(
        "Where to write the preview site (default: a temporary folder, removed on exit).", valueName: "dir"))
    var output: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard ServeOptions.isLoopback(host) else {
            throw ValidationError(
                "--host '\(host)' is not a loopback address; the preview is served on 127.0.0.1, ::1 or localhost only")
        }
    }

    func run() throws {
        let console = Console()
        let temporary = output == nil
        let outputURL = output.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hindsight-serve-\(getpid())/site")
        let options = ServeOptions(
            root: repo, output: outputURL, host: host, port: port, includeDrafts: drafts)
        let cleanUp: @Sendable () -> Void = {
            if temporary { try? FileManager.default.removeItem(at: outputURL.deletingLastPathComponent()) }
        }
        let signals = Self.stopOnSignals {
            cleanUp()
            Foundation.exit(0)
        }
        defer { withExtendedLifetime(signals) {} }

        let events = ServeEvents(
            listening: { address in
                Self.say(console.colourOutput ? "\u{1B}[1;32mServing at \(address)\u{1B}[0m (Ctrl-C to stop)" : "Serving at \(address) (Ctrl-C to stop)")
            },
            rebuilding: { changed in
                guard changed.isEmpty == false else { return }
                let shown = changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? " and \(changed.count - 3) more" : "")
                Self.say("Changed \(shown); rebuilding")
            },
            built: { outcome in
                switch outcome {
                case .built(let report):
                    console.report(report.diagnostics)
                    Self.say(
                        "Built \(report.postMortems) post-mortem\(report.postMortems == 1 ? "" : "s") in "
                            + String(format: "%.2f", report.seconds) + " s")
                case .failed(let diagnostics, let message):
                    console.report(diagnostics)
                    console.error(diagnostics.isEmpty ? message : "build failed; serving the last good build until this is fixed")
                }
            })

        let finished = DispatchSemaphore(value: 0)
        let result = ServeResult()
        Task.detached {
            do {
                try await PreviewServer.run(options, events: events)
            } catch {
                result.set(error)
            }
            finished.signal()
        }
        finished.wait()
        cleanUp()
        if let error = result.error {
            console.error("cannot serve on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
    }

    /// A line on stdout, written at once (stdout is a pipe under tests and tools, and `print` buffers it).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Runs `handler` on SIGINT or SIGTERM (instead of dying with the temporary site left behind).
    static func stopOnSignals(_ handler: @escaping @Sendable () -> Void) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}

/// The error the server stopped with, handed from its task to the waiting command.
final class ServeResult: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    func set(_ error: Error) {
        lock.lock()
        stored = error
        lock.unlock()
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
