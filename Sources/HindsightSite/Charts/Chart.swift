import Foundation
import MustacheKit

/// A chart drawn at build time: an SVG image and the table of its numbers, for readers who cannot see it.
struct Chart: Sendable, Hashable {
    /// A page-unique id (for `aria-labelledby` and the table's caption).
    let id: String
    let title: String
    /// Standalone, well-formed SVG markup, safe to inline.
    let svg: String
    let table: ChartTable

    /// The view model of `chart.mustache`.
    var model: ChartModel {
        ChartModel(id: id, title: title, svg: HTML(svg), caption: table.caption, columns: table.columns, rows: table.rows.map { .init(cells: $0) })
    }
}

/// What `chart.mustache` shows: the SVG and the table of its numbers.
struct ChartModel: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let cells: [String]
    }

    let id: String
    let title: String
    let svg: HTML
    let caption: String
    let columns: [String]
    let rows: [Row]
}

/// The numbers behind a chart.
struct ChartTable: Sendable, Hashable {
    let caption: String
    let columns: [String]
    let rows: [[String]]
}

/// Small helpers for writing SVG by hand.
enum SVG {
    /// Escapes text for XML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Characters XML 1.0 forbids (most C0 controls) are dropped.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                if scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, so output is stable and small.
    static func n(_ value: Double) -> String {
        ChartNumber.oneDecimal(value)
    }

    /// The opening `<svg>` with a title and description, labelled for assistive technology.
    static func open(id: String, width: Int, height: Int, title: String, description: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 \(width) \(height)" width="\(width)" \
        height="\(height)" role="img" aria-labelledby="\(escape(id))-t \(escape(id))-d" \
        font-family="system-ui, sans-serif" font-size="11"><title id="\(escape(id))-t">\(escape(title))</title>\
        <desc id="\(escape(id))-d">\(escape(description))</desc>
        """
    }

    /// Series colours: distinguishable in light and dark themes and for common colour-vision deficiencies.
    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f", "#bab0ac"]

    static func colour(_ index: Int) -> String { palette[index % palette.count] }
}

/// Display of numbers in charts and tables.
enum ChartNumber {
    /// `3`, `2.5`; nil as an en dash.
    static func plain(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value == value.rounded() ? String(Int(value)) : oneDecimal(value)
    }

    /// `12`, `12.5`, `-0.5`: rounded to one decimal, without a trailing `.0` (and without `String(format:)`,
    /// which is slow for the hundreds of coordinates of every chart).
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let whole = String(tenths.magnitude / 10), fraction = tenths.magnitude % 10
        return (tenths < 0 ? "-" : "") + whole + (fraction == 0 ? "" : ".\(fraction)")
    }

    /// A share (0–1) as a whole percentage.
    static func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        return "\(Int((share * 100).rounded()))%"
    }

    /// A number of minutes as `1 h 25 min`.
    static func minutes(_ value: Double?) -> String {
        guard let value else { return "–" }
        return Format.duration(minutes: Int(value.rounded()))
    }
}
