import Foundation
import GitKit

extension RepeatDetector {
    /// `links` and their `chains`, from `cache` when the last build found them from the same inputs; kept there
    /// for the next build either way.
    ///
    /// Repeat detection reads only a few fields of each post-mortem (`inputsKey`), which an edit to its prose
    /// leaves as they were, and it was the longest step of a rebuild's insights.
    static func linksAndChains(
        _ postMortems: [PostMortem], settings: InsightsSettings, cache: CacheFile?
    ) -> (links: [RepeatLink], chains: [[String]], key: ObjectID?) {
        let key = cache == nil ? nil : inputsKey(postMortems, settings: settings)
        if let cache, let key, let hit = cache.entry(key), let found = decode(hit.bytes) {
            cache.append(key, hit.bytes, checksum: hit.checksum)
            cache.finish()
            return (found.links, found.chains, key)
        }
        let links = self.links(postMortems, settings: settings)
        let found = (links: links, chains: chains(links, postMortems: postMortems))
        if let cache, let key {
            cache.append(key, encode(found))
            cache.finish()
        }
        return (found.links, found.chains, key)
    }

    /// The key (`ContentKey`) of everything `links` and `chains` read: each post-mortem's id, incident and merge dates,
    /// services, factors (type and text) and related ids, in archive order, and the settings.
    static func inputsKey(_ postMortems: [PostMortem], settings: InsightsSettings) -> ObjectID? {
        var writer = BinaryWriter()
        writer.string("repeats-1")
        writer.varint(settings.repeatWindowDays)
        writer.double(settings.similarity)
        writer.varint(postMortems.count)
        for pm in postMortems {
            writer.string(pm.id)
            writer.optional(pm.date?.description)
            writer.double(pm.history?.created.time.timeIntervalSince1970 ?? .nan)
            writer.varint(pm.services.count)
            for service in pm.services { writer.string(service) }
            writer.varint(pm.factors.count)
            for factor in pm.factors {
                writer.string(factor.type)
                writer.string(factor.text)
            }
            writer.varint(pm.related.count)
            for id in pm.related { writer.string(id) }
        }
        return ContentKey.of(writer.buffer)
    }

    static func encode(_ found: (links: [RepeatLink], chains: [[String]])) -> Data {
        var writer = BinaryWriter()
        writer.varint(found.links.count)
        for link in found.links {
            writer.string(link.earlier)
            writer.string(link.later)
            switch link.reason {
            case .linked:
                writer.varint(0)
            case .sharedServiceAndFactorType(let service, let factorType, let days):
                writer.varint(1)
                writer.string(service)
                writer.string(factorType)
                writer.varint(days)
            case .similarFactors(let earlier, let later, let percent):
                writer.varint(2)
                writer.string(earlier)
                writer.string(later)
                writer.varint(percent)
            }
        }
        writer.varint(found.chains.count)
        for chain in found.chains {
            writer.varint(chain.count)
            for id in chain { writer.string(id) }
        }
        return writer.data
    }

    /// Links and chains from their bytes; nil when they do not read back whole.
    static func decode(_ bytes: Data) -> (links: [RepeatLink], chains: [[String]])? {
        var reader = BinaryReader(bytes)
        var links: [RepeatLink] = []
        for _ in 0..<reader.count() {
            let earlier = reader.string(), later = reader.string()
            let reason: RepeatReason
            switch reader.varint() {
            case 0: reason = .linked
            case 1: reason = .sharedServiceAndFactorType(service: reader.string(), factorType: reader.string(), days: reader.varint())
            case 2: reason = .similarFactors(earlier: reader.string(), later: reader.string(), percent: reader.varint())
            default: return nil
            }
            if reader.failed { return nil }
            links.append(RepeatLink(earlier: earlier, later: later, reason: reason))
        }
        var chains: [[String]] = []
        for _ in 0..<reader.count() {
            var chain: [String] = []
            for _ in 0..<reader.count() { chain.append(reader.string()) }
            if reader.failed { return nil }
            chains.append(chain)
        }
        return reader.failed || reader.atEnd == false ? nil : (links, chains)
    }
}
