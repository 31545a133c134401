import Foundation
import Yams

/// The `insights:` settings of `hindsight.yml`: action-item targets, the repeat window and similarity, the period.
///
/// ```yaml
/// insights:
///   targets: {P0: 28, P1: 56, P2: none}   # days from merge; none = no target
///   repeat_window_days: 90
///   similarity: 0.6                        # factor-text similarity (0–1) that counts as a repeat
///   period: auto                           # auto, month or quarter
/// ```
public struct InsightsSettings: Sendable, Hashable {
    /// Days from merge within which an open item of a priority should be done; a priority without one has no target.
    public var targets: [String: Int] = ["P0": 28, "P1": 56]
    /// Two incidents on a shared service with a shared factor type at most this many days apart are repeats.
    public var repeatWindowDays = 90
    /// The Jaccard similarity of two factors' words (0–1) above which they are "strongly similar".
    public var similarity = 0.6
    /// Months or quarters for the success metrics; nil chooses by the archive's span.
    public var period: PeriodKind?

    public init() {}

    /// The target in days for a priority (`p1` and `P1` are one), or nil when it has none.
    public func target(for priority: String?) -> Int? {
        guard let priority else { return nil }
        return targets[priority.uppercased()]
    }

    /// Reads the `insights:` key of `hindsight.yml`; problems are warnings at their line and defaults stay.
    public static func parse(_ data: Data, path: String = Configuration.fileName) -> (InsightsSettings, [Diagnostic]) {
        var settings = InsightsSettings()
        var problems: [Diagnostic] = []
        let text = String(decoding: data, as: UTF8.self)
        // Aliases are never composed (an alias bomb would hang); the site configuration reports them.
        guard YAMLAliasScan.firstAlias(in: text) == nil, let root = try? Yams.compose(yaml: text), let mapping = root.mapping,
            let node = mapping.first(where: { $0.key.string == "insights" })?.value
        else { return (settings, []) }
        func problem(_ node: Node, _ message: String) {
            problems.append(.warning(
                message, at: SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)))
        }
        guard let entries = node.mapping else {
            if node.scalar?.string.isEmpty == false { problem(node, "insights must be a mapping of settings") }
            return (settings, problems)
        }
        for (keyNode, value) in entries {
            switch keyNode.string ?? "" {
            case "targets":
                guard let targets = value.mapping else {
                    problem(value, "insights.targets must map priorities to days, e.g. {P0: 28, P1: 56}")
                    continue
                }
                for (priorityNode, daysNode) in targets {
                    let priority = (priorityNode.string ?? "").uppercased()
                    let word = (daysNode.string ?? "").lowercased()
                    if ["", "none", "null", "~", "off", "false", "no"].contains(word) {
                        settings.targets[priority] = nil
                    } else if let days = daysNode.int, days > 0 {
                        settings.targets[priority] = days
                    } else {
                        problem(daysNode, "insights.targets.\(priority) must be a whole number of days or none")
                    }
                }
            case "repeat_window_days":
                if let days = value.int, days >= 0 { settings.repeatWindowDays = days } else {
                    problem(value, "insights.repeat_window_days must be a whole number of days")
                }
            case "similarity":
                if let share = value.float, share > 0, share <= 1 { settings.similarity = share } else {
                    problem(value, "insights.similarity must be a number above 0 and at most 1")
                }
            case "period":
                switch (value.string ?? "").lowercased() {
                case "auto": settings.period = nil
                case "month", "months", "monthly": settings.period = .month
                case "quarter", "quarters", "quarterly": settings.period = .quarter
                default: problem(value, "insights.period must be auto, month or quarter")
                }
            default:
                problem(keyNode, "unknown setting insights.\(keyNode.string ?? "")")
            }
        }
        return (settings, problems)
    }
}
