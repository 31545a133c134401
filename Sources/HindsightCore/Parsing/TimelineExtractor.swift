import CommonMarkKit
import Foundation

/// Reads the timeline: a table (time first), a list or code block of `HH:MM - event` lines, or one `###` per event.
struct TimelineExtractor {
    let place: (MarkdownNode) -> SourceLocation
    /// How numeric dates are read (`date_order`); nil reads them month first and notes the ambiguous ones.
    var order: DateOrder?
    /// The zone the section's heading names ("Timeline (all times PST)"), for times that name none.
    var zone: TimeText.Zone?

    /// An entry before dates are resolved.
    struct RawEntry {
        var time: TimeText?
        var event: String
        var location: SourceLocation
        var zone: TimeText.Zone?
        /// A date that heads the entries after it (`### March 3` over a list, a `9 Jan` line), not an event.
        var isDateLine = false

        init(time: TimeText?, event: String, location: SourceLocation, zone: TimeText.Zone? = nil, isDateLine: Bool = false) {
            self.time = time
            self.event = event
            self.location = location
            self.zone = zone
            self.isDateLine = isDateLine
        }
    }

    /// The zone a sentence such as "All times in PST" or "Times are UTC." names, if the paragraph is one.
    static func zone(inSentence text: String) -> TimeText.Zone? {
        guard text.utf8.count <= 160,
            text.containsUTF8("times", caseInsensitive: true) || text.containsUTF8("time zone", caseInsensitive: true)
                || text.containsUTF8("timezone", caseInsensitive: true)
        else { return nil }
        return zone(inHeading: text)
    }

    /// The zone a timeline heading names: "Timeline (all times PST)", "Timeline (UTC)", "Timeline, times in CET".
    static func zone(inHeading heading: String) -> TimeText.Zone? {
        var best: TimeText.Zone?
        for word in heading.split(whereSeparator: { !$0.isLetter }) where word.count >= 2 && word.count <= 5 {
            guard word == word.uppercased(), let zone = TimeText.zone(named: word) else { continue }
            best = zone
        }
        return best
    }

    /// The one zone `texts` name right after a time ("2 AM PST", "12:15 UTC"); nil when they name none, or
    /// more than one.
    static func zone(besideTimesIn texts: [String]) -> TimeText.Zone? {
        var found: TimeText.Zone?
        for text in texts where text.contains(where: \.isNumber) {
            let words = text.split(whereSeparator: \.isWhitespace).map { $0.trimmingPunctuation() }
            for index in words.indices.dropFirst() {
                let word = words[index]
                guard word.count >= 2, word.count <= 5, word == word.uppercased(), let zone = TimeText.zone(named: word) else {
                    continue
                }
                let before = words[index - 1].lowercased()
                guard before.last?.isNumber == true || before == "am" || before == "pm" else { continue }
                if let found, found != zone { return nil }
                found = zone
            }
        }
        return found
    }

    /// Entries of `blocks`, each carrying the zone in force where it is written: the section heading's, or a
    /// later "All times in PST" line's.
    func extractEntries(_ blocks: [MarkdownNode]) -> [RawEntry] {
        var zone = self.zone
        var entries: [RawEntry] = []
        var start = 0
        for (index, block) in blocks.enumerated() where block.kind == .paragraph {
            guard let stated = Self.zone(inSentence: block.plainText) else { continue }
            entries += extract(Array(blocks[start..<index])).map { $0.inZone(zone) }
            zone = stated
            start = index + 1
        }
        entries += extract(Array(blocks[start...])).map { $0.inZone(zone) }
        return entries
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
                // A list in which nothing is a time ("**Root causes:**" and its bullets) is not part of the timeline.
                let listed = block.children.compactMap { entry(from: firstLine(of: $0), at: place($0)) }
                if listed.contains(where: { $0.time != nil }) { entries += listed }
            case .codeBlock:
                var location = place(block)
                for (offset, line) in block.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let trimmed = line.trimmedWhitespace()
                    if trimmed.isEmpty { continue }
                    location = place(block)
                    location.line += offset + 1
                    // Entries indented into a code block keep their list markers ("    - 2016-06-06 10:30 …").
                    var line = trimmed[...]
                    for marker in ["- ", "* ", "+ "] where line.hasPrefix(marker) { line = line.dropFirst(2) }
                    if let scanned = TimeText.scan(line, order: order) {
                        entries.append(RawEntry(time: scanned.0, event: String(scanned.rest), location: location))
                    } else if var last = entries.last {
                        // A continuation line belongs to the entry above it.
                        last.event += " " + trimmed
                        entries[entries.count - 1] = last
                    }
                }
            case .heading:
                // "### 14:32 — Deploy starts", then paragraphs describing it. Template braces
                // ("### {{ 06:10 }}") are not part of the time.
                let heading = SectionLayout.text(of: block).replacingOccurrences(of: "{{", with: "")
                    .replacingOccurrences(of: "}}", with: "").trimmedWhitespace()
                var details: [String] = []
                var next = index + 1
                var groupsEntries = false
                while next < blocks.count, blocks[next].headingLevel == nil {
                    if blocks[next].kind == .paragraph { details.append(blocks[next].plainText) }
                    if details.isEmpty, case .codeBlock = blocks[next].kind,
                        let first = blocks[next].literal.split(separator: "\n").first
                    {
                        details.append(first.trimmedWhitespace())
                    }
                    if case .list = blocks[next].kind { groupsEntries = true }
                    if blocks[next].kind == .table { groupsEntries = true }
                    next += 1
                }
                if let scanned = TimeText.scan(heading[...], order: order) {
                    if groupsEntries, scanned.0.secondsOfDay == nil {
                        // "### October 24, 2025 - Rate limiting" over a list of times: the list's date.
                        entries.append(RawEntry(time: scanned.0, event: "", location: place(block), isDateLine: true))
                        break
                    }
                    let event = ([String(scanned.rest)] + details).filter { $0.isEmpty == false }.joined(separator: " — ")
                    entries.append(RawEntry(time: scanned.0, event: event, location: place(block)))
                    index = next
                    continue
                }
                // In a timeline of one heading per event, a heading without a time before timed ones ("### Over
                // spring break week", then "### 2017-04-03 11:32") is an event too; one after them is commentary.
                if groupsEntries == false, heading.isEmpty == false, timedHeading(in: blocks[next...]) {
                    let event = ([heading] + details).joined(separator: " — ")
                    entries.append(RawEntry(time: nil, event: event, location: place(block)))
                    index = next
                    continue
                }
            case .paragraph:
                // Lines of "14:32 - event" written as one paragraph; a line that is only a date ("9 Jan")
                // dates the entries after it.
                for (line, node) in lines(of: block) {
                    if let scanned = TimeText.scan(line[...], order: order) {
                        let dateLine = scanned.0.secondsOfDay == nil && scanned.rest.trimmedWhitespace().isEmpty
                        entries.append(RawEntry(
                            time: scanned.0, event: String(scanned.rest), location: place(node), isDateLine: dateLine))
                    }
                }
            default:
                break
            }
            index += 1
        }
        return entries
    }

    /// Whether a heading among `blocks` is a time: the timeline is written one heading per event.
    private func timedHeading(in blocks: ArraySlice<MarkdownNode>) -> Bool {
        blocks.contains { $0.headingLevel != nil && TimeText.scan(SectionLayout.text(of: $0)[...], order: order) != nil }
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
            if let scanned = TimeText.scan(timeText[...], order: order) {
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
        if let scanned = TimeText.scan(trimmed[...], order: order) {
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
    static func resolve(_ raw: [RawEntry], incidentDay: Day?, zone: TimeText.Zone? = nil) -> [TimelineEntry] {
        var day = incidentDay ?? raw.lazy.compactMap { $0.time?.day }.first
        var previousSeconds: Int?
        // A timeline that writes a zone on some entries ("02:00 PST") means it for the ones that write none.
        var writtenZone = raw.lazy.compactMap { $0.time?.zone }.first
        var out: [TimelineEntry] = []
        for entry in raw {
            if entry.isDateLine {
                if let explicit = entry.time?.day(year: day?.year ?? incidentDay?.year) {
                    day = explicit
                    previousSeconds = nil
                }
                continue
            }
            guard var time = entry.time else {
                out.append(TimelineEntry(time: "", timestamp: nil, event: entry.event, location: entry.location))
                continue
            }
            if let zone = time.zone { writtenZone = zone }
            // "March 3" takes the year of the entries before it, else of the incident.
            if let explicit = time.day(year: day?.year ?? incidentDay?.year) {
                day = explicit
                previousSeconds = time.secondsOfDay
            } else if var seconds = time.secondsOfDay {
                // Only a late-evening time followed by an early-morning one crosses midnight; a
                // slightly earlier time is an entry written out of order, not the next day.
                if let previous = previousSeconds, previous >= 18 * 3600, seconds < 6 * 3600, let current = day {
                    day = current.next
                } else if let previous = previousSeconds, time.twelveHour, previous >= 12 * 3600, previous < 18 * 3600,
                    seconds < 12 * 3600, seconds + 12 * 3600 >= previous
                {
                    // "12:58", then "1:52": a twelve-hour clock in the afternoon.
                    seconds += 12 * 3600
                    time.secondsOfDay = seconds
                }
                previousSeconds = seconds
            }
            let instant = time.secondsOfDay == nil ? nil : time.instant(defaultDay: day, defaultZone: entry.zone ?? writtenZone ?? zone)
            out.append(TimelineEntry(time: time.raw, timestamp: instant, event: entry.event, location: entry.location))
        }
        return out
    }
}

extension TimelineExtractor.RawEntry {
    /// The entry with `zone` as its zone.
    func inZone(_ zone: TimeText.Zone?) -> Self {
        var entry = self
        entry.zone = zone
        return entry
    }
}

extension TimeText {
    /// Text that is not a time, kept as written.
    init(raw: String) {
        self.init(raw: raw, day: nil, secondsOfDay: nil, zone: nil)
    }
}

extension Substring {
    /// Without brackets and punctuation around it: "(PST)," → "PST".
    func trimmingPunctuation() -> String {
        String(self).trimmedWhitespace(and: "()[],.;:!?\"'")
    }
}
