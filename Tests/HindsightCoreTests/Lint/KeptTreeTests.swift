import Foundation
import Testing

@testable import HindsightCore

/// `hindsight check` parses each body once: the parse stage keeps the tree, and the rules read it.
@Suite("Lint reads the parse stage's tree")
struct KeptTreeTests {
    static let text = """
        ---
        title: Queue outage
        ---
        # Queue outage

        # Timeline

        - 10:00 Alert fires

        ## Day two

        - 11:00 Fixed

        # Action items

        - [ ] Add alerting — SRE Team
        """

    @Test("the check's archive keeps every body's tree, and the rules see the parser's sections from it")
    func keptTree() throws {
        let file = sourceFile("Content/2024-03-05-queue.md", Self.text)
        let snapshot = SourceSnapshot(
            revision: nil, origin: "test", configuration: Configuration(), files: [file], themeFiles: [:], histories: [:],
            diagnostics: [])
        var options = ArchiveOptions(includeDrafts: true, renderHTML: false)
        options.keepsBodyTrees = true
        let (archive, _) = try ArchiveBuilder.build(snapshot, options: options) { _ in [:] }
        let tree = try #require(archive.bodyTrees[file.path])
        let pm = try #require(archive.postMortems.first)
        let kept = LintDocument(path: file.path, data: file.data, postMortem: pm, tree: tree)
        let parsed = LintDocument(path: file.path, data: file.data, postMortem: pm)
        #expect(kept.blocks.map(\.text) == parsed.blocks.map(\.text))
        // `# Timeline` with its `## Day two`, then `# Action items`: the parser's two sections, not three.
        #expect(kept.sections.map(\.kind) == [.timeline, .actionItems])
        #expect(kept.sections.map(\.kind) == pm.sections.map(\.kind))
    }
}
