import CommonMarkKit
import Foundation

/// Reads facts stated as labelled bullets, as many teams' templates write them, often in a trailing `Stats`,
/// `Facts` or `Metadata` section:
///
/// - `- Time to detection: 12 minutes`, `- **Time to repair**: 0h 41m`, `- **Time to resolve:** 26h 10m (…)`
/// - `- First detected 2021-03-02 09:14`, `- Resolved: 2021-03-04 16:30` (a "Key events" list)
/// - `- Category: Networking`, `- Severity: SEV2`, `- Date: 2021-03-02`
///
/// A value is read only when all of it is one (a duration, a time, a date): a bullet that merely starts with a
/// label's words is narrative. `?`, `N/A`, `unknown`, `TBD` and `-` mean no value.
struct LabelledFacts {
    var times = IncidentTimes()
    var date: Day?
    var severity: String?
    var services: [String] = []
    var tags: [String] = []
    /// Facts read, each with where its bullet is.
    var found: [Fact: SourceLocation] = [:]

    /// What a label names.
    enum Label {
        case duration(Fact)
        case instant(Fact)
        case date, severity, services, tags
    }

    /// Labels, normalised (lowercase, single spaces, no trailing colon).
    static let labels: [String: Label] = {
        var labels: [String: Label] = [:]
        func add(_ names: [String], _ label: Label) { for name in names { labels[name] = label } }
        add(["time to detect", "time to detection", "time to discovery", "time to detect (ttd)", "ttd", "mttd",
             "detection time", "detection delay", "time until detection", "time to notice"],
            .duration(.timeToDetect))
        add(["time to repair", "time to mitigate", "time to mitigation", "time to fix", "time to repair (ttr)",
             "repair time", "mitigation time", "time until mitigation", "time to mitigate (ttm)", "ttm"],
            .duration(.timeToRepair))
        add(["time to resolve", "time to resolution", "time to recovery", "time to recover", "time to restore",
             "time to resolve (ttr)", "resolution time", "recovery time", "duration", "incident duration",
             "outage duration", "total duration", "impact duration", "total impact duration", "total downtime",
             "downtime", "length of outage"],
            .duration(.timeToResolve))
        add(["started", "start", "start time", "began", "incident start", "incident started", "impact start",
             "impact started", "issue started", "first impact"],
            .instant(.started))
        add(["detected", "first detected", "detection", "detected at", "alerted", "first alert", "first alerted",
             "first noticed", "noticed", "reported", "first reported"],
            .instant(.detected))
        add(["acknowledged", "incident declared", "declared", "incident acknowledged", "escalated", "responded"],
            .instant(.acknowledged))
        add(["mitigated", "repaired", "fixed", "mitigation", "impact mitigated", "impact ended", "workaround applied"],
            .instant(.mitigated))
        add(["resolved", "resolution", "recovered", "end", "ended", "end time", "incident resolved", "closed",
             "fully resolved", "incident ended"],
            .instant(.resolved))
        add(["date", "incident date", "date of incident", "incident day"], .date)
        add(["severity", "sev", "incident severity", "priority level"], .severity)
        add(["service", "services", "affected service", "affected services", "product", "products", "component",
             "components", "affected component", "affected components", "system", "affected systems"], .services)
        add(["category", "categories", "tags", "tag", "keywords", "type", "incident type"], .tags)
        return labels
    }()

    /// The milestone timestamps' facts.
    static let instantFacts: [Fact] = [.started, .detected, .acknowledged, .mitigated, .resolved]
    /// The stated durations' facts.
    static let durationFacts: [Fact] = [.timeToDetect, .timeToRepair, .timeToResolve]

    /// Reads every list item of `blocks` (nested lists too), and paragraphs that open with a bold label
    /// (`**Date:** January 14, 2026`).
    mutating func read(
        _ blocks: [MarkdownNode], order: DateOrder?, severities: [String], place: (MarkdownNode) -> SourceLocation
    ) {
        for block in blocks {
            if block.kind == .paragraph {
                // Each line that opens with a bold label: "**Total impact duration:** 5 hours 26 minutes".
                for line in Self.lines(of: block) where line.children.first?.kind == .strong {
                    if let (label, value) = Self.split(line) {
                        apply(label: label, value: value, order: order, severities: severities, at: place(line.children[0]))
                    }
                }
                continue
            }
            guard case .list = block.kind else { continue }
            for item in block.children {
                guard let paragraph = item.children.first(where: { $0.kind == .paragraph }),
                    let line = Self.lines(of: paragraph).first
                else { continue }
                if let (label, value) = Self.split(line) {
                    apply(label: label, value: value, order: order, severities: severities, at: place(item))
                }
                read(item.children.filter { if case .list = $0.kind { return true } else { return false } },
                     order: order, severities: severities, place: place)
            }
        }
    }

    /// A paragraph's lines (split at soft and hard breaks), each as a paragraph of its own.
    static func lines(of paragraph: MarkdownNode) -> [MarkdownNode] {
        var out: [MarkdownNode] = []
        var current: [MarkdownNode] = []
        for child in paragraph.children {
            if child.kind == .softBreak || child.kind == .lineBreak {
                if current.isEmpty == false { out.append(MarkdownNode(kind: .paragraph, children: current)) }
                current = []
            } else {
                current.append(child)
            }
        }
        if current.isEmpty == false { out.append(MarkdownNode(kind: .paragraph, children: current)) }
        return out
    }

    /// A bullet's label and value: `**Label**: value`, `**Label:** value`, `Label: value`, or `Label 2021-03-02 09:14`.
    static func split(_ paragraph: MarkdownNode) -> (String, String)? {
        let children = paragraph.children
        if let first = children.first, first.kind == .strong {
            var label = first.plainText.trimmedWhitespace()
            var value = MarkdownNode(kind: .paragraph, children: Array(children.dropFirst())).plainText.trimmedWhitespace()
            if label.hasSuffix(":") {
                label.removeLast()
            } else if value.hasPrefix(":") {
                value.removeFirst()
            } else {
                return nil
            }
            return (label, value.trimmedWhitespace())
        }
        let text = paragraph.plainText.trimmedWhitespace()
        guard let firstLine = text.split(separator: "\n", maxSplits: 1).first else { return nil }
        let bytes = firstLine.utf8
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        // "Label: value": the label has no digits (so "10:02 …" is a timeline entry, not a label).
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let label = firstLine[..<colon]
            if label.utf8.contains(where: isDigit) == false, label.utf8.count <= 60, label.split(separator: " ").count <= 6 {
                return (String(label).trimmedWhitespace(), String(firstLine[firstLine.index(after: colon)...]).trimmedWhitespace())
            }
        }
        // "First detected 2021-03-02 09:14": words, then a date.
        if let digit = bytes.firstIndex(where: isDigit), firstLine.distance(from: firstLine.startIndex, to: digit) <= 40 {
            var label = firstLine[..<digit].trimmedWhitespace()
            for suffix in [" at", " on", " -", " –", " —"] where label.lowercased().hasSuffix(suffix) {
                label = String(label.dropLast(suffix.count)).trimmedWhitespace()
            }
            if label.isEmpty == false, label.split(separator: " ").count <= 4, case .instant = labels[normalise(label)] {
                return (label, String(firstLine[digit...]))
            }
        }
        return nil
    }

    static func normalise(_ label: String) -> String {
        label.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            .trimmedWhitespace(and: ":*_")
    }

    /// Whether a value says "no value".
    static func isNoValue(_ value: String) -> Bool {
        ["?", "??", "n/a", "na", "unknown", "tbd", "-", "–", "—", "none", "not known", "unclear"]
            .contains(value.lowercased().trimmedWhitespace(and: "."))
    }

    private mutating func apply(
        label raw: String, value: String, order: DateOrder?, severities: [String], at location: SourceLocation
    ) {
        guard let label = Self.labels[Self.normalise(raw)], Self.isNoValue(value) == false, value.isEmpty == false
        else { return }
        switch label {
        case .duration(let fact):
            guard times[duration: fact] == nil, let minutes = Durations.minutes(in: value) ?? Durations.minutes(between: value)
            else { return }
            times[duration: fact] = minutes
            found[fact] = location
        case .instant(let fact):
            guard times[instant: fact] == nil, let (time, rest) = TimeText.scan(value[...], order: order),
                Durations.isRemark(rest), time.day != nil, let instant = time.instant(defaultDay: nil)
            else { return }
            times[instant: fact] = instant
            found[fact] = location
        case .date:
            guard date == nil, let (time, rest) = TimeText.scan(value[...], order: order), Durations.isRemark(rest),
                let day = time.day
            else { return }
            date = day
            found[.date] = location
        case .severity:
            guard severity == nil, let match = Normalise.severity(value, scale: severities) else { return }
            severity = match
            found[.severity] = location
        case .services, .tags:
            let names = value.split(separator: ",").map { $0.trimmedWhitespace(and: ".") }
                .filter { $0.isEmpty == false && $0.count <= 60 && Normalise.slug($0).isEmpty == false }
            guard names.isEmpty == false, names.count <= 10 else { return }
            if case .services = label {
                services += names
                found[.services] = location
            } else {
                tags += names
                found[.tags] = location
            }
        }
    }
}

/// Durations written in words: `12 minutes`, `3 hours 5 minutes`, `0h 41m`, `1.5 hours`, `2 days`, `1:30`.
enum Durations {
    /// Whole minutes, or nil when the text is not a duration (a trailing remark in brackets is allowed).
    static func minutes(in text: String) -> Int? {
        var scalars = Array(text.lowercased().unicodeScalars)
        // "about", "~", "approximately" before the number are hedges, not part of the figure.
        for hedge in ["~", "about ", "approximately ", "approx. ", "approx ", "around ", "roughly ", "ca. ", "circa "] {
            let h = Array(hedge.unicodeScalars)
            if scalars.starts(with: h) { scalars.removeFirst(h.count) }
        }
        var index = 0
        var total = 0.0
        var parts = 0
        func skipBlanks() { while index < scalars.count, scalars[index] == " " || scalars[index] == "," { index += 1 } }
        skipBlanks()
        // "1:30" or "01:30:00" as hours and minutes.
        if let colon = clock(scalars, &index) {
            total = Double(colon)
            parts = 1
        }
        while parts == 0 || index < scalars.count {
            skipBlanks()
            if parts > 0 {
                // "and" between parts.
                if scalars[index...].starts(with: "and ".unicodeScalars) { index += 4; skipBlanks() }
            }
            let numberStart = index
            while index < scalars.count, scalars[index].properties.numericType != nil || scalars[index] == "." { index += 1 }
            guard index > numberStart, let number = Double(String(String.UnicodeScalarView(scalars[numberStart..<index])))
            else {
                index = numberStart
                break
            }
            while index < scalars.count, scalars[index] == " " || scalars[index] == "-" { index += 1 }
            let unitStart = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard let factor = factors[unit] else { return nil }
            total += number * factor
            parts += 1
        }
        guard parts > 0 else { return nil }
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        guard isRemark(rest[...]) else { return nil }
        return Int(total.rounded())
    }

    /// A duration written as the times it spans, `21:45 to 23:28 UTC (103 minutes)`: the bracketed figure
    /// when there is one, else the difference (across midnight when the end is earlier).
    static func minutes(between text: String) -> Int? {
        if let open = text.lastIndex(of: "("), let close = text[open...].firstIndex(of: ")"),
            let stated = minutes(in: String(text[text.index(after: open)..<close]))
        {
            return stated
        }
        guard let (from, rest) = TimeText.scan(text[...]), let start = from.secondsOfDay else { return nil }
        var tail = rest.trimmedWhitespace()[...]
        for joiner in ["to ", "until ", "till ", "- ", "– ", "— "] where tail.hasPrefix(joiner) {
            tail = tail.dropFirst(joiner.count)
            break
        }
        guard let (to, remark) = TimeText.scan(tail), let end = to.secondsOfDay, isRemark(remark) else { return nil }
        if let a = from.instant(defaultDay: from.day ?? to.day), let b = to.instant(defaultDay: to.day ?? from.day), from.day != nil || to.day != nil {
            return b > a ? Int((b.timeIntervalSince(a) / 60).rounded()) : nil
        }
        let seconds = end >= start ? end - start : end + 86_400 - start
        return seconds / 60
    }

    /// Minutes per unit.
    private static let factors: [String: Double] = [
        "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
        "d": 1440, "day": 1440, "days": 1440, "s": 1.0 / 60, "sec": 1.0 / 60, "secs": 1.0 / 60, "second": 1.0 / 60,
        "seconds": 1.0 / 60, "w": 10080, "week": 10080, "weeks": 10080,
    ]

    /// `H:MM` (or `HH:MM:SS`) standing for a duration, in minutes.
    private static func clock(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        let start = index
        func number() -> Int? {
            let from = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            return index > from && index - from <= 3 ? Int(String(String.UnicodeScalarView(scalars[from..<index]))) : nil
        }
        guard let hours = number(), index < scalars.count, scalars[index] == ":" else { index = start; return nil }
        index += 1
        guard let minutes = number(), minutes < 60 else { index = start; return nil }
        var seconds = 0
        if index < scalars.count, scalars[index] == ":" {
            index += 1
            guard let s = number() else { index = start; return nil }
            seconds = s
        }
        // "12:30 UTC" is a time of day, not a duration.
        if index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == " " {
            var peek = index
            while peek < scalars.count, scalars[peek] == " " { peek += 1 }
            if peek < scalars.count, scalars[peek].properties.isAlphabetic { index = start; return nil }
        }
        return hours * 60 + minutes + (seconds >= 30 ? 1 : 0)
    }

    /// Whether what follows a value is only a remark: nothing, punctuation, or a bracketed note.
    static func isRemark(_ rest: Substring) -> Bool {
        let trimmed = rest.trimmedWhitespace(and: ".;,")
        if trimmed.isEmpty { return true }
        return trimmed.hasPrefix("(") && trimmed.hasSuffix(")") || trimmed.hasPrefix("[") && trimmed.hasSuffix("]")
    }
}

/// Durations stated in a sentence: "an outage lasting 1 hour and 48 minutes", "fixed in about 40 minutes",
/// "went down for about 3 hours", "not detected for 17 days", "took over three hours to even notice",
/// "a 62-minute detection delay", "only went back to check 2 minutes after the deploy", a timeline entry "1 hour
/// later, deployment done and issues resolved". Only these shapes are read: "for about 12 minutes" alone could
/// measure anything.
enum ProseDurations {
    private static let amount = #"(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety)"#
    private static let unit = #"(minutes?|mins?|hours?|hrs?|days?|weeks?)"#
    private static let duration = amount + #"[\s-]*"# + unit + #"(?:,?\s*(?:and\s+)?(\d+)\s*(minutes?|mins?))?"#
    private static let hedge = #"(?:(?:about|approximately|around|roughly|only|just|over|nearly|almost|some|~)\s*)*"#

    nonisolated(unsafe) private static let patterns: [(Fact, Regex<AnyRegexOutput>)] = [
        (.timeToResolve, #"\b(?:lasting|lasted|lasts)\s+(?:for\s+)?"# + hedge + duration),
        (.timeToResolve, #"\b(?:went|was|were|been)\s+(?:down|unavailable|offline|out)\s+for\s+"# + hedge + duration),
        (.timeToResolve, #"\b(?:fixed|resolved|restored|recovered)\s+(?:with)?in\s+"# + hedge + duration),
        (.timeToResolve, #"\b(?:outage|downtime)\s+of\s+"# + hedge + duration),
        (.timeToResolve, #"\b(?:reducing|reduced|degrading|degraded|disrupting|disrupted|blocking|blocked)\b[^.]{0,60}?\bfor\s+"# + hedge + duration),
        (.timeToRepair, #"\bto\s+(?:mitigation|mitigate|repair)\b[^.]{0,30}?\b(?:was|took|in)\s+"# + hedge + duration),
        (.timeToDetect, #"\b(?:not|wasn't|was\s+not)\s+(?:detected|noticed)\s+for\s+"# + hedge + duration),
        (.timeToDetect, #"\btook\s+"# + hedge + duration + #"\b[^.]{0,60}?\bto\s+(?:even\s+)?(?:notice|detect)"#),
        (.timeToDetect, duration + #"\s+detection\s+delay"#),
        (.timeToDetect, #"\b(?:check|checked|noticed|spotted|discovered)\b[^.]{0,30}?\s"# + hedge + duration
            + #"\s+after\s+(?:the\s+)?(?:deploy|deployment|release|rollout|change|merge)\b"#),
        (.timeToDetect, #"\bdetection\s+delay\s+of\s+"# + hedge + duration),
    ].map { fact, pattern in (fact, try! Regex(pattern).ignoresCase()) }

    /// "1 hour later, … resolved" at the start of a sentence: read only where "later" counts from the incident's
    /// first event, the second entry of a list.
    nonisolated(unsafe) private static let afterFirstEntry = try! Regex(
        #"^\W*"# + hedge + duration + #"\s+later\b[^.]{0,60}?\b(?:resolved|fixed|restored|recovered)\b"#).ignoresCase()

    /// Words one of the shapes needs besides a unit: a sentence without any is not searched.
    private static let triggers = ["last", "down", "unavailable", "offline", "fixed", "resolved", "restored",
                                   "recovered", "outage", "downtime", "detect", "notice", "took", "reduc", "degrad",
                                   "disrupt", "block", "mitigat", "repair", "check", "spotted", "discover"]
    private static let units = ["min", "hour", "hr", "day", "week"]

    /// The durations `text` states, by fact (the first of each).
    ///
    /// The patterns run only on the sentences that hold a unit of time and one of the shapes' words, found by
    /// byte search first: run on every paragraph of a large archive, the regular expressions cost twenty times
    /// the rest of the parse.
    static func durations(in text: String) -> [Fact: Int] {
        guard hasAmount(text) else { return [:] }
        var found: [Fact: Int] = [:]
        // Sentences end at ". " (so "1.5 hours" stays whole), a line break, ";", "!" or "?".
        let sentences = text.replacingOccurrences(of: ". ", with: "\n")
            .split(whereSeparator: { $0 == "\n" || $0 == ";" || $0 == "!" || $0 == "?" })
        for sentence in sentences {
            guard hasAmount(sentence), triggers.contains(where: { sentence.containsUTF8($0, caseInsensitive: true) })
            else { continue }
            for (fact, minutes) in durations(inSentence: sentence.lowercased()) where found[fact] == nil {
                found[fact] = minutes
            }
        }
        return found
    }

    /// Whether the text holds an amount of time: a number or a number word, then (after spaces or a hyphen) a unit
    /// ("40 minutes", "three hours", "62-minute"). A byte scan, so most text never meets the patterns.
    static func hasAmount(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        let lower = { (byte: UInt8) in byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        var index = 0
        while index < bytes.count {
            let start = index
            // A unit starts a word.
            guard lower(bytes[index]) == UInt8(ascii: "m") || lower(bytes[index]) == UInt8(ascii: "h")
                || lower(bytes[index]) == UInt8(ascii: "d") || lower(bytes[index]) == UInt8(ascii: "w"),
                start > 0, bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "-")
                    || (bytes[start - 1] >= 0x30 && bytes[start - 1] <= 0x39)
            else {
                index += 1
                continue
            }
            var end = start
            while end < bytes.count, lower(bytes[end]) >= 0x61, lower(bytes[end]) <= 0x7A { end += 1 }
            let word = String(decoding: bytes[start..<end].map(lower), as: UTF8.self)
            index = max(end, start + 1)
            guard units.contains(where: { word.hasPrefix($0) }) else { continue }
            // The token before it, over spaces and a hyphen.
            var before = start
            while before > 0, bytes[before - 1] == UInt8(ascii: " ") || bytes[before - 1] == UInt8(ascii: "-") { before -= 1 }
            var tokenStart = before
            while tokenStart > 0, bytes[tokenStart - 1] != UInt8(ascii: " "), bytes[tokenStart - 1] != UInt8(ascii: "~") { tokenStart -= 1 }
            let token = String(decoding: bytes[tokenStart..<before].map(lower), as: UTF8.self)
            if token.isEmpty == false, token.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }) || numberWords.contains(token) {
                return true
            }
        }
        return false
    }

    private static let numberWords: Set<String> = [
        "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety",
    ]

    /// The time to resolve a timeline's second entry states relative to its first ("1 hour later, … resolved").
    static func timeToResolve(inSecondEntry text: String) -> Int? {
        guard hasAmount(text) else { return nil }
        return minutes(of: text.lowercased().firstMatch(of: afterFirstEntry))
    }

    private static func durations(inSentence lower: String) -> [Fact: Int] {
        var found: [Fact: Int] = [:]
        for (fact, regex) in patterns where found[fact] == nil {
            if let minutes = minutes(of: lower.firstMatch(of: regex)) { found[fact] = minutes }
        }
        return found
    }

    /// The minutes a match of a shape states; the duration's groups are the last four: amount, unit, and an
    /// optional extra number of minutes.
    private static func minutes(of match: Regex<AnyRegexOutput>.Match?) -> Int? {
        guard let match else { return nil }
        let groups = match.output.dropFirst().suffix(4).map { $0.substring.map(String.init) }
        guard groups.count == 4, let amountText = groups[0], let unitText = groups[1],
            let amount = number(amountText), let factor = minutes(per: unitText)
        else { return nil }
        var total = amount * factor
        if let extra = groups[2].flatMap(Double.init) { total += extra }
        return Int(total.rounded())
    }

    private static func number(_ text: String) -> Double? {
        if let value = Double(text) { return value }
        let words = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                     "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                     "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90]
        return words[text].map(Double.init)
    }

    private static func minutes(per unit: String) -> Double? {
        switch unit.prefix(2) {
        case "mi": return 1
        case "ho", "hr": return 60
        case "da": return 1440
        case "we": return 10080
        default: return nil
        }
    }
}
