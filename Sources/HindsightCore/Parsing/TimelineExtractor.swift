import CommonMarkKit
import Foundation

/// Reads the timeline: a table (time first), a list or code block of `HH:MM - event` lines, or one `###` per event.
struct TimelineExtractor {
    let place: (MarkdownNode) -> SourceLocation

    /// An entry before dates are resolved.
    struct RawEntry {
        var time: TimeText?
        var event: String
        var location: SourceLocation
    }

    func extract(_ blocks: [MarkdownNode]) -> [RawEntry] {
        var entries: [RawEntry] = []
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            switch block.kind {
            case .table:
                entries += fromTable(block)
            case .list:
                for item in block.children {
                    let text = firstLine(of: item)
                    if let entry = entry(from: text, at: place(item)) { entries.append(entry) }
                }
            case .codeBlock:
                var location = place(block)
                for (offset, line) in block.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let trimmed = line.trimmedWhitespace()
                    if trimmed.isEmpty { continue }
                    location = place(block)
                    location.line += offset + 1
                    if let scanned = TimeText.scan(trimmed[...]) {
                        entries.append(RawEntry(time: scanned.0, event: String(scanned.rest), location: location))
                    } else if var last = entries.last {
                        // A continuation line belongs to the entry above it.
                        last.event += " " + trimmed
                        entries[entries.count - 1] = last
                    }
                }
            case .heading:
                // "### 14:32 — Deploy starts", then paragraphs describing it.
                let heading = block.plainText.trimmedWhitespace()
                var details: [String] = []
                var next = index + 1
                while next < blocks.count, blocks[next].headingLevel == nil {
                    if blocks[next].kind == .paragraph { details.append(blocks[next].plainText) }
                    next += 1
                }
                if let scanned = TimeText.scan(heading[...]) {
                    let event = ([String(scanned.rest)] + details).filter { $0.isEmpty == false }.joined(separator: " — ")
                    entries.append(RawEntry(time: scanned.0, event: event, location: place(block)))
                    index = next
                    continue
                }
            case .paragraph:
                // Lines of "14:32 - event" written as one paragraph.
                for (line, node) in lines(of: block) {
                    if let scanned = TimeText.scan(line[...]) {
                        entries.append(RawEntry(time: scanned.0, event: String(scanned.rest), location: place(node)))
                    }
                }
            default:
                break
            }
            index += 1
        }
        return entries
    }

    private func fromTable(_ table: MarkdownNode) -> [RawEntry] {
        let reader = TableReader(table)
        let timeColumn = reader.column(["time", "time (utc)", "timestamp", "when", "date/time", "datetime", "date and time", "date"]) ?? 0
        // "| Date | Time | Event |": the date column's text goes before the time.
        let dateColumn = reader.column(["date", "day"]).flatMap { $0 == timeColumn ? nil : $0 }
        let eventColumn = reader.column([
            "event", "events", "description", "what happened", "what", "action", "activity", "details", "update",
        ]) ?? reader.headers.indices.first { $0 != timeColumn } ?? 1
        var out: [RawEntry] = []
        for (row, line) in zip(reader.rows, reader.rowLines) {
            guard timeColumn < row.count else { continue }
            var timeText = row[timeColumn].text
            if let dateColumn, dateColumn < row.count, row[dateColumn].text.isEmpty == false {
                timeText = row[dateColumn].text + " " + timeText
            }
            let event = eventColumn < row.count ? row[eventColumn].text : ""
            var location = place(table)
            location.line += line - table.line
            if let scanned = TimeText.scan(timeText[...]) {
                var time = scanned.0
                if scanned.rest.isEmpty == false { time.raw = timeText }
                out.append(RawEntry(time: time, event: event, location: location))
            } else if timeText.isEmpty == false || event.isEmpty == false {
                out.append(RawEntry(time: TimeText(raw: timeText), event: event, location: location))
            }
        }
        return out
    }

    private func entry(from text: String, at location: SourceLocation) -> RawEntry? {
        let trimmed = text.trimmedWhitespace()
        if trimmed.isEmpty { return nil }
        if let scanned = TimeText.scan(trimmed[...]) {
            return RawEntry(time: scanned.0, event: String(scanned.rest), location: location)
        }
        return RawEntry(time: nil, event: trimmed, location: location)
    }

    /// The first paragraph of a list item, as text.
    private func firstLine(of item: MarkdownNode) -> String {
        item.children.first { $0.kind == .paragraph }?.plainText ?? item.plainText
    }

    /// A paragraph's lines (split at soft and hard breaks) with the node each starts at.
    private func lines(of paragraph: MarkdownNode) -> [(String, MarkdownNode)] {
        var out: [(String, MarkdownNode)] = []
        var current: [MarkdownNode] = []
        func flush() {
            guard let first = current.first else { return }
            out.append((MarkdownNode(kind: .paragraph, children: current).plainText, first))
            current = []
        }
        for child in paragraph.children {
            if child.kind == .softBreak || child.kind == .lineBreak { flush() } else { current.append(child) }
        }
        flush()
        return out
    }

    /// Gives every entry an instant where possible: dates carry forward, and a time earlier than the one
    /// before it on the same carried date is taken to have crossed midnight.
    static func resolve(_ raw: [RawEntry], incidentDay: Day?) -> [TimelineEntry] {
        var day = incidentDay ?? raw.lazy.compactMap { $0.time?.day }.first
        var previousSeconds: Int?
        var out: [TimelineEntry] = []
        for entry in raw {
            guard let time = entry.time else {
                out.append(TimelineEntry(time: "", timestamp: nil, event: entry.event, location: entry.location))
                continue
            }
            if let explicit = time.day {
                day = explicit
                previousSeconds = time.secondsOfDay
            } else if let seconds = time.secondsOfDay {
                // Only a late-evening time followed by an early-morning one crosses midnight; a
                // slightly earlier time is an entry written out of order, not the next day.
                if let previous = previousSeconds, previous >= 18 * 3600, seconds < 6 * 3600, let current = day {
                    day = current.next
                }
                previousSeconds = seconds
            }
            let instant = time.secondsOfDay == nil ? nil : time.instant(defaultDay: day)
            out.append(TimelineEntry(time: time.raw, timestamp: instant, event: entry.event, location: entry.location))
        }
        return out
    }
}

extension TimeText {
    /// Text that is not a time, kept as written.
    init(raw: String) {
        self.init(raw: raw, day: nil, secondsOfDay: nil, utcOffset: nil)
    }
}
