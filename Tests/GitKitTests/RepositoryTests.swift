import Foundation
import GitKit
import TestSupport
import Testing

@Suite("Repository")
struct RepositoryTests {
    @Test("resolves revisions and reads files from the object database")
    func readsAtRevision() throws {
        let repo = try TemporaryRepository()
        let first = try repo.commit(["Content/a.md": "first", "README.md": "hi"], message: "Add a")
        let second = try repo.commit(["Content/a.md": "second"], message: "Change a")

        let head = try repo.repository.commit("HEAD")
        #expect(head.id == second)
        #expect(head.parents == [first])
        #expect(head.summary == "Change a")
        #expect(try repo.repository.commit("HEAD~1").id == first)
        #expect(try repo.repository.commit(first.hex).id == first)

        let old = try #require(try repo.repository.file(at: "Content/a.md", in: first))
        #expect(String(decoding: old, as: UTF8.self) == "first")
        let new = try #require(try repo.repository.file(at: "Content/a.md", in: second))
        #expect(String(decoding: new, as: UTF8.self) == "second")
        #expect(try repo.repository.file(at: "Content/missing.md", in: second) == nil)
    }

    @Test("lists a folder recursively with kinds and blob ids")
    func listsEntries() throws {
        let repo = try TemporaryRepository()
        let id = try repo.commit(["Content/2024/a.md": "a", "Content/b.md": "b", "Other/c.md": "c"])
        let entries = try repo.repository.entries(in: id, under: "Content")
        let files = entries.filter { $0.kind == .file }.map(\.path).sorted()
        #expect(files == ["Content/2024/a.md", "Content/b.md"])
        #expect(entries.contains { $0.path == "Content/2024" && $0.kind == .tree })
        let blob = try #require(entries.first { $0.path == "Content/b.md" })
        #expect(String(decoding: try repo.repository.blob(blob.id), as: UTF8.self) == "b")
        #expect(try repo.repository.entries(in: id, under: "Nope").isEmpty)
    }

    @Test("reads a bare clone the same way")
    func bareClone() throws {
        let repo = try TemporaryRepository()
        let id = try repo.commit(["Content/a.md": "a"])
        let bare = try Repository.open(at: try repo.bareClone().path)
        #expect(bare.isBare)
        #expect(bare.workdir == nil)
        #expect(try bare.commit("HEAD").id == id)
        #expect(try bare.entries(in: id, under: "Content").map(\.path) == ["Content/a.md"])
    }

    @Test("reports a folder that is not a repository, a missing revision and an empty repository")
    func errors() throws {
        let folder = try TemporaryFolder()
        #expect(throws: GitError.self) { try Repository.open(at: folder.url.path) }
        do {
            _ = try Repository.open(at: folder.url.path)
        } catch let error as GitError {
            #expect(error.kind == .notARepository)
        }

        let empty = try TemporaryRepository()
        do {
            _ = try empty.repository.commit("HEAD")
            Issue.record("an empty repository has no HEAD commit")
        } catch let error as GitError {
            #expect(error.kind == .emptyRepository)
        }

        try empty.commit(["a.md": "a"])
        do {
            _ = try empty.repository.commit("no-such-branch")
            Issue.record("a missing revision must throw")
        } catch let error as GitError {
            #expect(error.kind == .revisionNotFound)
            #expect(error.description.contains("no-such-branch"))
        }
    }

    @Test("object ids round-trip through hex")
    func objectIDs() throws {
        let repo = try TemporaryRepository()
        let id = try repo.commit(["a.md": "a"])
        #expect(id.hex.count == 40)
        #expect(ObjectID(hex: id.hex) == id)
        #expect(id.short == String(id.hex.prefix(7)))
        #expect(ObjectID(hex: "xyz") == nil)
    }
}
