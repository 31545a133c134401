import ArgumentParser
import Foundation
import HindsightCore
import HindsightSite

/// `hindsight report`: the insights figures in the terminal, as text, JSON or Markdown.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the archive's insights: reports filed, near misses, action items, repeats and Git-read delays.",
        discussion: """
            The same figures as the site's /insights/ and /action-items/ pages, computed from the repository at \
            --ref: post-mortems filed and near misses per period, action items completed and overdue, repeat \
            incidents, time to detect and resolve (median and 90th percentile), and two delays read from Git \
            history: incident to merged post-mortem, and merge to each action item's completion. Markdown suits \
            a chat message or a monthly review.

            Exit status: 0 printed, 1 errors in the content or the repository, 2 bad usage.
            """)

    /// The output formats.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("Only incidents on or after this day (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("text, json or markdown.", valueName: "format"))
    var format: OutputFormat = .text

    func validate() throws {
        if let since, Day(since) == nil { throw ValidationError("--since must be a date written YYYY-MM-DD, not '\(since)'") }
    }

    func run() throws {
        let console = Console()
        do {
            let snapshot = try SourceReader.read(source.locator)
            let (archive, diagnostics) = ArchiveBuilder.build(snapshot)
            if diagnostics.contains(where: { $0.severity == .error }) {
                console.report(diagnostics)
                throw ExitCode(1)
            }
            let insights = try InsightsReader.read(snapshot, archive: archive, since: since.flatMap { Day($0) })
            console.report(insights.diagnostics)
            let output: String
            switch format {
            case .text: output = ReportFormatter(archive: archive, insights: insights, since: since).text()
            case .markdown: output = ReportFormatter(archive: archive, insights: insights, since: since).markdown()
            case .json: output = try ReportFormatter(archive: archive, insights: insights, since: since).json()
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            console.error(String(describing: error))
            throw ExitCode(1)
        }
    }
}

/// Writes the figures of `Insights` for people (text, Markdown) and tools (JSON).
struct ReportFormatter {
    let archive: Archive
    let insights: Insights
    let since: String?

    private var ledger: [LedgerItem] { insights.ledger }
    private var filed: Int { insights.periods.reduce(0) { $0 + $1.filed } }
    private var nearMisses: Int { insights.periods.reduce(0) { $0 + $1.nearMisses } }
    private var done: Int { ledger.filter(\.isDone).count }
    private var repeatCount: Int { Set(insights.repeats.map(\.later)).count }

    private func share(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
    }

    private func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private var scope: String {
        (since.map { "Incidents since \($0)" } ?? "All incidents") + (archive.revision.map { " · at \($0.id.short)" } ?? "")
    }

    private func headline() -> [(String, String)] {
        [
            ("Post-mortems filed", "\(filed)"),
            ("Near misses", "\(nearMisses) (\(share(nearMisses, filed)))"),
            ("Action items completed", "\(done) of \(ledger.count) (\(share(done, ledger.count)))"),
            ("Open action items", "\(ledger.count - done), \(insights.overdueCount) overdue"),
            ("Repeat incidents", "\(repeatCount)"),
            ("Incident → merged post-mortem", "median \(number(insights.mergeLag.median)) d, p90 \(number(insights.mergeLag.p90)) d"),
            ("Merge → action item done", "median \(number(insights.completionLag.median)) d, p90 \(number(insights.completionLag.p90)) d"),
        ]
    }

    private func periodRows() -> [[String]] {
        insights.periods.map { p in
            [p.period.description, "\(p.filed)", "\(p.nearMisses)", p.nearMissShare.map { share(Int(($0 * 1000).rounded()), 1000) } ?? "–",
             p.completedShare.map { share(Int(($0 * 1000).rounded()), 1000) } ?? "–",
             insights.priorityOrder.compactMap { key in p.openByPriority[key].map { "\(key) \($0)" } }.joined(separator: ", "),
             "\(p.repeats)"]
        }
    }

    private func quarterRows() -> [[String]] {
        insights.quarters.map { q in
            [q.period.description,
             "\(number(q.timeToDetect.median)) / \(number(q.timeToDetect.p90))",
             "\(number(q.timeToResolve.median)) / \(number(q.timeToResolve.p90))",
             insights.severityOrder.compactMap { s in q.severities[s].map { "\(s) \($0)" } }.joined(separator: ", ")]
        }
    }

    private static let periodColumns = ["Period", "Filed", "Near misses", "Near-miss share", "Items done", "Open by priority", "Repeats"]
    private static let quarterColumns = ["Quarter", "Detect min (median / p90)", "Resolve min (median / p90)", "Severities"]

    private var overdue: [LedgerItem] { ledger.filter(\.isOverdue) }

    private func title(_ id: String) -> String { archive.postMortem(id: id)?.title ?? id }

    /// Plain text for the terminal.
    func text() -> String {
        var out = "Insights — \(archive.configuration.title)\n\(scope)\n\n"
        let width = headline().map(\.0.count).max() ?? 0
        for (label, value) in headline() { out += label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + "\n" }
        out += "\nBy \(insights.periodKind.rawValue)\n" + table(Self.periodColumns, periodRows())
        out += "\nBy quarter\n" + table(Self.quarterColumns, quarterRows())
        if overdue.isEmpty == false {
            out += "\nOverdue action items\n"
            for item in overdue {
                out += "  [\(item.priority ?? "-")] \(item.text) — \(item.owner ?? "unassigned"), \(item.ageDays ?? 0) d (target \(item.targetDays ?? 0)) · \(item.postMortemID)\n"
            }
        }
        if insights.repeats.isEmpty == false {
            out += "\nRepeat incidents\n"
            for link in insights.repeats { out += "  \(link.later) repeats \(link.earlier): \(link.reason.text)\n" }
        }
        return out
    }

    private func table(_ columns: [String], _ rows: [[String]]) -> String {
        let widths = columns.indices.map { i in ([columns[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        let line = { (cells: [String]) -> String in
            "  " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces) + "\n"
        }
        return line(columns) + rows.map(line).joined()
    }

    /// Markdown for a chat message or a monthly review.
    func markdown() -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        func table(_ columns: [String], _ rows: [[String]]) -> String {
            "| " + columns.map(cell).joined(separator: " | ") + " |\n|" + columns.map { _ in "---|" }.joined() + "\n"
                + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
        }
        var out = "## Insights — \(cell(archive.configuration.title))\n\n_\(scope)_\n\n"
        for (label, value) in headline() { out += "- **\(label):** \(value)\n" }
        out += "\n### By \(insights.periodKind.rawValue)\n\n" + table(Self.periodColumns, periodRows())
        out += "\n### By quarter\n\n" + table(Self.quarterColumns, quarterRows())
        if overdue.isEmpty == false {
            out += "\n### Overdue action items\n\n" + table(
                ["Priority", "Action", "Owner", "Age (days)", "Target", "Incident"],
                overdue.map { [$0.priority ?? "–", $0.text, $0.owner ?? "–", "\($0.ageDays ?? 0)", "\($0.targetDays ?? 0)", title($0.postMortemID)] })
        }
        if insights.repeats.isEmpty == false {
            out += "\n### Repeat incidents\n\n"
            for link in insights.repeats { out += "- \(cell(title(link.later))) repeats \(cell(title(link.earlier))): \(cell(link.reason.text))\n" }
        }
        return out
    }

    /// JSON with sorted keys; numbers are numbers and unknown values are null.
    func json() throws -> String {
        func optional(_ value: Double?) -> Any { value.map { $0 as Any } ?? NSNull() }
        func distribution(_ d: Distribution) -> [String: Any] { ["count": d.count, "median": optional(d.median), "p90": optional(d.p90)] }
        let document: [String: Any] = [
            "title": archive.configuration.title,
            "commit": archive.revision.map { $0.id.hex as Any } ?? NSNull(),
            "since": since.map { $0 as Any } ?? NSNull(),
            "period": insights.periodKind.rawValue,
            "totals": [
                "postmortems": filed, "near_misses": nearMisses, "action_items": ledger.count, "completed": done,
                "open": ledger.count - done, "overdue": insights.overdueCount, "repeat_incidents": repeatCount,
            ],
            "periods": insights.periods.map { p -> [String: Any] in
                ["period": p.period.description, "filed": p.filed, "near_misses": p.nearMisses,
                 "near_miss_share": optional(p.nearMissShare), "action_items": p.actionItems, "completed": p.completed,
                 "completed_share": optional(p.completedShare), "open_by_priority": p.openByPriority, "repeats": p.repeats]
            },
            "quarters": insights.quarters.map { q -> [String: Any] in
                ["quarter": q.period.description, "time_to_detect_minutes": distribution(q.timeToDetect),
                 "time_to_resolve_minutes": distribution(q.timeToResolve), "severities": q.severities,
                 "factor_types": q.factorTypes]
            },
            "merge_lag_days": distribution(insights.mergeLag),
            "completion_lag_days": distribution(insights.completionLag),
            "action_items": ledger.map { item -> [String: Any] in
                ["postmortem": item.postMortemID, "text": item.text, "owner": item.owner as Any? ?? NSNull(),
                 "priority": item.priority as Any? ?? NSNull(), "status": item.status,
                 "age_days": item.ageDays as Any? ?? NSNull(), "target_days": item.targetDays as Any? ?? NSNull(),
                 "overdue": item.isOverdue,
                 "completed": item.completed.map { Day(utc: $0.time).description as Any } ?? NSNull(),
                 "completed_commit": item.completed.map { $0.id.hex as Any } ?? NSNull(),
                 "days_to_complete": item.daysToComplete as Any? ?? NSNull()]
            },
            "repeats": insights.repeats.map { ["earlier": $0.earlier, "later": $0.later, "kind": $0.reason.kind, "reason": $0.reason.text] },
            "chains": insights.chains,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
