import Foundation

/// A date and/or time read from the start of a piece of text: `14:32`, `7:32 PM`, `2021-08-26 08:22`, ISO 8601.
struct TimeText: Sendable, Equatable {
    /// The text that was read, as written.
    var raw: String
    var day: Day?
    /// Seconds since midnight, when a time of day was given.
    var secondsOfDay: Int?
    /// Offset from UTC in seconds; nil means UTC (timelines are written in UTC by convention).
    var utcOffset: Int?

    /// The instant, given the day to assume when the text has none.
    func instant(defaultDay: Day?) -> Date? {
        guard let day = day ?? defaultDay, let secondsOfDay else { return nil }
        return day.startDate.addingTimeInterval(TimeInterval(secondsOfDay - (utcOffset ?? 0)))
    }

    /// Reads a date/time at the start of `text`; returns it and the rest of the text, separators trimmed.
    static func scan(_ text: Substring) -> (TimeText, rest: Substring)? {
        // Every date or time starts with a digit: most text is turned away without copying it.
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\u{00A0}" }),
            isDigit(scalars[first])
        else { return nil }
        // A date, a time and a zone fit in a few dozen scalars; the whole text is read only when the scan
        // looked at the end of that much (a long run of digits or blanks).
        let window = Array(scalars[first...].prefix(48))
        let whole = window.count < 48
        if let (result, length, reach) = scan(window), whole || reach < window.count {
            return finish(result, length: length, text: text, from: first)
        }
        guard whole == false, let (result, length, _) = scan(Array(scalars[first...])) else { return nil }
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
        while rest < scalars.endIndex, " \t-–—:|".unicodeScalars.contains(scalars[rest]) || scalars[rest] == "\u{00A0}" {
            rest = scalars.index(after: rest)
        }
        return (result, text[rest...])
    }

    /// The grammar over `scalars` (blanks already skipped): the result (without `raw`), how many scalars it
    /// took, and how far the scan looked (one past the furthest scalar it peeked at).
    private static func scan(_ scalars: [Unicode.Scalar]) -> (TimeText, length: Int, reach: Int)? {
        var scanner = Scanner(scalars)
        let start = scanner.position
        var result = TimeText(raw: "", day: nil, secondsOfDay: nil, utcOffset: nil)

        // A date: YYYY-MM-DD (also YYYY/MM/DD).
        let beforeDate = scanner.position
        if let year = scanner.digits(exactly: 4), let sep = scanner.peek(), sep == "-" || sep == "/" {
            scanner.advance()
            if let month = scanner.digits(min: 1, max: 2), scanner.consume(sep), let day = scanner.digits(min: 1, max: 2),
                let value = Day(year: year, month: month, day: day)
            {
                result.day = value
            } else {
                scanner.position = beforeDate
            }
        } else {
            scanner.position = beforeDate
        }

        // A time: after a date, separated by 'T' or spaces; or alone.
        let beforeTime = scanner.position
        if result.day != nil {
            if scanner.consume("T") || scanner.consume("t") {
            } else {
                _ = scanner.skipSpaces()
                if scanner.consume(",") { scanner.skipSpaces() }
            }
        }
        if let time = scanner.timeOfDay() {
            result.secondsOfDay = time
            // Offsets: Z, UTC, GMT, ±HH:MM, ±HHMM.
            let beforeZone = scanner.position
            if scanner.consume("Z") || scanner.consume("z") {
                result.utcOffset = 0
            } else {
                scanner.skipSpaces()
                if scanner.consumeWord("UTC") || scanner.consumeWord("GMT") || scanner.consumeWord("utc") {
                    result.utcOffset = 0
                } else if let sign = scanner.peek(), sign == "+" || (sign == "-" && scanner.peek(1).map(isDigit) == true && scanner.lookaheadOffset()) {
                    scanner.advance()
                    if let hours = scanner.digits(exactly: 2) {
                        _ = scanner.consume(":")
                        let minutes = scanner.digits(exactly: 2) ?? 0
                        result.utcOffset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
                    } else {
                        scanner.position = beforeZone
                    }
                } else {
                    scanner.position = beforeZone
                }
            }
        } else {
            scanner.position = beforeTime
        }
        guard result.day != nil || result.secondsOfDay != nil else { return nil }
        // A bare number like "2024" is not a time; require a boundary after what was read.
        if let next = scanner.peek(), next.properties.isAlphabetic || isDigit(next) { return nil }
        return (result, scanner.position - start, scanner.reach)
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

    /// H:MM or HH:MM, optional :SS and fraction, optional AM/PM.
    mutating func timeOfDay() -> Int? {
        let start = position
        guard let hour = digits(min: 1, max: 2), consume(":"), let minute = digits(exactly: 2) else {
            position = start
            return nil
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
        if consumeWord("AM") || consumeWord("am") || consumeWord("a.m.") {
            guard (1...12).contains(hour) else { position = start; return nil }
            h = hour == 12 ? 0 : hour
        } else if consumeWord("PM") || consumeWord("pm") || consumeWord("p.m.") {
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
}
