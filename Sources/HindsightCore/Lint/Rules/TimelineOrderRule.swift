import Foundation

/// `timeline/order`: a timeline entry earlier than the one before it.
///
/// An entry written without a date that is earlier than the one above is read by the parser as the next
/// day (the timeline crossed midnight). When the step back is less than 12 hours that is almost always an
/// entry out of order or a typo, and it is reported; a bigger step back is taken as crossing midnight.
struct TimelineOrderRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "timeline/order", severity: .warning,
        summary: "Times in the timeline go backwards.",
        rationale: """
            The timeline is read top to bottom as the order things happened; durations between entries \
            (time to detect, to mitigate) come from it. An entry out of order misleads every reader and \
            every number.
            """)

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let timeline = document.postMortem?.timeline else { return }
        var previous: (entry: TimelineEntry, instant: Date)?
        for entry in timeline {
            guard let instant = entry.timestamp else { continue }
            if let before = previous {
                var backwards = instant < before.instant
                // The parser moves an undated time that is earlier than the one above to the next day (crossing
                // midnight). Only then is the text read again: under 12 hours back, it was not midnight.
                if backwards == false, Self.utcDay(instant) != Self.utcDay(before.instant),
                    let scanned = TimeText.scan(entry.time[...])?.0, scanned.day == nil, let seconds = scanned.secondsOfDay,
                    let earlier = TimeText.scan(before.entry.time[...])?.0.secondsOfDay,
                    seconds < earlier, earlier - seconds < 12 * 3600
                {
                    backwards = true
                }
                if backwards {
                    let (location, length) = document.locate(entry.time, onLine: entry.location.line) ?? (entry.location, nil)
                    report.add(
                        "\(entry.time) is earlier than \(before.entry.time) above it: the timeline goes backwards", at: location,
                        length: length,
                        suggestion: "put the entries in order; if the timeline crossed midnight, give the first entry after it its date (2025-01-15 00:14)")
                }
            }
            previous = (entry, instant)
        }
    }

    /// Days since the epoch in UTC: enough to tell whether two instants fall on different days.
    private static func utcDay(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
