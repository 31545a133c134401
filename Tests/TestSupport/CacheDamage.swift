import Foundation

/// Damaged copies of a cache file, which a build must ignore: empty, garbage, cut in the middle and at the end,
/// and one byte changed just past the header (inside the first entry), in the middle and inside the index.
public func damagedCopies(of good: Data) -> [Data] {
    var copies = [Data(), Data("garbage".utf8), good.prefix(good.count / 2), good.dropLast(3)]
    let headerEnd = good.firstIndex(of: UInt8(ascii: "\n")) ?? good.startIndex
    for offset in [headerEnd + 12, good.count / 2, good.count - 12] where good.indices.contains(offset) {
        var flipped = good
        flipped[offset] ^= 0x5A
        copies.append(flipped)
    }
    return copies
}
