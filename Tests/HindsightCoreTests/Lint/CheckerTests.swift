import Foundation
import GitKit
import TestSupport
import Testing

@testable import HindsightCore

@Suite("Checking a real repository")
struct CheckerTests {
    let clean = LintHarness.document()
    let blameful = LintHarness.document(summary: "Obviously this was human error.")

    @Test("people are read from the commit authors, through .mailmap, without bots")
    func authors() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["README.md": "archive"], author: "Alice Jones", email: "alice@example.org")
        try repo.commit(["a.txt": "a"], author: "Alice Jones", email: "alice@example.org")
        try repo.commit(["b.txt": "b"], author: "ajones", email: "alice@old.example.org")
        try repo.commit(["c.txt": "c"], author: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com")
        let head = try repo.commit([".mailmap": "Alice Jones <alice@example.org> ajones <alice@old.example.org>\n"], author: "Bob Smith", email: "bob@example.org")
        let authors = try repo.repository.authors(from: head)
        #expect(authors.map(\.name) == ["Alice Jones", "Bob Smith", "dependabot[bot]"])
        #expect(authors.first?.commits == 3)
        let people = PeopleDirectory(authors: authors, configured: [], allowed: [])
        #expect(people.names == ["Alice", "Jones", "Bob", "Smith"])
        #expect(people.handles.contains("alice"))
        #expect(people.namesPerson("Bob") && people.namesPerson("alice@example.org") && people.namesPerson("@carol"))
        #expect(people.namesPerson("Platform Team") == false)
    }

    @Test("the merge base and the files changed since it, by tree comparison")
    func changes() throws {
        let repo = try TemporaryRepository()
        let base = try repo.commit(["Content/a.md": clean, "Content/b.md": clean])
        let main = try repo.currentBranch
        try repo.createBranch("feature", at: base)
        let mainHead = try repo.commit(["Content/main-only.md": clean])
        try repo.switchBranch("feature")
        let feature = try repo.commit(["Content/b.md": blameful, "Content/c.md": clean, "Content/main-only.md": nil])
        try repo.switchBranch(main)

        let git = repo.repository
        #expect(try git.mergeBase(mainHead, feature) == base)
        #expect(try git.changedPaths(from: base, to: feature) == ["Content/b.md", "Content/c.md"])
        #expect(try git.blobID(hashing: Data(clean.utf8)) == git.blobIDs(in: base, under: "Content")["Content/a.md"])
    }

    @Test("--changed-since checks only what the branch added or changed, with every file as context")
    func changedSince() throws {
        let repo = try TemporaryRepository()
        let base = try repo.commit(["Content/a.md": blameful, "Content/b.md": clean])
        let main = try repo.currentBranch
        try repo.createBranch("feature", at: base)
        try repo.commit(["Content/main-only.md": blameful])
        try repo.switchBranch("feature")
        try repo.commit([
            "Content/c.md": LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-04\nrelated: [b, gone]"),
            "Content/main-only.md": nil,
        ])
        let report = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "feature"), changedSince: main))
        #expect(report.result.checkedPaths == ["Content/c.md"])
        #expect(report.result.findings.map(\.ruleID) == ["schema/related"])
        #expect(report.mergeBase == base)

        let all = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "feature")))
        #expect(all.result.checkedPaths == ["Content/a.md", "Content/b.md", "Content/c.md"])
    }

    @Test("a post-mortem with no date of its own is dated by the commit that added it, whatever is checked")
    func datedByHistory() throws {
        // `check` reads no history up front and walks it only for such files: the result must not change.
        let undated = LintHarness.document(frontMatter: "severity: SEV3\nstatus: published")
        let repo = try TemporaryRepository()
        let base = try repo.commit(["Content/old.md": undated, "Content/dated.md": clean])
        try repo.commit(["Content/dated.md": blameful])
        try repo.commit(["Content/new.md": undated])
        let requests = [
            CheckRequest(source: .git(repository: repo.path, revision: "HEAD")),
            CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), changedSince: base.hex),
            CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), paths: ["Content/old.md"], workingDirectory: repo.path),
            CheckRequest(source: .worktree(root: repo.path)),
        ]
        for request in requests {
            let report = try Checker.run(request)
            #expect(report.result.checkedPaths.isEmpty == false)
            #expect(report.result.findings.contains { $0.ruleID == "completeness/date" } == false, "\(request.paths) \(request.changedSince ?? "")")
            // The commit dates the file, and the check says so, as information.
            let fallback = report.result.findings.filter { $0.ruleID == "completeness/date-fallback" }
            #expect(fallback.isEmpty == false && fallback.allSatisfy { $0.severity == .info }, "\(request.paths)")
            #expect(report.result.findings.contains { $0.ruleID == "completeness/date-fallback" && $0.location?.path == "Content/dated.md" } == false)
        }
        let changed = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), changedSince: base.hex))
        #expect(changed.result.checkedPaths == ["Content/dated.md", "Content/new.md"])
        #expect(changed.result.findings.map(\.ruleID).contains("blame/language"))

        // Not committed yet, nothing dates it.
        try repo.write("Content/draft.md", undated)
        let draft = try Checker.run(CheckRequest(source: .worktree(root: repo.path), paths: ["Content/draft.md"], workingDirectory: repo.path))
        #expect(draft.result.findings.map(\.ruleID) == ["completeness/date"])
    }

    @Test("files that are not checked still claim their ids: a duplicate of one is an error, a link to one resolves")
    func uncheckedFilesCount() throws {
        // The files not reported on are read for their front matter only.
        let repo = try TemporaryRepository()
        let base = try repo.commit([
            "Content/a.md": LintHarness.document(frontMatter: "id: checkout-outage\nseverity: SEV3\ndate: 2025-03-04"),
            "Content/b.md": blameful,
        ])
        try repo.commit([
            "Content/c.md": LintHarness.document(frontMatter: "id: checkout-outage\nseverity: SEV3\ndate: 2025-03-05"),
            "Content/d.md": LintHarness.document(frontMatter: "severity: SEV3\ndate: 2025-03-06\nrelated: [b, checkout-outage, gone]"),
        ])
        let report = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), changedSince: base.hex))
        #expect(report.result.checkedPaths == ["Content/c.md", "Content/d.md"])
        let byFile = Dictionary(grouping: report.result.findings) { $0.location?.path ?? "" }.mapValues { $0.map(\.ruleID) }
        #expect(byFile["Content/c.md"] == ["schema/duplicate-id"])
        #expect(report.result.findings.first { $0.ruleID == "schema/duplicate-id" }?.message.contains("Content/a.md") == true)
        #expect(byFile["Content/d.md"] == ["schema/related"])
        #expect(report.result.findings.first { $0.ruleID == "schema/related" }?.message.contains("'gone'") == true)
    }

    @Test("a change to hindsight.yml checks every file")
    func configChanged() throws {
        let repo = try TemporaryRepository()
        let base = try repo.commit(["Content/a.md": blameful, "Content/b.md": clean])
        try repo.commit(["hindsight.yml": "check:\n  rules:\n    blame/language: error\n"])
        let report = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), changedSince: base.hex))
        #expect(report.result.checkedPaths == ["Content/a.md", "Content/b.md"])
        #expect(report.result.findings.first { $0.ruleID == "blame/language" }?.severity == .error)
    }

    @Test("the working tree: uncommitted edits count as changes; paths select files")
    func worktree() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": clean, "Content/b.md": clean, "Content/2025/c.md": clean])
        try repo.write("Content/b.md", blameful)
        let changed = try Checker.run(CheckRequest(source: .worktree(root: repo.path), changedSince: "HEAD"))
        #expect(changed.result.checkedPaths == ["Content/b.md"])
        #expect(changed.result.findings.count == 2)

        let folder = try Checker.run(CheckRequest(source: .worktree(root: repo.path), paths: ["Content/2025"], workingDirectory: repo.path))
        #expect(folder.result.checkedPaths == ["Content/2025/c.md"])
        let relative = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), paths: ["2025/c.md"], workingDirectory: repo.url.appendingPathComponent("Content").path))
        #expect(relative.result.checkedPaths == ["Content/2025/c.md"])
    }

    @Test("requests that cannot be carried out say why")
    func usageErrors() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": clean])
        #expect(throws: CheckUsageError.self) {
            try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), paths: ["Content/nope.md"]))
        }
        do {
            _ = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"), changedSince: "origin/main"))
            Issue.record("expected an error")
        } catch let error as CheckUsageError {
            #expect(error.description.contains("revision 'origin/main' does not exist"))
            #expect(error.description.contains("fetch-depth: 0"))
        }
    }

    @Test("commit authors named in the text are people; people_from_history: false turns that off")
    func authorsInText() throws {
        let repo = try TemporaryRepository()
        let text = LintHarness.document(summary: "Alice deployed the wrong config change on Friday.")
        try repo.commit(["Content/a.md": text], author: "Alice Jones", email: "alice@example.org")
        let report = try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD")))
        #expect(report.result.findings.map(\.ruleID) == ["blame/person"])
        try repo.commit(["hindsight.yml": "check:\n  people_from_history: false\n"], author: "Alice Jones", email: "alice@example.org")
        #expect(try Checker.run(CheckRequest(source: .git(repository: repo.path, revision: "HEAD"))).result.findings.isEmpty)
    }
}
