extension TemplateValue {
    /// Appends what `{{name}}` (`escaped`) or `{{{name}}}` writes for this value: text as it is or HTML-escaped,
    /// `.html` always as it is, numbers in decimal, booleans as `true` or `false`. `null`, lists and objects
    /// write nothing: a list or an object is for a section to open, not text.
    func interpolate(escaped: Bool, into buffer: inout [UInt8]) {
        switch self {
        case .null, .list, .object:
            return
        case .string(let text):
            if escaped {
                HTMLEscape.append(text, to: &buffer)
            } else {
                buffer.append(contentsOf: text.utf8)
            }
        case .html(let markup):
            buffer.append(contentsOf: markup.utf8)
        case .bool(let value):
            buffer.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            TemplateValue.appendDecimal(value, to: &buffer)
        case .double(let value):
            buffer.append(contentsOf: TemplateValue.format(value).utf8)
        }
    }

    /// Swift's shortest round-tripping form, without a trailing `.0`: `1.21`, `3`, `-0.5`, `1e+16`, `inf`, `nan`.
    static func format(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        // Room first, then the digits from the last one back, so nothing is moved afterwards.
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = buffer.count - 1
        repeat {
            buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }
}
