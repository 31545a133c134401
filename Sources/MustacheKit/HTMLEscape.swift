/// HTML escaping over UTF-8 bytes: exactly `&`, `<`, `>`, `"` and `'` are replaced, which makes text safe both
/// between tags and inside quoted attribute values.
enum HTMLEscape {
    /// Appends `text` to `buffer`, escaped; text with nothing to escape is copied in one piece.
    static func append(_ text: String, to buffer: inout [UInt8]) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0, to: &buffer) }
        if done == nil {
            // A bridged string without contiguous UTF-8: a native copy has it.
            var copy = text
            copy.withUTF8 { append($0, to: &buffer) }
        }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Every byte to escape is below 64, where one bit of a mask tells it: two operations for most bytes.
            if byte < 64, (escaped >> UInt64(byte)) & 1 != 0, let replacement = replacement(for: byte) {
                if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                buffer.append(contentsOf: replacement.utf8)
                runStart = index + 1
            }
            index += 1
        }
        if runStart == 0 {
            buffer.append(contentsOf: bytes)
        } else if runStart < bytes.count {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    /// Bit `b` is set for each byte `b` below 64 that is escaped: `"` (0x22), `&` (0x26), `'` (0x27), `<` (0x3C)
    /// and `>` (0x3E).
    private static let escaped: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    private static func replacement(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        case UInt8(ascii: "\""): return "&quot;"
        case UInt8(ascii: "'"): return "&#39;"
        default: return nil
        }
    }
}

extension StaticString {
    /// The string's UTF-8 bytes, without building a `String`.
    fileprivate var utf8: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount) }
}
