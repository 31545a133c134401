import Foundation
import GitKit
import TestSupport
import Testing

@Suite("History walk")
struct HistoryTests {
    @Test("created, updated and revisions for every file from one walk")
    func createdUpdatedRevisions() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let repo = try TemporaryRepository(start: start)
        let c1 = try repo.commit(["Content/a.md": "a1", "Content/b.md": "b1"], at: start)
        let c2 = try repo.commit(["Content/a.md": "a2", "README.md": "x"], at: start.addingTimeInterval(100))
        let c3 = try repo.commit(["Content/sub/c.md": "c1"], at: start.addingTimeInterval(200))
        let c4 = try repo.commit(["Content/a.md": "a3"], at: start.addingTimeInterval(300))
        _ = try repo.commit(["README.md": "y"], at: start.addingTimeInterval(400))

        let paths: Set = ["Content/a.md", "Content/b.md", "Content/sub/c.md"]
        let history = try repo.repository.fileHistories(
            under: "Content", paths: paths, from: try repo.repository.commit("HEAD").id)

        let a = try #require(history["Content/a.md"])
        #expect(a.created.id == c1)
        #expect(a.updated.id == c4)
        #expect(a.revisions == 3)
        #expect(a.created.time == start)
        #expect(a.updated.time == start.addingTimeInterval(300))

        let b = try #require(history["Content/b.md"])
        #expect(b.created.id == c1 && b.updated.id == c1 && b.revisions == 1)

        let c = try #require(history["Content/sub/c.md"])
        #expect(c.created.id == c3 && c.updated.id == c3 && c.revisions == 1)
        _ = c2
    }

    @Test("a file deleted and added again dates from its re-addition")
    func readdedFile() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/a.md": "v1"])
        try repo.commit(["Content/a.md": nil, "Content/b.md": "b"])
        let readd = try repo.commit(["Content/a.md": "v2"])
        let history = try repo.repository.fileHistories(
            under: "Content", paths: ["Content/a.md"], from: readd)
        #expect(history["Content/a.md"]?.created.id == readd)
        #expect(history["Content/a.md"]?.revisions == 1)
    }

    @Test("the history at an older revision ignores later commits")
    func olderRevision() throws {
        let repo = try TemporaryRepository()
        let c1 = try repo.commit(["Content/a.md": "1"])
        let c2 = try repo.commit(["Content/a.md": "2"])
        try repo.commit(["Content/a.md": "3"])
        let history = try repo.repository.fileHistories(under: "Content", paths: ["Content/a.md"], from: c2)
        #expect(history["Content/a.md"]?.created.id == c1)
        #expect(history["Content/a.md"]?.updated.id == c2)
        #expect(history["Content/a.md"]?.revisions == 2)
    }

    @Test("a content folder at the repository root works")
    func rootFolder() throws {
        let repo = try TemporaryRepository()
        let c1 = try repo.commit(["a.md": "1", "x/b.md": "b"])
        let c2 = try repo.commit(["x/b.md": "b2"])
        let history = try repo.repository.fileHistories(under: "", paths: ["a.md", "x/b.md"], from: c2)
        #expect(history["a.md"]?.updated.id == c1)
        #expect(history["x/b.md"]?.updated.id == c2)
        #expect(history["x/b.md"]?.revisions == 2)
    }
}

@Suite("History walk over a long history")
struct LongHistoryTests {
    /// 150 commits of additions, edits, deletions and re-additions in nested folders: the walk (read in
    /// chunks, compared on every core) finds the same versions as reading every commit's tree in order.
    @Test("the walk agrees with every commit's tree, read one by one, and a resumed walk agrees with both")
    func agreesWithEveryTree() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let repo = try TemporaryRepository(start: start)
        var state: UInt64 = 7
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let paths = (0..<40).map { "Content/\(2019 + $0 % 4)/\($0 % 3 == 0 ? "deep/" : "")pm-\($0).md" }
        var present = Set<String>()
        var line: [ObjectID] = []
        for step in 0..<150 {
            var files: [String: String?] = ["README.md": "step \(step)"]
            for _ in 0..<(1 + random(3)) {
                let path = paths[random(paths.count)]
                if present.contains(path), random(5) == 0 {
                    files[path] = .some(nil)
                    present.remove(path)
                } else {
                    files[path] = "\(path) at step \(step)"
                    present.insert(path)
                }
            }
            line.append(try repo.commit(files, at: start.addingTimeInterval(Double(step) * 60)))
        }

        // The reference: each commit's files, compared with the commit before.
        var expected: [String: [ObjectID]] = [:]
        var previous: [String: ObjectID] = [:]
        for commit in line {
            let blobs = Dictionary(
                try repo.repository.entries(in: commit, under: "Content").filter { $0.kind == .file }.map { ($0.path, $0.id) },
                uniquingKeysWith: { a, _ in a })
            for (path, blob) in blobs where previous[path] != blob {
                if previous[path] == nil { expected[path] = [commit] } else { expected[path, default: []].append(commit) }
            }
            previous = blobs
        }
        let wanted = Set(previous.keys)
        #expect(wanted.count > 10)

        let head = try #require(line.last)
        let walked = try repo.repository.fileVersions(under: "Content", paths: wanted, from: head)
        #expect(walked.mapValues { $0.map(\.commit.id) } == expected.filter { wanted.contains($0.key) })

        // Resumed from the 90th commit with what a walk there found: the same answer.
        let middle = line[89]
        let atMiddle = Set(try repo.repository.entries(in: middle, under: "Content").filter { $0.kind == .file }.map(\.path))
        let known = try repo.repository.fileVersions(under: "Content", paths: atMiddle, from: middle)
        let resumed = try #require(
            try repo.repository.fileVersions(under: "Content", paths: wanted, from: head, continuing: known, at: middle))
        #expect(resumed == walked)
    }
}
