import Foundation
import GitKit
import HindsightCore

/// `/api/postmortems.json`: the whole parsed archive for other tools, with a fixed set of keys.
enum JSONExport {
    /// `{"commit": …, "generator": …, "postmortems": [ … ]}`, keys sorted.
    ///
    /// Each entry is encoded on its own, in parallel, and the array is joined from their bytes: the encoder
    /// never holds ten thousand entries at once (its intermediate values were a tenth of a large build's memory).
    /// With a `cache`, an entry whose inputs are unchanged since the last build is taken from it (`Entry.key`);
    /// only entries whose post-mortem has a parse key (`Archive.parseKeys`) are cached.
    static func render(_ archive: Archive, generator: String, insights: Insights? = nil, cache: CacheFile? = nil) throws -> Data {
        let insights = insights ?? Insights.compute(archive)
        let postMortems = archive.postMortems
        let entries = try Parallel.map(postMortems.count) { index in
            let entry = Entry(postMortems[index], insights: insights)
            guard let cache, let parseKey = archive.parseKeys[entry.pm.sourcePath], let key = entry.key(parseKey: parseKey)
            else { return try encoder().encode(entry) }
            if let hit = cache.entry(key) {
                cache.append(key, hit.bytes, checksum: hit.checksum)
                return hit.bytes
            }
            let bytes = try encoder().encode(entry)
            cache.append(key, bytes)
            return bytes
        }
        cache?.finish()
        var head = try encoder().encode(Header(generator: generator, commit: archive.revision?.id.hex))
        head.removeLast()  // the closing brace: "postmortems" sorts after the header's keys
        var out = head
        out.append(contentsOf: Array(",\"postmortems\":[".utf8))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(entry)
        }
        out.append(contentsOf: Array("]}".utf8))
        return out
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

        /// The Git blob id of everything `encode(to:)` writes: the post-mortem's parse key, which names all it was
        /// made from, and what the insights add to it. The export cache's key; nil if hashing fails.
        func key(parseKey: ObjectID) -> ObjectID? {
            var writer = BinaryWriter()
            writer.string("export-1")
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
            return try? Repository.blobID(hashing: writer.data)
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

            var times = c.nestedContainer(keyedBy: Key.self, forKey: "times")
            try times.encode(pm.times.started.map(Format.iso), forKey: "started")
            try times.encode(pm.times.detected.map(Format.iso), forKey: "detected")
            try times.encode(pm.times.acknowledged.map(Format.iso), forKey: "acknowledged")
            try times.encode(pm.times.mitigated.map(Format.iso), forKey: "mitigated")
            try times.encode(pm.times.resolved.map(Format.iso), forKey: "resolved")

            var durations = c.nestedContainer(keyedBy: Key.self, forKey: "durations_minutes")
            try durations.encode(pm.times.minutesToDetect, forKey: "to_detect")
            try durations.encode(pm.times.minutesToResolve, forKey: "to_resolve")

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
