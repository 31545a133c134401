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
    func render(id: String) -> Chart? {
        let instants = events.map(\.time) + milestones.map(\.time)
        guard let first = instants.min(), let last = instants.max(), last > first else { return nil }
        let span = last.timeIntervalSince(first)
        let plotWidth = Double(Self.width) - Self.left - Self.right
        let x = { (date: Date) -> Double in Self.left + date.timeIntervalSince(first) / span * plotWidth }

        var svg = SVG.open(
            id: id, width: Self.width, height: Self.height, title: title,
            description: "\(events.count) timed event\(events.count == 1 ? "" : "s") from \(Format.instant(first)) to \(Format.instant(last)); milestones: \(milestones.map(\.name).joined(separator: ", ")). The table below lists every point.")
        svg += "<line x1=\"\(SVG.n(Self.left))\" x2=\"\(SVG.n(Self.left + plotWidth))\" y1=\"\(SVG.n(Self.axis))\" y2=\"\(SVG.n(Self.axis))\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>"
        // Time ticks: five, labelled with the time of day (and the date when the span passes a day).
        let longSpan = span >= 86_400
        for step in 0...4 {
            let date = first.addingTimeInterval(span * Double(step) / 4)
            let tx = SVG.n(x(date))
            let text = Format.instant(date).replacingOccurrences(of: " UTC", with: "")
            let label = longSpan ? String(text.dropFirst(5)) : String(text.suffix(5))
            let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
            svg += "<line x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(SVG.n(Self.axis))\" y2=\"\(SVG.n(Self.axis + 5))\" stroke=\"currentColor\" stroke-opacity=\"0.6\"/>"
            svg += "<text x=\"\(tx)\" y=\"\(SVG.n(Self.axis + 18))\" text-anchor=\"\(anchor)\" fill=\"currentColor\">\(SVG.escape(label))</text>"
        }
        // Milestones: a line across the plot and a label in one of three lanes so neighbours do not collide.
        for (index, milestone) in milestones.enumerated() {
            let mx = SVG.n(x(milestone.time))
            let lane = Double(index % 3)
            let colour = SVG.colour(index)
            let anchor = x(milestone.time) > Self.left + plotWidth * 0.85 ? "end" : x(milestone.time) < Self.left + plotWidth * 0.15 ? "start" : "middle"
            svg += "<line x1=\"\(mx)\" x2=\"\(mx)\" y1=\"\(SVG.n(14 + lane * 14))\" y2=\"\(SVG.n(Self.axis))\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(SVG.escape("\(milestone.name): \(Format.instant(milestone.time))"))</title></line>"
            svg += "<text x=\"\(mx)\" y=\"\(SVG.n(12 + lane * 14))\" text-anchor=\"\(anchor)\" fill=\"currentColor\" font-weight=\"600\">\(SVG.escape(milestone.name))</text>"
        }
        // Events: numbered dots on the axis (the numbers match the table).
        var lastLabelX = -Double.infinity
        var lane = 0
        for (index, event) in events.enumerated() {
            let ex = x(event.time)
            lane = ex - lastLabelX < 14 ? (lane + 1) % 3 : 0
            lastLabelX = ex
            svg += "<circle cx=\"\(SVG.n(ex))\" cy=\"\(SVG.n(Self.axis))\" r=\"4\" fill=\"currentColor\"><title>\(SVG.escape("\(index + 1). \(Format.instant(event.time)): \(event.text)"))</title></circle>"
            svg += "<text x=\"\(SVG.n(ex))\" y=\"\(SVG.n(Self.axis + 32 + Double(lane) * 12))\" text-anchor=\"middle\" fill=\"currentColor\">\(index + 1)</text>"
        }
        svg += "</svg>"

        let start = milestones.first { $0.name == "Started" }?.time ?? first
        var rows: [(Date, Int, [String])] = []
        for (index, milestone) in milestones.enumerated() {
            rows.append((milestone.time, -milestones.count + index, ["", Format.instant(milestone.time), Self.offset(milestone.time, from: start), milestone.name]))
        }
        for (index, event) in events.enumerated() {
            rows.append((event.time, index, ["\(index + 1)", Format.instant(event.time), Self.offset(event.time, from: start), event.text]))
        }
        rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return Chart(
            id: id, title: title, svg: svg,
            table: ChartTable(caption: title, columns: ["#", "Time (UTC)", "Since start", "Event or milestone"], rows: rows.map(\.2)))
    }

    static func offset(_ date: Date, from start: Date) -> String {
        let minutes = Int((date.timeIntervalSince(start) / 60).rounded())
        return minutes == 0 ? "0 min" : (minutes > 0 ? "+" : "") + Format.duration(minutes: minutes)
    }
}
