import Foundation

/// A calendar day (the incident date), independent of time zones.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Day.daysIn(month: month, year: year)).contains(day),
            (1...9999).contains(year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day of an instant.
    ///
    /// Arithmetic on the proleptic Gregorian calendar rather than `Calendar`, whose component lookups cost
    /// microseconds each and ran for every timestamp of every page (see docs/performance.md).
    public init(utc date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        (year, month, day) = Day.civil(fromDays: days)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        // March-based years put the leap day last, so month lengths follow a fixed pattern.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 for Sunday through 6 for Saturday.
    public var weekday: Int { ((daysSinceEpoch % 7) + 7 + 4) % 7 }

    /// Whether US clocks are on daylight time this day: from the second Sunday of March to the first Sunday of
    /// November since 2007, from the first Sunday of April to the last Sunday of October before.
    public var isUSDaylightTime: Bool {
        func nthSunday(_ n: Int, month: Int) -> Int {
            guard let first = Day(year: year, month: month, day: 1) else { return 1 }
            return 1 + (7 - first.weekday) % 7 + (n - 1) * 7
        }
        func lastSunday(month: Int) -> Int {
            let days = Day.daysIn(month: month, year: year)
            guard let last = Day(year: year, month: month, day: days) else { return days }
            return days - last.weekday
        }
        let (start, end): ((Int, Int), (Int, Int)) = year >= 2007
            ? ((3, nthSunday(2, month: 3)), (11, nthSunday(1, month: 11)))
            : ((4, nthSunday(1, month: 4)), (10, lastSunday(month: 10)))
        let here = (month, day)
        return here >= start && here < end
    }

    /// Midnight UTC at the start of this day.
    public var startDate: Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400)
    }

    /// The next calendar day.
    public var next: Day { Day(utc: startDate.addingTimeInterval(86_400)) }

    public var description: String {
        Day.padded(year, 4) + "-" + Day.padded(month, 2) + "-" + Day.padded(day, 2)
    }

    /// `value` zero-padded to `width` digits (`String(format:)` goes through Foundation's formatter, slow
    /// for every date of every page).
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
