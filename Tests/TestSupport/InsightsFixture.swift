import Foundation
import GitKit

/// A repository with a known history for the insights tests: items closed in later commits, an inferred repeat
/// pair (same service and factor type), an explicit one (`repeat_of`) and a near miss.
///
/// | Commit | Day (UTC)  | Change |
/// |---|---|---|
/// | 1 | 2024-01-10 | add `a` (incident 2024-01-02, SEV1, checkout): P0 open, P1 open, P2 done |
/// | 2 | 2024-02-05 | add `b` (incident 2024-01-30, SEV2, search, near miss): P1 open |
/// | 3 | 2024-02-20 | `a`'s P0 item done |
/// | 4 | 2024-03-15 | add `c` (incident 2024-03-01, SEV2, checkout, Process factor like `a`'s): P0 and P2 open |
/// | 5 | 2024-04-10 | `b`'s P1 item done |
/// | 6 | 2024-06-01 | add `d` (incident 2024-05-20, SEV3, billing, `repeat_of: b`): P1 open; `hindsight.yml` |
public struct InsightsFixture {
    public let repository: TemporaryRepository
    /// The commits in order, 1 to 6.
    public let commits: [ObjectID]

    /// Noon UTC of a day written `YYYY-MM-DD`.
    public static func noon(_ day: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: day + "T12:00:00Z")!
    }

    public static func document(
        id: String, title: String, date: String, severity: String, service: String, extra: String = "",
        factor: String, type: String, items: [String], times: (String, String, String?)? = nil
    ) -> String {
        var front = "---\nid: \(id)\ntitle: \(title)\ndate: \(date)\nseverity: \(severity)\nservices: [\(service)]\n"
        if let times {
            front += "started: \(date)T\(times.0):00Z\ndetected: \(date)T\(times.1):00Z\n"
            if let resolved = times.2 { front += "resolved: \(date)T\(resolved):00Z\n" }
        }
        front += extra
        return front + """
            ---

            ## Summary

            What happened to \(title).

            ## Timeline

            | Time (UTC) | Event |
            |---|---|
            | \(date) \(times?.0 ?? "09:00") | It starts |
            | \(date) \(times?.1 ?? "09:30") | An alert fires |

            ## Contributing Factors

            | Factor | Type | Contribution |
            |---|---|---|
            | \(factor) | \(type) | High |

            ## Action Items

            \(items.joined(separator: "\n"))

            """
    }

    static func a(p0Done: Bool) -> String {
        document(
            id: "a", title: "Checkout errors after a deploy", date: "2024-01-02", severity: "SEV1", service: "checkout",
            factor: "The canary did not cover the payment path", type: "Process",
            items: [
                "- [\(p0Done ? "x" : " ")] [P0] Add a canary check for payments — Checkout Team",
                "- [ ] [P1] Write the rollback runbook — SRE Team",
                "- [x] [P2] Document the deploy freeze — SRE Team",
            ], times: ("10:00", "10:20", "12:00"))
    }

    static func b(done: Bool) -> String {
        document(
            id: "b", title: "Search index nearly emptied", date: "2024-01-30", severity: "SEV2", service: "search",
            extra: "near_miss: true\n", factor: "Index rebuild ran without a document count check", type: "Technical",
            items: ["- [\(done ? "x" : " ")] [P1] Validate the document count before swapping — Search Team"],
            times: ("08:00", "08:05", nil))
    }

    /// Builds the repository.
    public init() throws {
        repository = try TemporaryRepository()
        var commits: [ObjectID] = []
        commits.append(try repository.commit(["Content/a.md": Self.a(p0Done: false)], message: "Add a", at: Self.noon("2024-01-10")))
        commits.append(try repository.commit(["Content/b.md": Self.b(done: false)], message: "Add b", at: Self.noon("2024-02-05")))
        commits.append(try repository.commit(["Content/a.md": Self.a(p0Done: true)], message: "Close a's P0", at: Self.noon("2024-02-20")))
        commits.append(try repository.commit([
            "Content/c.md": Self.document(
                id: "c", title: "Refunds failed after a deploy", date: "2024-03-01", severity: "SEV2", service: "checkout",
                factor: "The canary did not cover the refund path", type: "Process",
                items: [
                    "- [ ] [P0] Add a canary check for refunds — Checkout Team",
                    "- [ ] [P2] Review the refund tests — Checkout Team",
                ], times: ("10:00", "10:45", "13:00")),
        ], message: "Add c", at: Self.noon("2024-03-15")))
        commits.append(try repository.commit(["Content/b.md": Self.b(done: true)], message: "Close b's item", at: Self.noon("2024-04-10")))
        commits.append(try repository.commit([
            "Content/d.md": Self.document(
                id: "d", title: "Invoices <late> & \"stuck\"", date: "2024-05-20", severity: "SEV3", service: "billing",
                extra: "repeat_of: b\n", factor: "Nobody owned the invoice job", type: "Organizational",
                items: ["- [ ] [P1] Assign an owner to the invoice job — Billing Team"]),
            "hindsight.yml": "title: Fixture archive\ninsights:\n  targets: {P0: 28, P1: 56}\n  repeat_window_days: 90\n",
        ], message: "Add d", at: Self.noon("2024-06-01")))
        self.commits = commits
    }
}
