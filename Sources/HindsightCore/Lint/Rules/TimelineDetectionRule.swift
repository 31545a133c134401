/// `timeline/detection`: a timeline with no detection event and no `detected:` time.
struct TimelineDetectionRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "timeline/detection", severity: .warning,
        summary: "The timeline has no detection event.",
        rationale: """
            How an incident was noticed (an alert, a customer report, someone looking at a graph) and how \
            long that took is one of the most useful things a post-mortem records: it is where detection \
            gets better. Give the moment in the timeline or as `detected:` in the front matter.
            """,
        checksDrafts: false)

    /// Beginnings of words that describe noticing: detected, alert fires, paged, reported, noticed…
    private static let stems = [
        "detect", "alert", "alarm", "page", "paging", "fire", "notice", "noticing", "report", "discover", "identif", "spot",
        "observ", "flag", "escalat", "monitor", "complain", "warn", "ticket", "declare", "triage", "acknowledg", "aware",
        "investigat", "incident",
    ]

    init(context: LintContext) {}

    func check(_ document: LintDocument, into report: inout RuleReport) {
        guard let postMortem = document.postMortem, postMortem.timeline.isEmpty == false,
            postMortem.times.detected == nil, postMortem.times.acknowledged == nil
        else { return }
        let detected = postMortem.timeline.contains { entry in
            Word.split(entry.event).contains { word in Self.stems.contains { word.lower.hasPrefix($0) } }
        }
        guard detected == false else { return }
        report.add(
            "the timeline has no detection event: when and how was the incident noticed?",
            at: document.section(.timeline)?.location ?? postMortem.timeline[0].location,
            suggestion: "add the moment it was detected and by what (`- 14:09 - Error-rate alert fires`), or `detected:` in the front matter")
    }
}
