import Foundation
import HindsightCore

/// Terminal output: diagnostics and errors on stderr, the summary on stdout, colour only on a terminal.
struct Console: Sendable {
    let colourErrors: Bool
    let colourOutput: Bool
    let stderrIsTerminal: Bool

    init() {
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"] != nil
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
        colourErrors = stderrIsTerminal && !noColour
        colourOutput = isatty(STDOUT_FILENO) == 1 && !noColour
    }

    private func paint(_ text: String, _ code: String, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Prints diagnostics compiler-style: `path:line:col: error: message`.
    func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            var line = ""
            if let location = diagnostic.location { line += paint("\(location): ", "1", colourErrors) }
            switch diagnostic.severity {
            case .error: line += paint("error: ", "1;31", colourErrors)
            case .warning: line += paint("warning: ", "1;33", colourErrors)
            case .note: line += paint("note: ", "1;36", colourErrors)
            }
            line += diagnostic.message
            writeError(line)
        }
    }

    func error(_ message: String) {
        writeError(paint("error: ", "1;31", colourErrors) + message)
    }

    /// A line about housekeeping the user should know of, on stderr: `note: removed 2 folders…`.
    func note(_ message: String) {
        writeError(paint("note: ", "1;36", colourErrors) + message)
    }

    func summary(_ message: String) {
        print(paint(message, "1;32", colourOutput))
    }

    func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A progress bar on stderr when it is a terminal; nil otherwise (logs stay clean).
    func progressBar() -> ProgressBar? {
        stderrIsTerminal ? ProgressBar() : nil
    }
}

/// A one-line progress bar redrawn in place on stderr.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDrawn = ContinuousClock.now - .seconds(1)
    private var visible = false

    func update(_ stage: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastDrawn > .milliseconds(50) || done == total else { return }
        lastDrawn = now
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let counts = total > 1 ? " \(done)/\(total)" : ""
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(stage)\(counts)".utf8))
        visible = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if visible { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        visible = false
    }
}
