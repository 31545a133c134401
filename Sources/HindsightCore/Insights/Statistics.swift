import Foundation

/// Whether figures over time are grouped by month or by quarter.
public enum PeriodKind: String, Sendable, Hashable {
    case month, quarter
}

/// A calendar month or quarter (UTC).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: PeriodKind
    public let year: Int
    /// 1–12 for a month, 1–4 for a quarter.
    public let index: Int

    /// The period of `kind` that holds a day.
    public init(_ day: Day, kind: PeriodKind) {
        self.kind = kind
        year = day.year
        index = kind == .month ? day.month : (day.month - 1) / 3 + 1
    }

    init(kind: PeriodKind, year: Int, index: Int) {
        self.kind = kind
        self.year = year
        self.index = index
    }

    /// The period after this one.
    public var next: Period {
        let count = kind == .month ? 12 : 4
        return index == count
            ? Period(kind: kind, year: year + 1, index: 1) : Period(kind: kind, year: year, index: index + 1)
    }

    /// `2024-03` for a month, `2024 Q1` for a quarter.
    public var description: String {
        kind == .month ? Day.padded(year, 4) + "-" + Day.padded(index, 2) : "\(year) Q\(index)"
    }

    /// Every period from `first` to `last`, both included.
    public static func range(_ first: Period, _ last: Period) -> [Period] {
        var out: [Period] = []
        var period = first
        while period <= last {
            out.append(period)
            period = period.next
        }
        return out
    }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.index) < (rhs.year, rhs.index) }
}

/// A distribution summarised by its median and 90th percentile, never its mean.
public struct Distribution: Sendable, Hashable {
    /// How many values there are.
    public let count: Int
    /// The middle value (the mean of the two middle values for an even count); nil when empty.
    public let median: Double?
    /// The 90th percentile by nearest rank (the value at rank ⌈0.9·n⌉); nil when empty.
    public let p90: Double?

    /// Summarises `values`.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard sorted.isEmpty == false else {
            median = nil
            p90 = nil
            return
        }
        let mid = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
        p90 = sorted[max(0, min(sorted.count, rank) - 1)]
    }
}

/// Whole UTC calendar days from one day to another (negative when `to` is earlier).
func days(from: Day, to: Day) -> Int {
    Int((to.startDate.timeIntervalSince(from.startDate) / 86_400).rounded())
}
