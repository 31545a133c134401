import Foundation

/// Bars over categories (periods): one or more series, side by side or stacked.
struct BarChart: Sendable {
    /// One named series of values, one per category; nil means "no value" (no bar).
    struct Series: Sendable {
        let name: String
        let values: [Double?]
    }

    let title: String
    let description: String
    let categories: [String]
    let series: [Series]
    var stacked = false
    /// Shown after values in bar tooltips (`%`, ` min`).
    var unit = ""
    /// The value axis' fixed maximum (100 for shares), else chosen from the data.
    var maximum: Double?
    /// How a value reads in the table.
    var format: @Sendable (Double?) -> String = { ChartNumber.plain($0) }
    /// The table's first column.
    var categoryLabel = "Period"

    static let width = 720, height = 280
    static let left = 44.0, right = 12.0, top = 28.0, bottom = 58.0

    /// The SVG and its table.
    func render(id: String) -> Chart {
        let plotWidth = Double(Self.width) - Self.left - Self.right
        let plotHeight = Double(Self.height) - Self.top - Self.bottom
        let totals = categories.indices.map { i -> Double in
            stacked ? series.reduce(0) { $0 + ($1.values[i] ?? 0) } : series.compactMap { $0.values[i] }.max() ?? 0
        }
        let top = maximum ?? Self.niceCeiling(totals.max() ?? 0)
        let y = { (value: Double) -> Double in Self.top + plotHeight - (top == 0 ? 0 : value / top * plotHeight) }

        var svg = SVG.open(id: id, width: Self.width, height: Self.height, title: title, description: description)
        // Grid and value axis.
        for step in 0...4 {
            let value = top * Double(step) / 4
            let yy = SVG.n(y(value))
            svg += "<line x1=\"\(SVG.n(Self.left))\" x2=\"\(SVG.n(Self.left + plotWidth))\" y1=\"\(yy)\" y2=\"\(yy)\" stroke=\"currentColor\" stroke-opacity=\"\(step == 0 ? "0.6" : "0.15")\"/>"
            svg += "<text x=\"\(SVG.n(Self.left - 6))\" y=\"\(yy)\" dy=\"0.35em\" text-anchor=\"end\" fill=\"currentColor\">\(SVG.escape(ChartNumber.plain(value) + unit))</text>"
        }
        // Bars.
        let band = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let inner = band * 0.8
        let barWidth = stacked || series.isEmpty ? inner : inner / Double(series.count)
        let labelEvery = max(1, Int((Double(categories.count) / 18).rounded(.up)))
        for (i, category) in categories.enumerated() {
            let x0 = Self.left + band * Double(i) + (band - inner) / 2
            var base = 0.0
            for (s, serie) in series.enumerated() {
                guard let value = serie.values[i], value > 0 else { continue }
                let x = stacked ? x0 : x0 + barWidth * Double(s)
                let from = stacked ? base : 0
                let to = from + value
                base = stacked ? to : base
                svg += "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y(to)))\" width=\"\(SVG.n(max(1, barWidth - (stacked ? 0 : 1))))\" height=\"\(SVG.n(max(0.5, y(from) - y(to))))\" fill=\"\(SVG.colour(s))\"><title>\(SVG.escape("\(category) · \(serie.name): \(format(value))"))</title></rect>"
            }
            if i % labelEvery == 0 {
                let cx = SVG.n(x0 + inner / 2)
                let ly = SVG.n(Self.top + plotHeight + 14)
                svg += "<text x=\"\(cx)\" y=\"\(ly)\" text-anchor=\"end\" transform=\"rotate(-40 \(cx) \(ly))\" fill=\"currentColor\">\(SVG.escape(category))</text>"
            }
        }
        // Legend.
        var lx = Self.left
        if series.count > 1 {
            for (s, serie) in series.enumerated() {
                svg += "<rect x=\"\(SVG.n(lx))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(SVG.colour(s))\"/>"
                svg += "<text x=\"\(SVG.n(lx + 14))\" y=\"17\" fill=\"currentColor\">\(SVG.escape(serie.name))</text>"
                lx += 22 + Double(serie.name.count) * 6.5
            }
        }
        svg += "</svg>"

        let rows = categories.enumerated().map { i, category in [category] + series.map { format($0.values[i]) } }
        return Chart(
            id: id, title: title, svg: svg,
            table: ChartTable(caption: title, columns: [categoryLabel] + series.map(\.name), rows: rows))
    }

    /// A round maximum at or above `value` whose quarters read well (at least 4, so counts get whole ticks).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 4 else { return 4 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 4, 5, 8, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }
}
