import Foundation
import GitKit
import Testing

@testable import HindsightCore

/// Runs the real linter over Markdown held in memory, the way `hindsight check` runs it over a repository.
enum LintHarness {
    /// Lints one post-mortem (plus any other files of the archive) and returns every finding.
    static func lint(
        _ text: String, path: String = "Content/incident.md", others: [String: String] = [:], people: [String] = [],
        authors: [CommitAuthor] = [], settings yaml: String? = nil, configuration: Configuration = Configuration()
    ) -> [Finding] {
        lintFiles([path: text].merging(others) { first, _ in first }, people: people, authors: authors, settings: yaml,
            configuration: configuration)
    }

    /// Lints several files and returns every finding, sorted by place.
    static func lintFiles(
        _ files: [String: String], people: [String] = [], authors: [CommitAuthor] = [], settings yaml: String? = nil,
        configuration: Configuration = Configuration()
    ) -> [Finding] {
        var settings = LintConfiguration()
        var problems: [Finding] = []
        if let yaml {
            (settings, problems) = LintConfiguration.parse(Data(yaml.utf8))
        }
        settings.people += people
        let directory = PeopleDirectory(authors: authors, configured: settings.people, allowed: settings.allowedWords)
        let sources = files.sorted { $0.key < $1.key }.map { path, text in
            SourceFile(
                path: path, contentPath: path.hasPrefix("Content/") ? String(path.dropFirst("Content/".count)) : path,
                data: Data(text.utf8))
        }
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: configuration, files: sources, themeFiles: [:], histories: [:],
            diagnostics: [])
        let linter = Linter(context: LintContext(configuration: configuration, settings: settings, people: directory))
        return (linter.check(snapshot).findings + problems).sorted()
    }

    /// The findings of one rule.
    static func findings(_ rule: String, _ text: String, people: [String] = [], settings: String? = nil) -> [Finding] {
        lint(text, people: people, settings: settings).filter { $0.ruleID == rule }
    }

    /// A complete, blameless SEV3 post-mortem that passes every rule; parts can be replaced to test one rule.
    static func document(
        frontMatter: String = "severity: SEV3\nstatus: published\ndate: 2025-03-04",
        summary: String? = "A config push raised checkout latency for 20 minutes until it was reverted.",
        timeline: String? = """
            - 10:00 - The config change is pushed to all regions.
            - 10:05 - The latency alert fires and pages the on-call engineer.
            - 10:20 - The change is reverted. Latency recovers.
            """,
        analysis: String? = """
            1. Why did latency rise? The pool size setting was read as zero.
            2. Why was it read as zero? The new key name was not known to the loader.
            3. Why was the unknown key accepted? The loader ignored unknown keys without a warning.
            """,
        factors: String? = """
            - **Technical**: The config loader ignored unknown keys.
            - **Process**: Config pushes skipped the staged rollout.
            """,
        actions: String? = """
            - [ ] [P1] Reject unknown config keys at startup — Platform Team
            - [ ] [P2] Route config pushes through the staged rollout — Delivery Team
            """,
        extra: String = ""
    ) -> String {
        var text = "---\n\(frontMatter)\n---\n\n# Checkout latency after a config push\n\n"
        if let summary { text += "## Summary\n\n\(summary)\n\n" }
        if let timeline { text += "## Timeline\n\n\(timeline)\n\n" }
        if let analysis { text += "## Five Whys\n\n\(analysis)\n\n" }
        if let factors { text += "## Contributing Factors\n\n\(factors)\n\n" }
        if let actions { text += "## Action Items\n\n\(actions)\n\n" }
        text += extra
        return text
    }

    /// The 1-based line of the first line containing `needle` in `text`.
    static func line(of needle: String, in text: String) -> Int {
        let lines = text.components(separatedBy: "\n")
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    /// The 1-based column (in Unicode scalars) of `needle` on its first line.
    static func column(of needle: String, in text: String) -> Int {
        let lineText = text.components(separatedBy: "\n")[line(of: needle, in: text) - 1]
        let range = lineText.range(of: needle)!
        return lineText.unicodeScalars.distance(from: lineText.startIndex, to: range.lowerBound) + 1
    }
}

extension [Finding] {
    /// The ids of the rules that fired, once each, sorted.
    var ruleIDs: [String] { Set(map(\.ruleID)).sorted() }
}
