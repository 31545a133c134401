import ArgumentParser
import Foundation
import HindsightSite

/// The `hindsight` command: subcommands for each job.
public struct Hindsight: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hindsight",
        abstract: "A Git-native archive and static site generator for blameless post-mortems.",
        discussion: """
            Post-mortems are Markdown files with YAML front matter in a Git repository. Hindsight reads them \
            straight from the object database at a revision and publishes a static site: every post-mortem, \
            pages per contributing-factor type, service, severity, tag and year, and a JSON export.
            """,
        version: Site.generator,
        subcommands: [Build.self, Check.self, New.self, Init.self, Serve.self, Report.self],
        defaultSubcommand: nil)

    public init() {}

    /// Runs the command line, mapping errors to meaningful exit codes (2 for bad usage).
    public static func run(arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
