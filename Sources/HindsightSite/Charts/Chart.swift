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
struct ChartModel: Encodable, Sendable, TemplateRepresentable {
    struct Row: Encodable, Sendable {
        let cells: [String]
    }

    let id: String
    let title: String
    let svg: HTML
    let caption: String
    let columns: [String]
    let rows: [Row]

    var templateValue: TemplateValue {
        [
            "id": .string(id), "title": .string(title), "svg": .init(svg), "caption": .string(caption),
            "columns": .init(columns), "rows": .list(rows.map { ["cells": .init($0.cells)] }),
        ]
    }
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
        var out: [UInt8] = []
        guard appendEscaped(text, to: &out, onlyWhenChanged: true) else { return text }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` escaped for XML content and attribute values: `&`, `<`, `>`, `"` and `'` replaced, and the
    /// characters XML 1.0 forbids (the C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF)
    /// dropped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        appendEscaped(text, to: &out, onlyWhenChanged: false)
    }

    /// Whether `text` changes when escaped; appends nothing when it does not and `onlyWhenChanged` is set.
    @discardableResult
    private static func appendEscaped(_ text: String, to out: inout [UInt8], onlyWhenChanged: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // Most texts have nothing to escape or drop, and are copied whole.
            var clean = 0
            while clean < bytes.count, needsWork(bytes[clean]) == false { clean += 1 }
            if clean == bytes.count {
                if onlyWhenChanged == false { out.append(contentsOf: bytes) }
                return false
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<clean]))
            var index = clean
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                case 0x09, 0x0A, 0x0D: out.append(byte)
                case ..<0x20: continue
                case 0xEF where index + 1 < bytes.count && bytes[index] == 0xBF && (bytes[index + 1] == 0xBE || bytes[index + 1] == 0xBF):
                    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                    index += 2
                default: out.append(byte)
                }
            }
            return true
        }
    }

    /// Whether `appendEscaped` may change `byte`: the five it replaces, the controls it drops and the lead byte of
    /// U+FFFE and U+FFFF.
    @inline(__always)
    private static func needsWork(_ byte: UInt8) -> Bool {
        byte < 64 ? (lowBytesToChange >> UInt64(byte)) & 1 != 0 : byte == 0xEF
    }

    /// Bit `b` is set for each byte `b` below 64 that `appendEscaped` changes: the C0 controls but tab (9), line
    /// feed (10) and carriage return (13), and `"`, `&`, `'`, `<` and `>`.
    private static let lowBytesToChange: UInt64 = 0x500000c4ffffd9ff

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
        var out: [UInt8] = []
        appendOneDecimal(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `oneDecimal(value)`.
    static func appendOneDecimal(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(UInt8(ascii: "0"))
            return
        }
        let tenths = Int((value * 10).rounded())
        if tenths < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(tenths.magnitude / 10, to: &out)
        let fraction = tenths.magnitude % 10
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0") + UInt8(fraction))
        }
    }

    /// Appends `value` in decimal.
    static func appendDecimal(_ value: UInt, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
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
