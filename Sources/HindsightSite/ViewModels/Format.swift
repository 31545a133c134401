import Foundation
import HindsightCore

/// Display formats shared by the pages.
enum Format {
    static func day(_ date: Date) -> String { Day(utc: date).description }

    /// `2024-03-05 14:02 UTC`.
    static func instant(_ date: Date) -> String {
        let day = Day(utc: date)
        let seconds = Int(date.timeIntervalSince(day.startDate))
        return "\(day.description) \(two(seconds / 3600)):\(two((seconds % 3600) / 60)) UTC"
    }

    /// ISO 8601 in UTC, seconds precision.
    static func iso(_ date: Date) -> String {
        let day = Day(utc: date)
        let seconds = Int(date.timeIntervalSince(day.startDate))
        return "\(day.description)T\(two(seconds / 3600)):\(two((seconds % 3600) / 60)):\(two(seconds % 60))Z"
    }

    /// Two digits, zero-padded.
    private static func two(_ value: Int) -> String { Day.padded(value, 2) }

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
