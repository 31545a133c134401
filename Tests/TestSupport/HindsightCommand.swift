import Foundation

/// What one run of the real `hindsight` binary did.
public struct CommandRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the `hindsight` executable built alongside the tests, as a user would from a shell.
public enum HindsightCommand {
    /// The binary: the test bundle sits beside the products of the same build.
    public static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("hindsight"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hindsight"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hindsight"),
            packageRoot().appendingPathComponent(".build/debug/hindsight"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs `hindsight ARGUMENTS` in `folder` without colour and returns its status and output.
    public static func run(_ arguments: [String], in folder: URL) throws -> CommandRun {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty run cannot fill a pipe and stall.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
