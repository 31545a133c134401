import Foundation

/// `schema/time-order`: incident milestones out of order (`detected` before `started`, `resolved` before `detected`…).
struct SchemaTimeOrderRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "schema/time-order", severity: .error,
        summary: "The incident's timestamps are out of order.",
        rationale: """
            started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved. Out of order, time to detect and time \
            to resolve come out negative, and every statistic built on them is wrong. It is nearly always a \
            typo in a date or a missing time zone.
            """)

    init(context: LintContext) {}


    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let times = document.postMortem?.times else { return }
        // Compare each milestone with the latest one before it, so one typo is reported once.
        var latest: (key: String, time: Date)?
        let milestones = [
            ("started", times.started), ("detected", times.detected), ("acknowledged", times.acknowledged),
            ("mitigated", times.mitigated), ("resolved", times.resolved),
        ]
        for (key, value) in milestones {
            guard let time = value else { continue }
            if let before = latest, time < before.time {
                report.add(
                    "\(key) (\(Self.format(time))) is before \(before.key) (\(Self.format(before.time)))",
                    at: document.location(ofKey: key),
                    suggestion: "check the date and the time zone of `\(key)` and `\(before.key)`")
            } else {
                latest = (key, time)
            }
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
