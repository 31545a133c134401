import Foundation

/// The search index's two largest kinds of JSON, written straight to bytes: a shard,
/// `{"terms":{"term":[docDelta,weight,…],…}}`, and the facet table.
///
/// A whole index is two hundred shards, an edit that moves a post-mortem's length to another step of the length
/// grid makes a quarter of them again, and the facet table is made on every rebuild. Both shapes are fixed and
/// hold only texts and integers, so what an encoder adds (reflection, boxing every number) buys nothing here
/// (docs/performance.md has what JSONEncoder cost). Keys are written sorted, as JSONEncoder's `.sortedKeys` does; the test suite checks that both
/// read back as JSONEncoder's output does.
struct CompactJSON {
    private(set) var bytes: [UInt8] = []

    /// A shard's JSON, terms sorted as `SearchIndexBuilder.postingsBytes` sorts them.
    static func postings(_ terms: [String: [Int32]]) -> Data {
        var json = CompactJSON()
        json.bytes.reserveCapacity(16 + terms.reduce(0) { $0 + $1.key.utf8.count + 4 + $1.value.count * 4 })
        json.raw(#"{"terms":{"#)
        for (number, (term, list)) in terms.sorted(by: { $0.key < $1.key }).enumerated() {
            if number > 0 { json.raw(",") }
            json.string(term)
            json.raw(":")
            json.integers(list)
        }
        json.raw("}}")
        return Data(json.bytes)
    }

    /// The facet table's JSON.
    static func facets(_ table: SearchIndexBuilder.FacetTable) -> Data {
        var json = CompactJSON()
        let (docs, values) = (table.docs, table.values)
        json.bytes.reserveCapacity(64 + docs.severity.count * 24)
        json.raw(#"{"buckets":"#)
        json.strings(table.buckets)
        json.raw(#","docs":{"near_miss":"#)
        json.integers(docs.near_miss)
        json.raw(#","service":"#)
        json.lists(docs.service)
        json.raw(#","severity":"#)
        json.integers(docs.severity)
        json.raw(#","type":"#)
        json.lists(docs.type)
        json.raw(#","year":"#)
        json.integers(docs.year)
        json.raw(#"},"values":{"service":"#)
        json.strings(values.service)
        json.raw(#","severity":"#)
        json.strings(values.severity)
        json.raw(#","type":"#)
        json.strings(values.type)
        json.raw(#","year":"#)
        json.strings(values.year)
        json.raw("}}")
        return Data(json.bytes)
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as its UTF-8.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw(#"\""#)
            case UInt8(ascii: "\\"): raw(#"\\"#)
            case 0x0A: raw(#"\n"#)
            case 0x0D: raw(#"\r"#)
            case 0x09: raw(#"\t"#)
            case ..<0x20:
                raw(#"\u00"#)
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// An integer in decimal.
    mutating func integer(_ value: some BinaryInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    private mutating func integers(_ list: [some BinaryInteger]) {
        bytes.append(UInt8(ascii: "["))
        for (place, value) in list.enumerated() {
            if place > 0 { bytes.append(UInt8(ascii: ",")) }
            integer(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func lists(_ lists: [[Int]]) {
        bytes.append(UInt8(ascii: "["))
        for (place, list) in lists.enumerated() {
            if place > 0 { bytes.append(UInt8(ascii: ",")) }
            integers(list)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func strings(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (place, text) in list.enumerated() {
            if place > 0 { bytes.append(UInt8(ascii: ",")) }
            string(text)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
