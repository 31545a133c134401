import Foundation
import HindsightCore
import HindsightTheme
import MustacheKit

/// `hindsight init`: the files of a new archive repository.
public enum ArchiveScaffold {
    /// Which CI system's workflow files to write.
    public enum CI: String, Sendable, CaseIterable {
        case github, gitlab, both, none
    }

    /// What `create` did: files written, and files left alone because they existed.
    public struct Result: Sendable {
        public var written: [String] = []
        public var kept: [String] = []
    }

    /// The Hindsight action the GitHub workflow uses until `hindsight init --action` names a real one.
    public static let actionPlaceholder = "YOUR-ORG/hindsight@v1"

    /// Whether `reference` can follow `uses:`: `OWNER/REPO@REF` (optionally `OWNER/REPO/PATH@REF`), or a
    /// local `./path`.
    public static func isActionReference(_ reference: String) -> Bool {
        reference.range(of: #"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[A-Za-z0-9_./+-]+|\./[A-Za-z0-9_./-]*)$"#, options: .regularExpression) != nil
    }

    /// Writes `hindsight.yml`, `Content/` with one example post-mortem, `README.md`, `.gitignore` and the
    /// CI workflow files into `root`; the GitHub workflow uses the Hindsight action `action`. An existing
    /// file is never overwritten.
    public static func create(
        at root: URL, title: String, ci: CI, today: Day, action: String = actionPlaceholder
    ) throws -> Result {
        guard let resources = BuiltInTheme.url?.appendingPathComponent("scaffold") else {
            throw AuthoringError("the archive scaffold is missing from the theme resources")
        }
        // Plain text: `.html` values are written as they are, never escaped.
        let context: TemplateValue = [
            "title": .html(title), "title_yaml": .html(NewPostMortem.yamlString(title)), "date": .html(today.description),
        ]
        var files: [(path: String, resource: String, rendered: Bool)] = [
            ("hindsight.yml", "hindsight.yml", true),
            ("README.md", "README.md", true),
            (".gitignore", "gitignore", false),
            ("Content/\(today.year)/\(today)-example-search-timeouts.md", "example.md", true),
        ]
        if ci == .github || ci == .both { files.append((".github/workflows/hindsight.yml", "github-workflow.yml", false)) }
        if ci == .gitlab || ci == .both { files.append((".gitlab-ci.yml", "gitlab-ci.yml", false)) }

        var result = Result()
        let fm = FileManager.default
        for file in files {
            guard let data = fm.contents(atPath: resources.appendingPathComponent(file.resource).path) else {
                throw AuthoringError("the archive scaffold has no \(file.resource)")
            }
            var text = String(decoding: data, as: UTF8.self)
            if file.resource == "github-workflow.yml" {
                // Not a template: the workflow's own `${{ }}` expressions would read as Mustache tags.
                text = text.replacingOccurrences(of: actionPlaceholder, with: action)
            }
            if file.rendered {
                text = try TemplateLibrary(sources: ["file": text], path: { _ in "scaffold/" + file.resource }).render("file", context)
            }
            let url = root.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                result.written.append(file.path)
            } catch where fm.fileExists(atPath: url.path) {
                result.kept.append(file.path)
            }
        }
        return result
    }
}
