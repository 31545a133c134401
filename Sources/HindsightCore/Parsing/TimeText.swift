import Foundation

/// How a numeric date such as `03/04/2024` is read: month first (`mdy`, the US habit) or day first (`dmy`).
public enum DateOrder: String, Sendable, Hashable, CaseIterable {
    case mdy, dmy
}

/// A date and/or time read from the start of a piece of text: `14:32`, `7:32 PM`, `2021-08-26 08:22`, ISO 8601,
/// `03-05-2024 11:30 am`, `March 3, 10:20`, `19. April`, `~09:30`, `16:00-17:00 PST`.
struct TimeText: Sendable, Equatable {
    /// The text that was read, as written.
    var raw: String
    var day: Day?
    /// A month and day written without a year (`March 3`): the year comes from the incident date.
    var monthDay: MonthDay?
    /// Seconds since midnight, when a time of day was given.
    var secondsOfDay: Int?
    /// The zone written; nil means none was (the timeline's zone applies, else UTC).
    var zone: Zone?
    /// Whether the time was written as `H:MM` without AM or PM and with an hour under 12 (`1:52`), so it may be
    /// on a twelve-hour clock.
    var twelveHour = false
    /// The order a numeric date shows by a number over 12 (`25/03/2024` is day first), read without `date_order`.
    var orderEvidence: DateOrder?
    /// Whether a numeric date could be read either way (`03/04/2024`) and was read by the default order.
    var ambiguousOrder = false

    init(raw: String, day: Day?, secondsOfDay: Int?, zone: Zone?) {
        self.raw = raw
        self.day = day
        self.secondsOfDay = secondsOfDay
        self.zone = zone
    }

    /// A zone: a fixed offset (`UTC`, `PST`, `+02:00`), or a US zone named without saying standard or daylight
    /// time (`PT`), whose offset depends on the day.
    enum Zone: Sendable, Equatable {
        case fixed(seconds: Int)
        case us(standardSeconds: Int)

        /// Seconds east of UTC on `day`.
        func offset(on day: Day) -> Int {
            switch self {
            case .fixed(let seconds): return seconds
            case .us(let standard): return standard + (day.isUSDaylightTime ? 3600 : 0)
            }
        }
    }

    /// A month and a day of it, without a year.
    struct MonthDay: Sendable, Equatable {
        var month: Int
        var day: Int
    }

    /// The date written, the year taken from `year` when the text names none.
    func day(year: Int?) -> Day? {
        if let day { return day }
        guard let monthDay, let year else { return nil }
        return Day(year: year, month: monthDay.month, day: monthDay.day)
    }

    /// Whether a date (with or without a year) was written.
    var hasDate: Bool { day != nil || monthDay != nil }

    /// The instant, given the day to assume when the text has none and the zone to assume when it names none.
    func instant(defaultDay: Day?, defaultZone: Zone? = nil) -> Date? {
        guard let day = day ?? day(year: defaultDay?.year) ?? defaultDay, let secondsOfDay else { return nil }
        return day.startDate.addingTimeInterval(TimeInterval(secondsOfDay - ((zone ?? defaultZone)?.offset(on: day) ?? 0)))
    }

    /// Reads a date/time at the start of `text`; returns it and the rest of the text, separators trimmed.
    /// `order` reads numeric dates; without it they are read month first and marked `ambiguousOrder` when
    /// they could be either.
    static func scan(_ text: Substring, order: DateOrder? = nil) -> (TimeText, rest: Substring)? {
        // Every date or time starts with a digit, a `~`, or a month or weekday name: most text is turned away
        // without copying it.
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\u{00A0}" }),
            isDigit(scalars[first]) || scalars[first] == "~" || Names.mayStartName(scalars[first])
        else { return nil }
        // A date, a time and a zone fit in a few dozen scalars; the whole text is read only when the scan
        // looked at the end of that much (a long run of digits or blanks).
        let window = Array(scalars[first...].prefix(64))
        let whole = window.count < 64
        if let (result, length, reach) = scan(window, order: order), whole || reach < window.count {
            return finish(result, length: length, text: text, from: first)
        }
        guard whole == false, let (result, length, _) = scan(Array(scalars[first...]), order: order) else { return nil }
        return finish(result, length: length, text: text, from: first)
    }

    /// The text read (trimmed) and the rest after the separators, as part of `text`.
    private static func finish(
        _ result: TimeText, length: Int, text: Substring, from first: String.Index
    ) -> (TimeText, rest: Substring) {
        let scalars = text.unicodeScalars
        let end = scalars.index(first, offsetBy: length)
        var result = result
        result.raw = String(scalars[first..<end]).trimmedWhitespace()
        // Separators between the time and the event: -, –, —, :, |, and spaces.
        var rest = end
        while rest < scalars.endIndex, " \t-–—:|,".unicodeScalars.contains(scalars[rest]) || scalars[rest] == "\u{00A0}" {
            rest = scalars.index(after: rest)
        }
        return (result, text[rest...])
    }

    /// The grammar over `scalars` (blanks already skipped): the result (without `raw`), how many scalars it
    /// took, and how far the scan looked (one past the furthest scalar it peeked at).
    private static func scan(_ scalars: [Unicode.Scalar], order: DateOrder?) -> (TimeText, length: Int, reach: Int)? {
        var scanner = Scanner(scalars)
        let start = scanner.position
        var result = TimeText(raw: "", day: nil, secondsOfDay: nil, zone: nil)

        // "~09:30", "approx."-free: a tilde marks an approximate time, read as the time.
        if scanner.consume("~") { scanner.skipSpaces() }
        // A weekday before the date ("Monday, March 3", "Tue 03/04/2024") is dropped.
        let beforeWeekday = scanner.position
        if scanner.name(Names.weekdays) != nil {
            _ = scanner.consume(".")
            _ = scanner.consume(",")
            if scanner.skipSpaces() == false { scanner.position = beforeWeekday }
        }

        scanner.date(into: &result, order: order)

        // A time: after a date, separated by 'T', spaces, a comma or "at"; or alone.
        let beforeTime = scanner.position
        if result.hasDate {
            if scanner.consume("T") || scanner.consume("t") {
            } else {
                _ = scanner.skipSpaces()
                if scanner.consume(",") { scanner.skipSpaces() }
                scanner.hedge()
            }
        }
        let beforeClock = scanner.position
        if let time = scanner.timeOfDay() ?? scanner.compactTime(afterDate: result.hasDate) {
            result.secondsOfDay = time
            let written = scanner.scalars[beforeClock..<scanner.position]
            result.twelveHour = time < 12 * 3600 && written.count == 4 && written.contains(":")
                && written.contains(where: { $0.properties.isAlphabetic }) == false && written.first != "0"
            // "15:00ish"
            _ = scanner.consumeWord("ish")
            // A range ("16:00-17:00", "16:00 – 17:30") is read as its start.
            // An end earlier than the start is not one: "14:02-05:00" is a time and its zone.
            let beforeRange = scanner.position
            scanner.skipSpaces()
            if scanner.consume("-") || scanner.consume("–") || scanner.consume("—") {
                scanner.skipSpaces()
                if let end = scanner.timeOfDay(), end > time {} else { scanner.position = beforeRange }
            } else {
                scanner.position = beforeRange
            }
            scanner.zone(into: &result)
            _ = scanner.consumeWord("approx")
            // The day after the time, on a day's first entry: "11:14 UTC Tuesday Aug 28", "00:03 UTC (Oct 30)".
            if result.hasDate == false {
                let beforeTrailingDate = scanner.position
                scanner.skipSpaces()
                let bracketed = scanner.consume("(")
                if scanner.name(Names.weekdays) != nil {
                    _ = scanner.consume(",")
                    scanner.skipSpaces()
                }
                scanner.date(into: &result, order: order)
                if result.hasDate == false || (bracketed && scanner.consume(")") == false) {
                    result.day = nil
                    result.monthDay = nil
                    scanner.position = beforeTrailingDate
                }
            }
        } else {
            scanner.position = beforeTime
        }
        guard result.hasDate || result.secondsOfDay != nil else { return nil }
        // A bare number like "2024" is not a time; require a boundary after what was read.
        if let next = scanner.peek(), next.properties.isAlphabetic || isDigit(next) { return nil }
        return (result, scanner.position - start, scanner.reach)
    }

    /// A zone abbreviation's offset from UTC in seconds (`PST` → -8 h), nil for one not known.
    static func zone(named name: some StringProtocol) -> Zone? {
        if let minutes = Names.genericZones[name.uppercased()] { return .us(standardSeconds: minutes * 60) }
        return Names.zones[name.uppercased()].map { .fixed(seconds: $0 * 60) }
    }
}

/// Month, weekday and zone names the grammar knows.
private enum Names {
    static let months: [(String, Int)] = [
        ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
        ("august", 8), ("september", 9), ("sept", 9), ("october", 10), ("november", 11), ("december", 12),
        ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("oct", 10),
        ("nov", 11), ("dec", 12),
    ]
    static let weekdays: [(String, Int)] = [
        ("monday", 1), ("tuesday", 2), ("wednesday", 3), ("thursday", 4), ("friday", 5), ("saturday", 6), ("sunday", 7),
        ("mon", 1), ("tue", 2), ("tues", 2), ("wed", 3), ("thu", 4), ("thur", 4), ("thurs", 4), ("fri", 5), ("sat", 6),
        ("sun", 7),
    ]
    /// US zones written without saying standard or daylight time (`PT`): the offset depends on the date.
    static let genericZones: [String: Int] = ["PT": -480, "MT": -420, "CT": -360, "ET": -300]

    /// Offsets in minutes of the abbreviations timelines use.
    static let zones: [String: Int] = [
        "UTC": 0, "GMT": 0, "Z": 0, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300,
        "EST": -300, "EDT": -240, "AKST": -540, "AKDT": -480, "HST": -600, "BST": 60, "WET": 0, "WEST": 60,
        "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "IST": 330, "JST": 540, "KST": 540,
        "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    ]
    /// Whether a scalar can start a month or weekday name (a fast turn-away for most words).
    static func mayStartName(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "J", "F", "M", "A", "S", "O", "N", "D", "T", "W", "j", "f", "m", "a", "s", "o", "n", "d", "t", "w": return true
        default: return false
        }
    }
}

private func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }

/// A tiny cursor over scalars for the time grammar above.
private struct Scanner {
    let scalars: [Unicode.Scalar]
    var position = 0
    /// One past the furthest index looked at: a scan of a window that never reached its end reads the same
    /// as a scan of the whole text.
    var reach = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        reach = max(reach, position + offset + 1)
        return position + offset < scalars.count ? scalars[position + offset] : nil
    }

    mutating func advance() { position += 1 }

    mutating func consume(_ c: Unicode.Scalar) -> Bool {
        if peek() == c { position += 1; return true }
        return false
    }

    mutating func consumeWord(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        reach = max(reach, position + w.count)
        guard position + w.count <= scalars.count, Array(scalars[position..<position + w.count]) == w else { return false }
        if let after = peek(w.count), after.properties.isAlphabetic { return false }
        position += w.count
        return true
    }

    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = position
        while let c = peek(), c == " " || c == "\t" || c == "\u{00A0}" { position += 1 }
        return position > start
    }

    /// An offset like "-05:00" directly after a time (no space) is a zone; "- event" is a separator.
    mutating func lookaheadOffset() -> Bool {
        guard position > 0 else { return false }
        return scalars[position - 1] != " " && peek(1).map(isDigit) == true && peek(2).map(isDigit) == true
    }

    /// One of `names` (case-insensitive, whole word), longest first; its number.
    mutating func name(_ names: [(String, Int)]) -> Int? {
        var length = 0
        while let c = peek(length), c.properties.isAlphabetic { length += 1 }
        guard length >= 3, length <= 9 else { return nil }
        let word = String(String.UnicodeScalarView(scalars[position..<position + length])).lowercased()
        guard let match = names.first(where: { $0.0 == word }) else { return nil }
        position += length
        return match.1
    }

    /// A date, if one starts here: `YYYY-MM-DD`, `MM-DD-YYYY`, `M/D/YY`, `DD.MM.YYYY`, `March 3[, 2024]`,
    /// `3 March [2024]`, `19. April`.
    mutating func date(into result: inout TimeText, order: DateOrder?) {
        let before = position
        // YYYY-MM-DD (also YYYY/MM/DD).
        if let year = digits(exactly: 4), let sep = peek(), sep == "-" || sep == "/" {
            advance()
            if let month = digits(min: 1, max: 2), consume(sep), let day = digits(min: 1, max: 2),
                let value = Day(year: year, month: month, day: day)
            {
                result.day = value
                return
            }
        }
        position = before
        // Numbers in another order: 03-05-2024, 3/5/24, 05.03.2024.
        if let first = digits(min: 1, max: 2), let sep = peek(), sep == "-" || sep == "/" || sep == "." {
            advance()
            if let second = digits(min: 1, max: 2), consume(sep), let yearStart = Optional(position),
                var year = digits(min: 2, max: 4), position - yearStart != 3
            {
                if year < 100 { year += year < 70 ? 2000 : 1900 }
                // Day-first is the habit where the separator is a dot.
                let order = order ?? (sep == "." ? .dmy : nil)
                var (month, day) = order == .dmy ? (second, first) : (first, second)
                if order == nil {
                    if first > 12, second <= 12 {
                        (month, day) = (second, first)
                        result.orderEvidence = .dmy
                    } else if second > 12, first <= 12 {
                        result.orderEvidence = .mdy
                    } else if first != second {
                        result.ambiguousOrder = true
                    }
                }
                if let value = Day(year: year, month: month, day: day) {
                    result.day = value
                    return
                }
            }
        }
        position = before
        // March 3[rd][,] [2024]
        if let month = name(Names.months) {
            _ = consume(".")
            if skipSpaces(), let day = digits(min: 1, max: 2) {
                ordinalSuffix()
                dayRangeEnd()
                let afterDay = position
                _ = consume(",")
                skipSpaces()
                if let year = digits(exactly: 4), peek().map({ $0 == ":" }) != true {
                    if let value = Day(year: year, month: month, day: day) { result.day = value; return }
                }
                position = afterDay
                if (1...31).contains(day) {
                    result.monthDay = TimeText.MonthDay(month: month, day: day)
                    return
                }
            }
        }
        position = before
        // 3 March [2024], 19. April
        if let day = digits(min: 1, max: 2) {
            ordinalSuffix()
            dayRangeEnd()
            _ = consume(".")
            if skipSpaces(), let month = name(Names.months) {
                let afterMonth = position
                _ = consume(",")
                skipSpaces()
                if let year = digits(exactly: 4), peek().map({ $0 == ":" }) != true {
                    if let value = Day(year: year, month: month, day: day) { result.day = value; return }
                }
                position = afterMonth
                if (1...31).contains(day) {
                    result.monthDay = TimeText.MonthDay(month: month, day: day)
                    return
                }
            }
        }
        position = before
    }

    /// The end of a range of days ("January 14-19, 2026"): the date is its first day.
    mutating func dayRangeEnd() {
        let before = position
        if consume("-") || consume("–"), digits(min: 1, max: 2) != nil {
            ordinalSuffix()
            return
        }
        position = before
    }

    /// "around", "about", "approx.", "between", "~" before a time: hedges, not part of it.
    mutating func hedge() {
        let before = position
        for word in ["around", "about", "approximately", "approx", "between", "circa", "ca", "at"]
        where consumeWord(word) || consumeWord(word.prefix(1).uppercased() + word.dropFirst()) {
            _ = consume(".")
            if skipSpaces() { return }
            position = before
            return
        }
        if consume("~") { skipSpaces() }
    }

    /// "st", "nd", "rd" or "th" after a day's number.
    mutating func ordinalSuffix() {
        for suffix in ["st", "nd", "rd", "th"] where consumeWord(suffix) { return }
    }

    /// A zone after a time: Z, UTC, GMT, an abbreviation (PST), ±HH:MM, ±HHMM, `UTC+2`.
    mutating func zone(into result: inout TimeText) {
        let beforeZone = position
        if consume("Z") || consume("z") {
            if let next = peek(), next.properties.isAlphabetic { position = beforeZone } else { result.zone = .fixed(seconds: 0); return }
        }
        skipSpaces()
        if let sign = peek(), sign == "+" || (sign == "-" && peek(1).map(isDigit) == true && lookaheadOffset()) {
            if numericOffset(into: &result) { return }
            position = beforeZone
            return
        }
        // "(PST)" or "PST".
        let bracketed = consume("(")
        var length = 0
        while let c = peek(length), c.properties.isAlphabetic { length += 1 }
        if length >= 2, length <= 5 {
            let word = String(String.UnicodeScalarView(scalars[position..<position + length]))
            if let zone = TimeText.zone(named: word), word == word.uppercased() || word == "utc" || word == "gmt" {
                position += length
                result.zone = zone
                // "UTC+2", "GMT-05:00"
                let afterName = position
                if let sign = peek(), sign == "+" || sign == "-" {
                    if numericOffset(into: &result) == false { position = afterName }
                }
                if bracketed, consume(")") == false { position = beforeZone; result.zone = nil; return }
                return
            }
        }
        position = beforeZone
    }

    /// `+HH:MM`, `-HHMM`, `+H` at the cursor.
    private mutating func numericOffset(into result: inout TimeText) -> Bool {
        guard let sign = peek() else { return false }
        advance()
        guard let hours = digits(min: 1, max: 2), hours <= 14 else { return false }
        _ = consume(":")
        let minutes = digits(exactly: 2) ?? 0
        result.zone = .fixed(seconds: (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1))
        return true
    }

    mutating func digits(exactly n: Int) -> Int? { digits(min: n, max: n) }

    mutating func digits(min: Int, max: Int) -> Int? {
        var value = 0
        var count = 0
        while count < max, let c = peek(), isDigit(c) {
            value = value * 10 + Int(c.value - 48)
            count += 1
            position += 1
        }
        if count < min || (count == max && peek().map(isDigit) == true) {
            position -= count
            return nil
        }
        return value
    }

    /// H:MM or HH:MM, optional :SS and fraction, optional AM/PM; or an hour with AM/PM (`10am`, `3 PM`).
    mutating func timeOfDay() -> Int? {
        let start = position
        guard let hour = digits(min: 1, max: 2) else { return nil }
        guard consume(":"), let minute = digits(exactly: 2) else {
            position = start
            return hourWithMeridiem()
        }
        var second = 0
        let beforeSeconds = position
        if consume(":") {
            if let s = digits(exactly: 2) { second = s } else { position = beforeSeconds }
            if consume(".") || consume(",") { while let c = peek(), isDigit(c) { position += 1 } }
        }
        var h = hour
        let beforeMeridiem = position
        skipSpaces()
        if consumeWord("AM") || consumeWord("am") || consumeWord("a.m.") || consumeWord("a") {
            // "0:25 AM" is written too, meaning 00:25.
            guard (0...12).contains(hour) else { position = start; return nil }
            h = hour == 12 ? 0 : hour
        } else if consumeWord("PM") || consumeWord("pm") || consumeWord("p.m.") || consumeWord("p") {
            guard (1...12).contains(hour) else { position = start; return nil }
            h = hour == 12 ? 12 : hour + 12
        } else {
            position = beforeMeridiem
        }
        guard h < 24 || (h == 24 && minute == 0), minute < 60, second < 61 else {
            position = start
            return nil
        }
        return h * 3600 + minute * 60 + second
    }

    /// `1250` as 12:50: after a date (`2018-08-10 1250 UTC`), or alone when a zone follows (`0659 UTC`).
    mutating func compactTime(afterDate: Bool) -> Int? {
        let start = position
        guard let value = digits(exactly: 4), value / 100 < 24, value % 100 < 60 else {
            position = start
            return nil
        }
        let (hours, minutes) = (value / 100, value % 100)
        if afterDate == false {
            let afterDigits = position
            skipSpaces()
            var probe = TimeText(raw: "", day: nil, secondsOfDay: nil, zone: nil)
            zone(into: &probe)
            position = afterDigits
            guard probe.zone != nil else { position = start; return nil }
        }
        return hours * 3600 + minutes * 60
    }

    /// `10am`, `3 PM`: an hour that only a meridiem makes a time.
    private mutating func hourWithMeridiem() -> Int? {
        let start = position
        guard let hour = digits(min: 1, max: 2), (1...12).contains(hour) else { position = start; return nil }
        skipSpaces()
        if consumeWord("AM") || consumeWord("am") || consumeWord("a.m.") { return (hour == 12 ? 0 : hour) * 3600 }
        if consumeWord("PM") || consumeWord("pm") || consumeWord("p.m.") { return (hour == 12 ? 12 : hour + 12) * 3600 }
        position = start
        return nil
    }
}
