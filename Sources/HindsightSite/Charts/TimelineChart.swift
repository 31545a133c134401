import Foundation

/// An incident's events on a time axis, with its milestones (started … resolved) marked when known.
struct TimelineChart: Sendable {
    let title: String
    /// Timeline entries that have an instant, in document order.
    let events: [(time: Date, text: String)]
    /// Milestones that are known, e.g. ("Detected", date).
    let milestones: [(name: String, time: Date)]

    static let width = 720, height = 150
    static let left = 28.0, right = 28.0, axis = 92.0

    /// Nil when fewer than two distinct instants are known: there is no axis to draw.
    ///
    /// Every post-mortem page draws one, so the markup is written as bytes, each instant's text is made once
    /// for the image and the table, and what every chart shares (the axis) is made once.
    func render(id: String) -> Chart? {
        let instants = events.map(\.time) + milestones.map(\.time)
        guard let first = instants.min(), let last = instants.max(), last > first else { return nil }
        let span = last.timeIntervalSince(first)
        let plotWidth = Double(Self.width) - Self.left - Self.right
        let x = { (date: Date) -> Double in Self.left + date.timeIntervalSince(first) / span * plotWidth }
        let eventTimes = events.map { Format.instant($0.time) }
        let milestoneTimes = milestones.map { Format.instant($0.time) }

        var svg: [UInt8] = []
        svg.reserveCapacity(2048 + 256 * (events.count + milestones.count))
        func add(_ text: String) { svg.append(contentsOf: text.utf8) }
        func number(_ value: Double) { ChartNumber.appendOneDecimal(value, to: &svg) }
        func escaped(_ text: String) { SVG.appendEscaped(text, to: &svg) }

        add(SVG.open(
            id: id, width: Self.width, height: Self.height, title: title,
            description: "\(events.count) timed event\(events.count == 1 ? "" : "s") from \(Format.instant(first)) to \(Format.instant(last)); milestones: \(milestones.map(\.name).joined(separator: ", ")). The table below lists every point."))
        add(Self.axisLine)
        // Time ticks: five, labelled with the time of day (and the date when the span passes a day).
        let longSpan = span >= 86_400
        for step in 0...4 {
            let date = first.addingTimeInterval(span * Double(step) / 4)
            var tick: [UInt8] = []
            ChartNumber.appendOneDecimal(x(date), to: &tick)
            // `2024-03-05 14:02 UTC` without ` UTC`: the time, or the date without its year and the time.
            let text = Format.instant(date).dropLast(4)
            let label = longSpan ? String(text.dropFirst(5)) : String(text.suffix(5))
            let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
            add("<line x1=\""); svg += tick; add("\" x2=\""); svg += tick; add(Self.tickEnds)
            add("<text x=\""); svg += tick; add("\" y=\""); number(Self.axis + 18)
            add("\" text-anchor=\"\(anchor)\" fill=\"currentColor\">"); escaped(label); add("</text>")
        }
        // Milestones: a line across the plot and a label in one of three lanes so neighbours do not collide.
        for (index, milestone) in milestones.enumerated() {
            var mx: [UInt8] = []
            ChartNumber.appendOneDecimal(x(milestone.time), to: &mx)
            let lane = Double(index % 3)
            let anchor = x(milestone.time) > Self.left + plotWidth * 0.85 ? "end" : x(milestone.time) < Self.left + plotWidth * 0.15 ? "start" : "middle"
            add("<line x1=\""); svg += mx; add("\" x2=\""); svg += mx; add("\" y1=\""); number(14 + lane * 14)
            add("\" y2=\""); number(Self.axis); add("\" stroke=\"\(SVG.colour(index))\" stroke-width=\"2\"><title>")
            escaped(milestone.name); add(": "); escaped(milestoneTimes[index]); add("</title></line>")
            add("<text x=\""); svg += mx; add("\" y=\""); number(12 + lane * 14)
            add("\" text-anchor=\"\(anchor)\" fill=\"currentColor\" font-weight=\"600\">"); escaped(milestone.name); add("</text>")
        }
        // Events: numbered dots on the axis (the numbers match the table).
        var lastLabelX = -Double.infinity
        var lane = 0
        for (index, event) in events.enumerated() {
            let ex = x(event.time)
            lane = ex - lastLabelX < 14 ? (lane + 1) % 3 : 0
            lastLabelX = ex
            var cx: [UInt8] = []
            ChartNumber.appendOneDecimal(ex, to: &cx)
            let ordinal = String(index + 1)
            add("<circle cx=\""); svg += cx; add("\" cy=\""); number(Self.axis); add("\" r=\"4\" fill=\"currentColor\"><title>")
            add(ordinal); add(". "); escaped(eventTimes[index]); add(": "); escaped(event.text); add("</title></circle>")
            add("<text x=\""); svg += cx; add("\" y=\""); number(Self.axis + 32 + Double(lane) * 12)
            add("\" text-anchor=\"middle\" fill=\"currentColor\">"); add(ordinal); add("</text>")
        }
        add("</svg>")

        let start = milestones.first { $0.name == "Started" }?.time ?? first
        var rows: [(Date, Int, [String])] = []
        for (index, milestone) in milestones.enumerated() {
            rows.append((milestone.time, -milestones.count + index, ["", milestoneTimes[index], Self.offset(milestone.time, from: start), milestone.name]))
        }
        for (index, event) in events.enumerated() {
            rows.append((event.time, index, ["\(index + 1)", eventTimes[index], Self.offset(event.time, from: start), event.text]))
        }
        rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return Chart(
            id: id, title: title, svg: String(decoding: svg, as: UTF8.self),
            table: ChartTable(caption: title, columns: ["#", "Time (UTC)", "Since start", "Event or milestone"], rows: rows.map(\.2)))
    }

    /// The time axis, the same on every chart.
    private static let axisLine = "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(Double(width) - right))\" y1=\"\(SVG.n(axis))\" y2=\"\(SVG.n(axis))\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>"
    /// The end of a tick's line, after its x coordinates.
    private static let tickEnds = "\" y1=\"\(SVG.n(axis))\" y2=\"\(SVG.n(axis + 5))\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>"

    static func offset(_ date: Date, from start: Date) -> String {
        let minutes = Int((date.timeIntervalSince(start) / 60).rounded())
        return minutes == 0 ? "0 min" : (minutes > 0 ? "+" : "") + Format.duration(minutes: minutes)
    }
}
