import Foundation
import Testing

@testable import HindsightCore

@Suite("Calendar days")
struct DayTests {
    /// Foundation's Gregorian calendar in UTC: the reference the arithmetic must agree with.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Every day from 1899 to 2101 (leap years, 1900 and 2100 that are not, 2000 that is) agrees with
    /// Foundation both ways, so dates on pages, feeds and charts are the days the calendar says.
    @Test func everyDayAgreesWithFoundationsCalendar() throws {
        let start = try #require(Self.calendar.date(from: DateComponents(year: 1899, month: 1, day: 1)))
        var mismatches: [String] = []
        for offset in 0..<(203 * 366) {
            let date = start.addingTimeInterval(Double(offset) * 86_400 + 3_600 * 13.5)
            let expected = Self.calendar.dateComponents([.year, .month, .day], from: date)
            let day = Day(utc: date)
            if (day.year, day.month, day.day) != (expected.year, expected.month, expected.day) {
                mismatches.append("\(date): \(day) vs \(expected)")
            }
            let midnight = Self.calendar.startOfDay(for: date)
            if day.startDate != midnight { mismatches.append("\(day) starts at \(day.startDate), not \(midnight)") }
            if mismatches.count > 5 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func instantsBeforeTheEpochAndAtMidnightFallOnTheirDay() throws {
        #expect(Day(utc: Date(timeIntervalSince1970: -1)).description == "1969-12-31")
        #expect(Day(utc: Date(timeIntervalSince1970: 0)).description == "1970-01-01")
        #expect(Day(utc: Date(timeIntervalSince1970: 951_782_400)).description == "2000-02-29")
        #expect(try #require(Day(year: 2024, month: 2, day: 29)).next.description == "2024-03-01")
        #expect(try #require(Day(year: 812, month: 7, day: 4)).description == "0812-07-04")
    }
}
