import ArgumentParser
import Foundation
import HindsightSite

/// The `hindsight` command: subcommands for each job.
public struct Hindsight: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hindsight",
        abstract: "A Git-native archive and static site generator for blameless post-mortems.",
        discussion: """
            Post-mortems are Markdown files with YAML front matter in a Git repository, reviewed in pull \
            requests. Hindsight reads them straight from the object database at a revision and publishes a \
            static site: every post-mortem, pages per contributing-factor type, service, severity, tag and \
            year, instant search, insights and an action-item ledger read from Git history, feeds and a JSON \
            export. `hindsight check` is the pull-request gate: valid, complete and blameless.

            Start with `hindsight init`, write with `hindsight new`, preview with `hindsight serve`.
            """,
        version: Site.generator,
        subcommands: [Build.self, Check.self, Inspect.self, New.self, Init.self, Serve.self, Report.self],
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
