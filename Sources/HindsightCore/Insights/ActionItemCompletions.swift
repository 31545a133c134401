import Foundation
import GitKit

/// When each done action item was completed: the commit in which its status became done, read from history.
public struct ActionItemCompletions: Sendable, Hashable {
    /// Completion commits by post-mortem id, then by the item's index in the post-mortem as built.
    public var byPostMortem: [String: [Int: CommitStamp]] = [:]

    public init(byPostMortem: [String: [Int: CommitStamp]] = [:]) {
        self.byPostMortem = byPostMortem
    }

    /// The commit that completed an item, when history knows it.
    public func completed(_ postMortemID: String, item: Int) -> CommitStamp? {
        byPostMortem[postMortemID]?[item]
    }

    /// Reads completions from the first-parent history ending at `head`, with one walk for every file.
    ///
    /// Each version of a post-mortem that has a done item is parsed again; an item is matched across versions by
    /// its ticket, else its text (case and punctuation ignored), else its position when the number of items is
    /// unchanged. Its completion is the oldest commit of the unbroken run of versions, ending at `head`, in which
    /// it is done: the commit where its status last changed to done. An item written as done when the
    /// post-mortem was added is completed by that (merge) commit.
    ///
    /// `known` are the files' versions when the caller already walked the history (`SourceSnapshot.versions`).
    public static func read(
        repository: Repository, head: ObjectID, archive: Archive, versions known: [String: [FileVersion]]? = nil
    ) throws -> ActionItemCompletions {
        let candidates = archive.postMortems.filter { $0.actionItems.contains(where: \.isDone) }
        guard candidates.isEmpty == false else { return ActionItemCompletions() }
        let versions = try known ?? repository.fileVersions(under: "", paths: Set(candidates.map(\.sourcePath)), from: head)

        // Blobs are read here, on the repository's thread; the parsing runs in parallel on plain values.
        var work: [(pm: PostMortem, versions: [(FileVersion, Data)])] = []
        for pm in candidates {
            guard let list = versions[pm.sourcePath] else { continue }
            work.append((pm, try list.map { ($0, $0.blob == pm.blobID ? Data() : try repository.blob($0.blob)) }))
        }
        // Only the action items of old versions are needed: no HTML.
        let parser = DocumentParser(configuration: archive.configuration, renderHTML: false)
        let jobs = work
        let results = Parallel.map(jobs.count) { index in
            let (pm, list) = jobs[index]
            let items = list.map { version, data -> (CommitStamp, [ActionItem]) in
                // The newest version is the one built: its items are already parsed.
                if version.blob == pm.blobID { return (version.commit, pm.actionItems) }
                let file = SourceFile(path: pm.sourcePath, contentPath: pm.sourcePath, blobID: version.blob, data: data)
                return (version.commit, parser.parse(file).0?.actionItems ?? [])
            }
            return completions(of: pm.actionItems, versions: items)
        }
        var out = ActionItemCompletions()
        for (index, entry) in work.enumerated() {
            let found = results[index]
            if found.isEmpty == false { out.byPostMortem[entry.pm.id] = found }
        }
        return out
    }

    /// The completion commit of each done item of `current`, given every version's items, oldest first.
    static func completions(of current: [ActionItem], versions: [(CommitStamp, [ActionItem])]) -> [Int: CommitStamp] {
        var out: [Int: CommitStamp] = [:]
        for (index, item) in current.enumerated() where item.isDone {
            var completed: CommitStamp?
            for (stamp, items) in versions.reversed() {
                guard let match = Self.match(item, index: index, currentCount: current.count, in: items), match.isDone
                else { break }
                completed = stamp
            }
            if let completed { out[index] = completed }
        }
        return out
    }

    static func match(_ item: ActionItem, index: Int, currentCount: Int, in items: [ActionItem]) -> ActionItem? {
        if let ticket = item.ticket, let found = items.first(where: { $0.ticket == ticket }) { return found }
        let key = Self.key(item.text)
        if let found = items.first(where: { Self.key($0.text) == key }) { return found }
        if items.count == currentCount, index < items.count { return items[index] }
        return nil
    }

    static func key(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
