import Foundation
import HindsightCore

/// Display formats shared by the pages.
enum Format {
    static func day(_ date: Date) -> String { day(Day(utc: date)) }

    /// `2024-03-05` (`Day.description`), written in place: every card, link and fact shows a day.
    static func day(_ day: Day) -> String {
        guard (0...9999).contains(day.year) else { return day.description }
        return String(unsafeUninitializedCapacity: 10) { out in
            write(day, into: out)
            return 10
        }
    }

    /// `2024-03-05 14:02 UTC`.
    static func instant(_ date: Date) -> String {
        let (day, seconds) = split(date)
        guard (0...9999).contains(day.year), (0..<86_400).contains(seconds) else {
            return "\(day.description) \(two(seconds / 3600)):\(two((seconds % 3600) / 60)) UTC"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            write(day, into: out)
            write(" ", seconds / 3600, ":", (seconds % 3600) / 60, at: 10, into: out)
            for (offset, byte) in " UTC".utf8.enumerated() { out[16 + offset] = byte }
            return 20
        }
    }

    /// ISO 8601 in UTC, seconds precision.
    static func iso(_ date: Date) -> String {
        let (day, seconds) = split(date)
        guard (0...9999).contains(day.year), (0..<86_400).contains(seconds) else {
            return "\(day.description)T\(two(seconds / 3600)):\(two((seconds % 3600) / 60)):\(two(seconds % 60))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            write(day, into: out)
            write("T", seconds / 3600, ":", (seconds % 3600) / 60, at: 10, into: out)
            write(":", seconds % 60, at: 16, into: out)
            out[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// The UTC day of `date` and the whole seconds since its start.
    private static func split(_ date: Date) -> (Day, Int) {
        let day = Day(utc: date)
        return (day, Int(date.timeIntervalSince(day.startDate)))
    }

    /// `YYYY-MM-DD` into `out[0..<10]`, for a year of at most four digits.
    private static func write(_ day: Day, into out: UnsafeMutableBufferPointer<UInt8>) {
        digits(day.year, 4, at: 0, into: out)
        out[4] = UInt8(ascii: "-")
        digits(day.month, 2, at: 5, into: out)
        out[7] = UInt8(ascii: "-")
        digits(day.day, 2, at: 8, into: out)
    }

    /// `separator`, `first` in two digits, `colon`, `second` in two digits, from `start`.
    private static func write(
        _ separator: Unicode.Scalar, _ first: Int, _ colon: Unicode.Scalar, _ second: Int, at start: Int,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        out[start] = UInt8(separator.value)
        digits(first, 2, at: start + 1, into: out)
        write(colon, second, at: start + 3, into: out)
    }

    /// `separator` and `value` in two digits, from `start`.
    private static func write(_ separator: Unicode.Scalar, _ value: Int, at start: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        out[start] = UInt8(separator.value)
        digits(value, 2, at: start + 1, into: out)
    }

    /// `value` (0 or more, with at most `width` digits) zero-padded to `width` digits from `start`.
    private static func digits(_ value: Int, _ width: Int, at start: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Two digits, zero-padded.
    private static func two(_ value: Int) -> String { Day.padded(value, 2) }

    /// `Normalise.slug`, remembered (it depends on the name alone): every card and post-mortem page links its
    /// services, severity, tags and factor types, a few hundred names across an archive.
    static func slug(_ name: String) -> String { slugs.slug(name) }

    private static let slugs = Slugs()

    private final class Slugs: @unchecked Sendable {
        private var known: [String: String] = [:]
        private let lock = NSLock()

        func slug(_ name: String) -> String {
            if let slug = lock.withLock({ known[name] }) { return slug }
            let slug = Normalise.slug(name)
            lock.withLock { known[name] = slug }
            return slug
        }
    }

    /// `1 h 25 min`, `3 d 4 h`, `12 min`.
    static func duration(minutes: Int) -> String {
        if minutes < 0 { return "−" + duration(minutes: -minutes) }
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 {
            let rest = minutes % 60
            return rest == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(rest) min"
        }
        let hours = (minutes / 60) % 24
        return hours == 0 ? "\(minutes / 1440) d" : "\(minutes / 1440) d \(hours) h"
    }

    /// The first `limit` characters, cut at a word, with an ellipsis.
    static func excerpt(_ text: String, limit: Int) -> String {
        // ASCII without line breaks (most summaries): one Character per byte, so bytes are cut and trimmed
        // directly; every post-mortem page has an excerpt, and walking Characters is slow.
        guard text.utf8.allSatisfy({ $0 < 0x80 && ($0 < 0x0A || $0 > 0x0D) }) else {
            return excerptCharacters(text, limit: limit)
        }
        guard text.utf8.count > limit else { return text }
        var cut = Array(text.utf8.prefix(limit))
        if let space = cut.lastIndex(of: UInt8(ascii: " ")) { cut.removeSubrange(space...) }
        var (start, end) = (0, cut.count)
        while start < end, asciiExcerptEnds[Int(cut[start])] { start += 1 }
        while end > start, asciiExcerptEnds[Int(cut[end - 1])] { end -= 1 }
        return String(decoding: cut[start..<end], as: UTF8.self) + "…"
    }

    /// `excerpt` by Characters, for any text.
    static func excerptCharacters(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        var cut = String(flat.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: excerptEnds) + "…"
    }

    /// What an excerpt does not end with (made once: a union of character sets is costly, and every page has one).
    private static let excerptEnds = CharacterSet.punctuationCharacters.union(.whitespaces)
    /// `excerptEnds` for each ASCII byte.
    private static let asciiExcerptEnds = (0..<128).map { excerptEnds.contains(Unicode.Scalar(UInt8($0))) }
}

extension Optional<String> {
    /// The text, or nil when there is none or it is empty: a view model shows no empty value (false in a section).
    var nonEmpty: String? { flatMap { $0.isEmpty ? nil : $0 } }
}
