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
    /// With a `cache`, a post-mortem whose versions and current action items are those of the last build takes
    /// its completions from it, without reading or parsing its old versions.
    public static func read(
        repository: Repository, head: ObjectID, archive: Archive, versions known: [String: [FileVersion]]? = nil,
        cache: CacheFile? = nil
    ) throws -> ActionItemCompletions {
        let candidates = archive.postMortems.filter { $0.actionItems.contains(where: \.isDone) }
        guard candidates.isEmpty == false else { return ActionItemCompletions() }
        let versions = try known ?? repository.fileVersions(under: "", paths: Set(candidates.map(\.sourcePath)), from: head)
        // Only the action items of old versions are needed: no HTML.
        let parser = DocumentParser(configuration: archive.configuration, renderHTML: false)

        var out = ActionItemCompletions()
        // Blobs are read here, on the repository's thread; the parsing runs in parallel on plain values. An old
        // version's items are cached by its blob, so a post-mortem edited again parses only its new version.
        var work: [(pm: PostMortem, versions: [(FileVersion, OldVersion)], key: ObjectID?)] = []
        for pm in candidates {
            guard let list = versions[pm.sourcePath] else { continue }
            let key = cache == nil ? nil : Self.key(pm, versions: list, parser: parser)
            if let cache, let key, let hit = cache.entry(key), let found = Self.decode(hit.bytes) {
                cache.append(key, hit.bytes, checksum: hit.checksum)
                if found.isEmpty == false { out.byPostMortem[pm.id] = found }
                continue
            }
            work.append((pm, try list.map { version in
                let itemsKey = cache == nil ? nil : Self.key(version: version.blob, parser: parser)
                // The newest version is the one built: its items are already parsed (and kept, for its next edit).
                if version.blob == pm.blobID {
                    if let cache, let itemsKey { cache.append(itemsKey, Self.encode(pm.actionItems)) }
                    return (version, .items(pm.actionItems))
                }
                if let cache, let itemsKey, let hit = cache.entry(itemsKey), let items = Self.decodeItems(hit.bytes) {
                    cache.append(itemsKey, hit.bytes, checksum: hit.checksum)
                    return (version, .items(items))
                }
                return (version, .unparsed(try repository.blob(version.blob), key: itemsKey))
            }, key))
        }
        let jobs = work
        let results = Parallel.map(jobs.count) { index in
            let (pm, list, _) = jobs[index]
            let items = list.map { version, old -> (CommitStamp, [ActionItem]) in
                switch old {
                case .items(let items): return (version.commit, items)
                case .unparsed(let data, let key):
                    let file = SourceFile(path: pm.sourcePath, contentPath: pm.sourcePath, blobID: version.blob, data: data)
                    let items = parser.parse(file).0?.actionItems ?? []
                    if let cache, let key { cache.append(key, Self.encode(items)) }
                    return (version.commit, items)
                }
            }
            return completions(of: pm.actionItems, versions: items)
        }
        for (index, entry) in work.enumerated() {
            let found = results[index]
            if let cache, let key = entry.key { cache.append(key, Self.encode(found)) }
            if found.isEmpty == false { out.byPostMortem[entry.pm.id] = found }
        }
        cache?.finish()
        return out
    }

    /// An old version of a post-mortem: its action items (the current version's, or cached), or its bytes to parse
    /// and the key to keep its items under.
    private enum OldVersion {
        case items([ActionItem])
        case unparsed(Data, key: ObjectID?)
    }

    /// The key of one old version's action items: its blob and how it is parsed.
    static func key(version blob: ObjectID, parser: DocumentParser) -> ObjectID? {
        var writer = BinaryWriter()
        writer.string("version-items-1")
        writer.string(blob.hex)
        writer.string(parser.identityKey)
        return ContentKey.of(writer.buffer)
    }

    /// What matching reads of an old version's items: text, status, ticket.
    static func encode(_ items: [ActionItem]) -> Data {
        var writer = BinaryWriter()
        writer.varint(items.count)
        for item in items {
            writer.string(item.text)
            writer.string(item.status)
            writer.bool(item.ticket != nil)
            writer.string(item.ticket ?? "")
        }
        return writer.data
    }

    static func decodeItems(_ bytes: Data) -> [ActionItem]? {
        var reader = BinaryReader(bytes)
        var items: [ActionItem] = []
        for _ in 0..<reader.count() {
            let text = reader.string(), status = reader.string(), hasTicket = reader.bool(), ticket = reader.string()
            items.append(ActionItem(text: text, status: status, ticket: hasTicket ? ticket : nil, location: SourceLocation(path: "")))
        }
        return reader.failed || reader.atEnd == false ? nil : items
    }

    /// The key (`ContentKey`) of everything a post-mortem's completions are found from: its versions (commits, times,
    /// blobs), how old versions are parsed, and its current action items.
    static func key(_ pm: PostMortem, versions: [FileVersion], parser: DocumentParser) -> ObjectID? {
        var writer = BinaryWriter()
        writer.string("completions-1")
        writer.string(pm.sourcePath)
        writer.string(pm.blobID?.hex ?? "")
        writer.string(parser.identityKey)
        writer.varint(versions.count)
        for version in versions {
            writer.string(version.commit.id.hex)
            writer.double(version.commit.time.timeIntervalSince1970)
            writer.string(version.blob.hex)
        }
        writer.varint(pm.actionItems.count)
        for item in pm.actionItems {
            writer.string(item.text)
            writer.string(item.status)
            writer.bool(item.ticket != nil)
            writer.string(item.ticket ?? "")
        }
        return ContentKey.of(writer.buffer)
    }

    static func encode(_ found: [Int: CommitStamp]) -> Data {
        var writer = BinaryWriter()
        writer.varint(found.count)
        for (index, stamp) in found.sorted(by: { $0.key < $1.key }) {
            writer.varint(index)
            writer.string(stamp.id.hex)
            writer.double(stamp.time.timeIntervalSince1970)
        }
        return writer.data
    }

    static func decode(_ bytes: Data) -> [Int: CommitStamp]? {
        var reader = BinaryReader(bytes)
        var found: [Int: CommitStamp] = [:]
        for _ in 0..<reader.count() {
            let index = reader.varint()
            guard let id = ObjectID(hex: reader.string()) else { return nil }
            found[index] = CommitStamp(id: id, time: Date(timeIntervalSince1970: reader.double()))
        }
        return reader.failed || reader.atEnd == false ? nil : found
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
