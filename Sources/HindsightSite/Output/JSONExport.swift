import Foundation
import GitKit
import HindsightCore

/// `/api/postmortems.json`: the whole parsed archive for other tools, with a fixed set of keys.
enum JSONExport {
    /// The export as an output file.
    ///
    /// With a `cache`, the file's layout (each entry's key and place, `Entry.key`) is kept for the next build; when
    /// the `previous` site still holds the file that layout describes, the entries whose key is unchanged are
    /// copied from it as ranges (`OutputFile.spliced`) and only the others are encoded: an edit changes one entry
    /// of 10,000, and the whole file is linked when none changed. Only post-mortems with a parse key
    /// (`Archive.parseKeys`) have a key.
    static func file(
        _ archive: Archive, generator: String, insights: Insights?, cache: CacheFile?, previous: PreviousSite
    ) throws -> OutputFile {
        let insights = insights ?? Insights.compute(archive)
        let postMortems = archive.postMortems
        let keys: [ObjectID?] = cache == nil ? Array(repeating: nil, count: postMortems.count) : Parallel.map(postMortems.count) { index in
            archive.parseKeys[postMortems[index].sourcePath].flatMap { Entry(postMortems[index], insights: insights).key(parseKey: $0) }
        }
        let last = cache.flatMap { Layout.read(from: $0, previous: previous) }
        let found = keys.map { key in key.flatMap { last?.places[$0] } }
        let encoded = try Parallel.map(postMortems.count) { index -> Data? in
            found[index] == nil ? try encoder().encode(Entry(postMortems[index], insights: insights)) : nil
        }
        var head = try encoder().encode(Header(generator: generator, commit: archive.revision?.id.hex))
        head.removeLast()  // the closing brace: "postmortems" sorts after the header's keys
        head.append(contentsOf: Array(",\"postmortems\":[".utf8))

        // The pieces, with runs of entries that were neighbours in the last file copied as one range (with the
        // commas between them); each entry's place in the new file, for the next build.
        var pieces: [OutputFile.Piece] = [.bytes(head)]
        let comma = Data(",".utf8)
        var layout = Layout(head: head, total: 0, entries: [])
        var size = head.count
        var run: (start: Int, end: Int, index: Int)?
        func flush() {
            if let current = run { pieces.append(.previous(offset: current.start, count: current.end - current.start)) }
            run = nil
        }
        for index in postMortems.indices {
            let separator = index > 0 ? 1 : 0
            let length: Int
            if let place = found[index] {
                if let current = run, place.index == current.index + 1 {
                    run = (current.start, place.offset + place.length, place.index)
                } else {
                    flush()
                    if separator == 1 { pieces.append(.bytes(Data(",".utf8))) }
                    run = (place.offset, place.offset + place.length, place.index)
                }
                length = place.length
            } else {
                flush()
                let bytes = encoded[index]!
                // The entry's own bytes, not a copy with its comma: a cold build holds every entry at once.
                if separator == 1 { pieces.append(.bytes(comma)) }
                pieces.append(.bytes(bytes))
                length = bytes.count
            }
            size += separator
            if let key = keys[index] { layout.entries.append((key, size, length)) }
            size += length
        }
        flush()
        pieces.append(.bytes(Data("]}".utf8)))
        size += 2
        layout.total = size
        if let cache {
            layout.write(to: cache)
            cache.finish()
        }

        // Nothing changed, not even the header: the last file as it is.
        if let last, last.head == head, last.total == size, pieces.count == 3, case .previous(let offset, let count) = pieces[1],
            offset == head.count, count == size - head.count - 2, let reused = previous.file(SiteURLs.Path.api)
        {
            return reused
        }
        if pieces.contains(where: { if case .previous = $0 { true } else { false } }) {
            return .spliced(SiteURLs.Path.api, pieces)
        }
        var out = Data(capacity: size)
        for case .bytes(let bytes) in pieces { out.append(bytes) }
        pieces.removeAll()
        return OutputFile(path: SiteURLs.Path.api, data: out)
    }

    /// Where each entry of the last export is: the export cache's one entry.
    struct Layout {
        /// The bytes before the first entry (the header and the array's opening).
        var head: Data
        /// The file's size.
        var total: Int
        /// Each keyed entry's key, offset and length, in file order.
        var entries: [(key: ObjectID, offset: Int, length: Int)]

        /// The entries by key, with their position in the file.
        var places: [ObjectID: (offset: Int, length: Int, index: Int)] {
            var places: [ObjectID: (offset: Int, length: Int, index: Int)] = [:]
            for (index, entry) in entries.enumerated() { places[entry.key] = (entry.offset, entry.length, index) }
            return places
        }

        /// The cache key the layout is kept under.
        static let key = ContentKey.of(Array("export-layout-1".utf8))

        /// The last build's layout, if `previous` still holds the file it describes (by its size: the previous
        /// site is trusted as the page cache trusts it).
        static func read(from cache: CacheFile, previous: PreviousSite) -> (head: Data, total: Int, places: [ObjectID: (offset: Int, length: Int, index: Int)])? {
            guard let bytes = cache.entry(key)?.bytes, let site = previous.path else { return nil }
            var reader = BinaryReader(bytes)
            let head = Data(reader.bytes(reader.varint())), total = reader.varint()
            var layout = Layout(head: head, total: total, entries: [])
            for _ in 0..<reader.count() {
                guard let key = ObjectID(hex: reader.string()) else { return nil }
                let offset = reader.varint(), length = reader.varint()
                guard offset >= head.count, length >= 0, offset + length <= total else { return nil }
                layout.entries.append((key, offset, length))
            }
            guard reader.failed == false, reader.atEnd,
                SiteWriter.regularFileSize(site + "/" + SiteURLs.Path.api) == total
            else { return nil }
            return (head, total, layout.places)
        }

        func write(to cache: CacheFile) {
            var writer = BinaryWriter()
            writer.bytes(head)
            writer.varint(total)
            writer.varint(entries.count)
            for entry in entries {
                writer.string(entry.key.hex)
                writer.varint(entry.offset)
                writer.varint(entry.length)
            }
            cache.append(Self.key, writer.data)
        }
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The export's keys other than `postmortems`.
    struct Header: Encodable {
        let generator: String
        let commit: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(generator, forKey: "generator")
            try c.encode(commit, forKey: "commit")
        }
    }

    /// Nulls are written out: every key is always present.
    struct Entry: Encodable {
        let pm: PostMortem
        let insights: Insights

        init(_ pm: PostMortem, insights: Insights) {
            self.pm = pm
            self.insights = insights
        }

        /// The key (`ContentKey`) of everything `encode(to:)` writes: the post-mortem's parse key, which names all it was
        /// made from, and what the insights add to it. The export cache's key; nil if hashing fails.
        func key(parseKey: ObjectID) -> ObjectID? {
            var writer = BinaryWriter()
            writer.string("export-2")
            writer.string(parseKey.hex)
            // When each done item was completed, and the repeats.
            for (index, item) in pm.actionItems.enumerated() where item.isDone {
                let completed = insights.completions.completed(pm.id, item: index)
                writer.varint(index)
                writer.optional(completed?.id.hex)
                writer.double(completed?.time.timeIntervalSince1970 ?? 0)
            }
            let repeats = insights.similar(to: pm.id)
            writer.varint(repeats.count)
            for entry in repeats {
                for text in [entry.id, entry.reason.kind, entry.reason.text] { writer.string(text) }
            }
            return ContentKey.of(writer.buffer)
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(pm.id, forKey: "id")
            try c.encode(pm.title, forKey: "title")
            try c.encode("/" + SiteURLs.Path.postMortem(pm.id), forKey: "url")
            try c.encode(pm.sourcePath, forKey: "source")
            try c.encode(pm.date?.description, forKey: "date")
            try c.encode(pm.severity, forKey: "severity")
            try c.encode(pm.status.rawValue, forKey: "status")
            try c.encode(pm.nearMiss, forKey: "near_miss")
            try c.encode(pm.services, forKey: "services")
            try c.encode(pm.tags, forKey: "tags")
            try c.encode(pm.sourceURL, forKey: "source_url")

            var times = c.nestedContainer(keyedBy: Key.self, forKey: "times")
            try times.encode(pm.times.started.map(Format.iso), forKey: "started")
            try times.encode(pm.times.detected.map(Format.iso), forKey: "detected")
            try times.encode(pm.times.acknowledged.map(Format.iso), forKey: "acknowledged")
            try times.encode(pm.times.mitigated.map(Format.iso), forKey: "mitigated")
            try times.encode(pm.times.resolved.map(Format.iso), forKey: "resolved")

            // From the timestamps when both ends are known, else as the file states them.
            var durations = c.nestedContainer(keyedBy: Key.self, forKey: "durations_minutes")
            try durations.encode(pm.times.minutesToDetect, forKey: "to_detect")
            try durations.encode(pm.times.minutesToRepair, forKey: "to_repair")
            try durations.encode(pm.times.minutesToResolve, forKey: "to_resolve")

            // Where each fact was read: front matter, a labelled bullet, a section, the title, the file name, or a
            // fallback (the timeline, the start time, the commit).
            var origins = c.nestedContainer(keyedBy: Key.self, forKey: "origins")
            for (fact, origin) in pm.origins.sorted(by: { $0.key < $1.key }) {
                try origins.encode(origin.rawValue, forKey: Key(stringValue: fact.rawValue))
            }

            var factors = c.nestedUnkeyedContainer(forKey: "factors")
            for factor in pm.factors {
                var f = factors.nestedContainer(keyedBy: Key.self)
                try f.encode(factor.text, forKey: "text")
                try f.encode(factor.type, forKey: "type")
                try f.encode(factor.contribution, forKey: "contribution")
            }

            var actions = c.nestedUnkeyedContainer(forKey: "action_items")
            for (index, item) in pm.actionItems.enumerated() {
                var a = actions.nestedContainer(keyedBy: Key.self)
                try a.encode(item.text, forKey: "text")
                try a.encode(item.owner, forKey: "owner")
                try a.encode(item.priority, forKey: "priority")
                try a.encode(item.status, forKey: "status")
                // When the item's status became done, read from history (null when open or unknown).
                let completed = item.isDone ? insights.completions.completed(pm.id, item: index) : nil
                try a.encode(completed.map { Format.iso($0.time) }, forKey: "completed")
                try a.encode(completed?.id.hex, forKey: "completed_commit")
            }

            // Repeat incidents both ways: explicit links and inferred ones, with the reason.
            var repeats = c.nestedUnkeyedContainer(forKey: "repeats")
            for entry in insights.similar(to: pm.id) {
                var r = repeats.nestedContainer(keyedBy: Key.self)
                try r.encode(entry.id, forKey: "id")
                try r.encode(entry.reason.kind, forKey: "kind")
                try r.encode(entry.reason.text, forKey: "reason")
            }

            var timeline = c.nestedUnkeyedContainer(forKey: "timeline")
            for entry in pm.timeline {
                var t = timeline.nestedContainer(keyedBy: Key.self)
                try t.encode(entry.time, forKey: "time")
                try t.encode(entry.timestamp.map(Format.iso), forKey: "timestamp")
                try t.encode(entry.event, forKey: "event")
            }

            var history = c.nestedContainer(keyedBy: Key.self, forKey: "history")
            try history.encode(pm.history.map { Format.iso($0.created.time) }, forKey: "created")
            try history.encode(pm.history.map { Format.iso($0.updated.time) }, forKey: "updated")
            try history.encode(pm.history?.revisions ?? 0, forKey: "revisions")
            try history.encode(pm.history?.created.id.hex, forKey: "created_commit")
            try history.encode(pm.history?.updated.id.hex, forKey: "updated_commit")
        }
    }

    /// String-literal coding keys.
    struct Key: CodingKey, ExpressibleByStringLiteral {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(stringLiteral value: String) { self.stringValue = value }
    }
}
