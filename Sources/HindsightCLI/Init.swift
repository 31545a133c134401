import ArgumentParser
import Foundation
import GitKit
import HindsightSite

/// `hindsight init`: a new archive repository, ready for its first post-mortem.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new post-mortem archive.",
        discussion: """
            Writes hindsight.yml, Content/ with one example post-mortem, a README, a .gitignore and the CI \
            workflow files (GitHub Actions: check pull requests, preview, publish to GitHub Pages on merge; or \
            GitLab CI with GitLab Pages), and creates a Git repository there when the folder is not in one yet. \
            Existing files are never overwritten.

            The GitHub workflow runs Hindsight's GitHub Action: --action OWNER/REPO@REF names the repository \
            and the tag or commit to build Hindsight from. Without it the workflow says YOUR-ORG/hindsight@v1, \
            a placeholder to replace before the first run.

            Exit status: 0 done, 1 the folder cannot be written, 2 bad usage.
            """)

    /// Which CI system's files to write.
    enum CIChoice: String, ExpressibleByArgument, CaseIterable {
        case github, gitlab, both, none
    }

    @Argument(help: ArgumentHelp("The archive's folder (default: here); created if missing.", valueName: "dir"))
    var directory: String = "."

    @Option(help: ArgumentHelp("The site's title (default: the folder's name).", valueName: "title"))
    var title: String?

    @Option(help: ArgumentHelp("CI files to write: github, gitlab, both or none.", valueName: "ci"))
    var ci: CIChoice = .github

    @Option(help: ArgumentHelp(
        "The Hindsight action the GitHub workflow uses (default: the placeholder YOUR-ORG/hindsight@v1).",
        valueName: "owner/repo@ref"))
    var action: String?

    func validate() throws {
        if let action, ArchiveScaffold.isActionReference(action) == false {
            throw ValidationError("--action takes OWNER/REPO@REF (e.g. acme/hindsight@v1), not '\(action)'")
        }
    }

    func run() throws {
        let console = Console()
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let name = root.lastPathComponent.isEmpty ? "Post-mortems" : root.lastPathComponent
            let result = try ArchiveScaffold.create(
                at: root, title: title ?? "\(name) post-mortems", ci: ArchiveScaffold.CI(rawValue: ci.rawValue) ?? .github,
                today: New.today(), action: action ?? ArchiveScaffold.actionPlaceholder)
            for path in result.written { print("  created  \(path)") }
            for path in result.kept { print("  kept     \(path) (exists)") }

            var createdRepository = false
            do {
                _ = try Repository.open(at: root.path)
            } catch let error as GitError where error.kind == .notARepository {
                _ = try Repository.create(at: root.path)
                createdRepository = true
            }
            if createdRepository { print("  created  a Git repository (.git)") }
            console.summary("Started a post-mortem archive in \(root.path)")
            print("Next:")
            if action == nil, result.written.contains(".github/workflows/hindsight.yml") {
                print("  replace \(ArchiveScaffold.actionPlaceholder) in .github/workflows/hindsight.yml with the Hindsight repository you build from")
            }
            if directory != "." { print("  cd \(directory)") }
            print("  git add . && git commit -m \"Start the post-mortem archive\"")
            print("  hindsight new \"Checkout errors after deploy\" --severity SEV2 --service checkout")
            print("  hindsight serve --drafts")
        } catch {
            console.error(String(describing: error))
            throw ExitCode(1)
        }
    }
}
